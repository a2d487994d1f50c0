"""Which characters typed text may hold (issue 14 item 6; ASVS 2.2.1 positive validation).

NUL and the other control characters are never typed on purpose: they arrive pasted from
other programs or from hostile posts, and PostgreSQL refuses NUL in text outright (a 503
where a friendly error was due). Bidirectional override and isolate characters reorder
what the reader sees (the "Trojan Source" trick), so single-line text such as names,
references and email addresses refuses them; multi-line text keeps them, because people
writing Arabic or Urdu among English may use them, and pages show such text in ``<bdi>``.
"""

import re

# C0 controls except tab, LF and CR; DEL; the C1 controls.
_CONTROLS_MULTI_LINE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Single-line text has no use for tab, LF or CR either.
_CONTROLS_SINGLE_LINE = "\x00-\x1f\x7f-\x9f"
# LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"

_FORBIDDEN_MULTI_LINE = re.compile(f"[{_CONTROLS_MULTI_LINE}]")
_FORBIDDEN_CONTROLS_SINGLE_LINE = re.compile(f"[{_CONTROLS_SINGLE_LINE}]")
_FORBIDDEN_BIDI = re.compile(f"[{_BIDI_CONTROLS}]")
_STRIPPED_FROM_NAMES = re.compile(f"[{_CONTROLS_SINGLE_LINE}{_BIDI_CONTROLS}]")

CONTROL = "control"
DIRECTION = "direction"


def hidden_characters(text: str, *, multi_line: bool) -> str | None:
    """What kind of forbidden character ``text`` holds (``CONTROL`` or ``DIRECTION``), or
    None when it may be saved as typed."""
    if multi_line:
        return CONTROL if _FORBIDDEN_MULTI_LINE.search(text) else None
    if _FORBIDDEN_CONTROLS_SINGLE_LINE.search(text):
        return CONTROL
    if _FORBIDDEN_BIDI.search(text):
        return DIRECTION
    return None


def without_hidden_characters(text: str) -> str:
    """For text nobody typed into a field, such as an uploaded file's name: drop control
    and direction characters rather than refuse the file."""
    return _STRIPPED_FROM_NAMES.sub("", text)
