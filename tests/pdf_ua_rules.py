"""The PDF/UA-1 (ISO 14289-1) and ISO 32000-1 rules that can be checked from the file alone,
written from the standards (the Matterhorn Protocol's machine-checkable failure conditions),
not from the code that makes the PDFs (issue 16 item 2). Each problem is one line.

Checked: the document is marked and has a structure tree, a language, a title shown as the
window title; every piece of text on every page is either real content reachable from the
structure tree or an artifact (Matterhorn 01-003/01-004); structure elements that carry an
/ID are in an /IDTree (ISO 32000-1 14.7.2); table headers say what they head (/Scope or
/ID); figures have /Alt (13-004); every link annotation has /Contents and a place in the
structure tree (28-004, 28-011); a document over two pages has bookmarks; every font is
embedded (31-001) and maps its glyphs to Unicode (31-027, /ToUnicode); the metadata says
PDF/UA part 1 (pdfuaid:part, 06-002).
Left to a human: reading order, that alt text and link text say the right thing, heading
levels that match the content, colour and contrast (Matterhorn's human checks).
"""

import io

import pikepdf

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


def _reachable(root) -> set:
    found, pending = set(), [root.get("/K")]
    while pending:
        item = pending.pop()
        if isinstance(item, pikepdf.Array):
            pending.extend(item)
        elif isinstance(item, pikepdf.Dictionary):
            if item.is_indirect:
                if item.objgen in found:
                    continue
                found.add(item.objgen)
            pending.append(item.get("/K"))
    return found


def _tree_leaves(node, entries_key: str) -> list:
    """The flat [key, value, key, value, …] leaves of a number tree (/Nums) or a name tree
    (/Names), through its /Kids (ISO 32000-1 7.9.6, 7.9.7)."""
    leaves, pending = [], [node]
    while pending:
        node = pending.pop()
        if node is None:
            continue
        entries = node.get(entries_key)
        if entries is not None:
            leaves.extend(entries)
        pending.extend(node.get("/Kids", []))
    return leaves


def _parent_tree(root) -> dict:
    leaves = _tree_leaves(root.get("/ParentTree"), "/Nums")
    return {int(leaves[i]): leaves[i + 1] for i in range(0, len(leaves), 2)}


def _page_problems(number: int, page, parents, reachable: set) -> list[str]:
    problems, stack = [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            tag = str(operands[0])
            props = operands[1] if name == "BDC" else None
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            stack.append((tag, mcid))
            if mcid is not None:
                element = parents[mcid] if parents is not None and mcid < len(parents) else None
                if not isinstance(element, pikepdf.Dictionary):
                    problems.append(f"page {number}: MCID {mcid} has no structure element")
                elif element.objgen not in reachable:
                    problems.append(
                        f"page {number}: MCID {mcid} ({tag}) is tagged but outside the "
                        "structure tree; pagination should be an artifact"
                    )
        elif name == "EMC" and stack:
            stack.pop()
        elif name in TEXT_OPERATORS:
            inside = any(tag == "/Artifact" or mcid is not None for tag, mcid in stack)
            if not inside:
                problems.append(f"page {number}: text neither tagged nor an artifact")
    return problems


def _elements(pdf, reachable: set):
    for objgen in reachable:
        yield pdf.get_object(objgen)


def _id_tree_names(root) -> set[bytes]:
    leaves = _tree_leaves(root.get("/IDTree"), "/Names")
    return {bytes(leaves[i]) for i in range(0, len(leaves), 2)}


def _structure_problems(pdf, root, reachable: set) -> list[str]:
    problems = []
    ids = _id_tree_names(root)
    for element in _elements(pdf, reachable):
        if "/ID" in element and bytes(element.ID) not in ids:
            problems.append(f"structure element {element.get('/S')} has /ID but no /IDTree entry")
        if element.get("/S") == "/Figure" and not str(element.get("/Alt", "")).strip():
            problems.append("a figure has no /Alt text")
        if element.get("/S") == "/TH":
            attributes = element.get("/A")
            scoped = isinstance(attributes, pikepdf.Dictionary) and "/Scope" in attributes
            if not scoped and "/ID" not in element:
                problems.append("a table header has neither /Scope nor /ID")
    return problems


def _annotation_problems(pdf) -> list[str]:
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            if not str(annotation.get("/Contents", "")).strip():
                problems.append(f"page {number}: a link has no /Contents")
            if "/StructParent" not in annotation:
                problems.append(f"page {number}: a link is not in the structure tree")
    return problems


def _font_problems(pdf) -> list[str]:
    problems, seen = [], set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            descendants = font.get("/DescendantFonts", [font])
            for part in descendants:
                descriptor = part.get("/FontDescriptor")
                if descriptor is None and part.get("/Subtype") == "/Type3":
                    continue
                embedded = descriptor is not None and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                if not embedded:
                    problems.append(f"font {part.get('/BaseFont')} is not embedded")
            if "/ToUnicode" not in font:
                problems.append(f"font {font.get('/BaseFont')} has no /ToUnicode map")
    return problems


def problems(data: bytes) -> list[str]:
    """Every PDF/UA rule the file breaks, one line each; [] for a clean file."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        catalog = pdf.Root
        found = []
        mark_info = catalog.get("/MarkInfo")
        if mark_info is None or not bool(mark_info.get("/Marked", False)):
            found.append("the document is not marked (/MarkInfo /Marked true)")
        if not str(catalog.get("/Lang", "")):
            found.append("the document has no /Lang")
        metadata = pdf.open_metadata()
        if not metadata.get("dc:title"):
            found.append("the document has no dc:title in its metadata")
        if str(metadata.get("pdfuaid:part", "")) != "1":
            found.append("the metadata does not say PDF/UA-1 (pdfuaid:part)")
        preferences = catalog.get("/ViewerPreferences", {})
        if not bool(preferences.get("/DisplayDocTitle", False)):
            found.append("the title is not shown as the window title (DisplayDocTitle)")
        root = catalog.get("/StructTreeRoot")
        if root is None:
            return [*found, "the document has no structure tree"]
        reachable = _reachable(root)
        parent_tree = _parent_tree(root)
        for number, page in enumerate(pdf.pages, start=1):
            key = page.obj.get("/StructParents")
            parents = parent_tree.get(int(key)) if key is not None else None
            found += _page_problems(number, page, parents, reachable)
        found += _structure_problems(pdf, root, reachable)
        found += _annotation_problems(pdf)
        found += _font_problems(pdf)
        if len(pdf.pages) > 2 and not catalog.get("/Outlines", {}).get("/First"):
            found.append(f"{len(pdf.pages)} pages and no bookmarks (/Outlines)")
        return found
