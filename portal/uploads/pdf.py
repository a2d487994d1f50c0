"""PDFs are opened with a real parser (qpdf, through pikepdf) and refused if they could do
anything but show pages (ASVS 5.2.2, SECURITY.md row 27).

Refused: scripts (/JS, /JavaScript), automatic actions (/AA, an /OpenAction that is not a
plain "open at this page"), actions that start programs, fetch or send data (/Launch,
/SubmitForm, /ImportData, /GoToR, /GoToE, rich media), attached or embedded files
(/EmbeddedFiles, /EF, file attachment annotations), XFA forms, files that need a password,
and files that also read as HTML or PHP (a polyglot that a browser or server could run).
Ordinary links (/URI) and in-document links (/GoTo) are kept: letters and reports use them.
"""

import io
import re

import pikepdf

from portal.uploads.refusals import ActiveContent, DamagedFile, PasswordProtected

ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/AA",
    "/EmbeddedFiles",
    "/EF",
    "/XFA",
    "/RichMediaContent",
}
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/RichMediaExecute",
    "/Rendition",
}
ACTIVE_TYPES = {"/EmbeddedFile", "/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/3D"}
# The start of markup a browser would run if it ever read the bytes as a page, or a
# script a server would run. Long enough not to turn up by chance in compressed data.
MARKUP = re.compile(rb"<(?:html|head|body|script|iframe|!doctype|\?php|svg[\s/>])", re.IGNORECASE)


def check(data: bytes) -> None:
    """Refuse the PDF in ``data`` unless it parses and holds no active content."""
    if not data.startswith(b"%PDF-") or MARKUP.search(data):
        raise ActiveContent
    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            pages = len(document.pages)
            active = _has_active_content(document)
    except pikepdf.PasswordError:
        raise PasswordProtected from None
    except (pikepdf.PdfError, RecursionError, ValueError, KeyError):
        raise DamagedFile from None
    if pages == 0:
        raise DamagedFile
    if active:
        raise ActiveContent


def _has_active_content(pdf: pikepdf.Pdf) -> bool:
    """Every object the file holds, reachable or not: a reader may find any of them."""
    if _open_action_is_active(pdf.Root):
        return True
    roots = [pdf.trailer, *pdf.objects]
    return any(_is_active(item) for root in roots for item in _direct_parts(root))


def _open_action_is_active(root) -> bool:
    action = root.get("/OpenAction")
    if action is None or isinstance(action, pikepdf.Array):
        return False  # a destination: which page to open at
    return not (isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/GoTo")


def _direct_parts(root):
    """``root`` and the dictionaries and arrays written inside it; objects it only refers
    to are visited as items of ``pdf.objects`` in their own right."""
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Stream):
            item = item.stream_dict
        if isinstance(item, pikepdf.Dictionary):
            yield item
            children = item.values()
        elif isinstance(item, pikepdf.Array):
            children = list(item)
        else:
            continue
        stack.extend(
            child
            for child in children
            if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect
        )


def _is_active(dictionary: pikepdf.Dictionary) -> bool:
    if ACTIVE_KEYS.intersection(dictionary.keys()):
        return True
    return (
        str(dictionary.get("/S", "")) in ACTIVE_ACTIONS
        or str(dictionary.get("/Type", "")) in ACTIVE_TYPES
        or str(dictionary.get("/Subtype", "")) in ACTIVE_TYPES
    )
