"""The PDF/UA-1 (ISO 14289-1) rules WeasyPrint's ``pdf/ua-1`` output does not yet meet,
put right on the finished file (issue 16 item 2), for every PDF the portal makes: letters,
large print, easy read, print batches, the evidence pack and the annual report.

- Page numbers and running heads drawn in the page margins are tagged by WeasyPrint, but
  their structure elements hang outside the structure tree (WeasyPrint issue #1836). They
  become pagination artifacts (ISO 32000-1 14.8.2.2): a screen reader skips them, as it
  should skip "1 / 2" between two paragraphs.
- Table header cells carry ``/ID`` (their data cells point at them with ``/Headers``), and
  ISO 32000-1 14.7.2 then asks for an ``/IDTree`` on the structure tree root to find them.
"""

import io
import logging

import pikepdf

from portal.config import PROJECT_ROOT
from portal.jobs import idle_child

STATIC = PROJECT_ROOT / "static"
PAGINATION = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)


def _reachable(root: pikepdf.Dictionary) -> set[tuple[int, int]]:
    """The structure elements reached from the root by their /K children."""
    found: set[tuple[int, int]] = set()
    pending = [root.get("/K")]
    while pending:
        item = pending.pop()
        if isinstance(item, pikepdf.Array):
            pending.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") != "/MCR":
            if item.is_indirect:
                if item.objgen in found:
                    continue
                found.add(item.objgen)
            pending.append(item.get("/K"))
    return found


def _number_tree(tree: pikepdf.Dictionary) -> dict[int, pikepdf.Object]:
    """A number tree's leaves, {key: value} (WeasyPrint writes one flat /Nums array, but a
    tree with /Kids is read too)."""
    leaves: dict[int, pikepdf.Object] = {}
    pending = [tree]
    while pending:
        node = pending.pop()
        nums = node.get("/Nums")
        if nums is not None:
            leaves.update({int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)})
        pending.extend(node.get("/Kids", []))
    return leaves


def _untagged_mcids(parents: pikepdf.Object, reachable: set) -> set[int]:
    if not isinstance(parents, pikepdf.Array):
        return set()
    return {
        mcid
        for mcid, element in enumerate(parents)
        if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable
    }


def _as_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page, mcids: set[int]) -> None:
    """Rewrite the page's marked content with these MCIDs as pagination artifacts."""
    instructions = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and len(operands) == 2:
            properties = operands[1]
            if isinstance(properties, pikepdf.Dictionary) and properties.get("/MCID") in mcids:
                operands = [pikepdf.Name.Artifact, PAGINATION]
        instructions.append((operands, operator))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _id_tree(pdf: pikepdf.Pdf, root: pikepdf.Dictionary, reachable: set) -> None:
    """An /IDTree naming every structure element that has an /ID, in key order."""
    elements = {}
    for objgen in reachable:
        element = pdf.get_object(objgen)
        if "/ID" in element:
            elements[bytes(element.ID)] = element
    if elements:
        names = pikepdf.Array()
        for key in sorted(elements):
            names.extend([pikepdf.String(key), elements[key]])
        root.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=names))


def finish(data: bytes) -> bytes:
    """WeasyPrint's tagged PDF with margin content as artifacts and an /IDTree."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return data
        reachable = _reachable(root)
        parent_tree = _number_tree(root.ParentTree) if "/ParentTree" in root else {}
        for page in pdf.pages:
            key = page.obj.get("/StructParents")
            parents = parent_tree.get(int(key)) if key is not None else None
            mcids = _untagged_mcids(parents, reachable)
            if mcids:
                _as_artifacts(pdf, page, mcids)
                for mcid in mcids:  # no longer marked content: nothing in the tree for it
                    parents[mcid] = None
        _id_tree(pdf, root, reachable)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _quiet_weasyprint() -> None:
    # WeasyPrint's PDF/UA mode logs accessibility errors rather than raising; tests turn
    # them into failures (TOOLCHAIN.md §3).
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


def pdf_from_html(html: str) -> bytes:
    """One HTML document as a tagged PDF/UA-1 file; images and fonts from static/. In a job
    worker the layout runs in its idle-class child (portal.jobs.idle_child)."""
    return idle_child.run(_layout_one, html)


def pdf_from_pages(pages_html: list[str]) -> bytes:
    """Several HTML documents as one tagged PDF, each starting on a new page."""
    return idle_child.run(_layout_pages, pages_html)


def _layout_one(html: str) -> bytes:
    from weasyprint import HTML

    _quiet_weasyprint()
    return finish(HTML(string=html, base_url=str(STATIC)).write_pdf(pdf_variant="pdf/ua-1"))


def _layout_pages(pages_html: list[str]) -> bytes:
    from weasyprint import HTML

    _quiet_weasyprint()
    documents = [HTML(string=html, base_url=str(STATIC)).render() for html in pages_html]
    pages = [page for document in documents for page in document.pages]
    return finish(documents[0].copy(pages).write_pdf(pdf_variant="pdf/ua-1"))
