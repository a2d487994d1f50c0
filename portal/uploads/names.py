"""The name shown for an uploaded file: cleaned so it cannot pretend to be something else.

A name like ``invoice\\u202efdp.exe`` is displayed by a browser as ``invoiceexe.pdf``: a
right-to-left override turns the end of the name round. The name is only ever shown (the
file is stored under a random key), but what a director reads must be what was sent.
"""

import re
import unicodedata
from pathlib import PurePosixPath

MAX_NAME_LENGTH = 120

# Bidirectional embeddings, overrides and isolates, and the invisible direction marks:
# each can reorder or hide characters around it. Other format characters (the zero-width
# joiners that Arabic, Persian and Bengali spelling needs) are kept.
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
_UNSAFE = re.compile("[" + BIDI_CONTROLS + r"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufff9-\ufffb]")


def display_name(filename: str | None) -> str:
    """A safe name to show and to offer on download: no folders, no control or direction
    characters, not too long."""
    text = unicodedata.normalize("NFC", filename or "")
    text = _UNSAFE.sub("", text).replace("\\", "/")
    name = PurePosixPath(text).name.strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix
    return name or "file"


def name_for_type(filename: str | None, extension: str, aliases: tuple[str, ...] = ()) -> str:
    """:func:`display_name` ending in the extension of what the file really is: ``scan.exe``
    holding a PDF is shown as ``scan.pdf``."""
    name = display_name(filename)
    path = PurePosixPath(name)
    if path.suffix.lower() in (extension, *aliases):
        return name
    stem = path.stem if path.suffix else name
    return display_name(stem[: MAX_NAME_LENGTH - len(extension)] + extension)
