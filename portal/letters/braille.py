"""Braille-ready letters: the plain text translated by liblouis and laid out as a BRF file
for an embosser or a braille display, 40 cells a line and 25 lines a page (issue 7, item 5).

liblouis (``lou_translate`` from Debian's liblouis-bin, ``make letter-deps``) translates to
Unicode braille; this module turns each cell into Braille ASCII and does the line and page
layout itself, on word boundaries, with a form feed between pages.
"""

import re

from portal.letters.external_programs import run_tool

# liblouis 3.24 tables by portal language, each checked to turn text (names, email addresses
# and references included) into braille (tests/unit/test_letter_braille.py). Left out, so
# the letter page offers the English file instead:
#   ro  ro.tbl is 8-dot computer braille (dot 7 marks capitals), not literary braille;
#   ur  ur-pk-g1.utb has no Latin letters: names and email addresses come out as escapes;
#   bn  bn.tbl leaves letters with a nukta (য়) as escapes;
#   uk  uk.utb leaves ї and ґ untranslated and drops the space after a comma;
#   so  liblouis has no Somali table.
TABLES = {
    "en": "en-ueb-g2.ctb",  # Unified English Braille, grade 2 (contracted)
    "cy": "cy-cy-g2.ctb",  # Welsh, grade 2
    "pl": "pl.tbl",
    "ar": "ar-ar-g1.utb",
    "ro": None,
    "pt": "pt-pt-g1.utb",
    "es": "es-g1.ctb",
    "ur": None,
    "bn": None,
    "pa": "pa.tbl",
    "so": None,
    "uk": None,
}
CELLS_PER_LINE = 40
LINES_PER_PAGE = 25
TIMEOUT_SECONDS = 60

# North American Braille ASCII, indexed by the dot pattern (bit n-1 set for dot n): the
# character an embosser prints for each of the 64 six-dot cells.
BRAILLE_ASCII = " a1b'k2l@cif/msp\"e3h9o6r^djg>ntq,*5<-u8v.%[$+x!&;:4\\0z7(_?w]#y)="
BLANK = "\u2800"
# liblouis writes a character its table lacks as an escape, "\x00e7", with its backslash
# in 8-dot computer braille (dots 1-2-5-6-7) — unlike UEB's "ou", the same cell without 7.
UNTRANSLATED = re.compile("\u2873\u282d")


class BrailleUnavailable(Exception):
    """No braille table for this language."""


class BrailleTranslationFailed(Exception):
    """liblouis left something that is not a six-dot braille cell."""


def table_for(locale: str) -> str | None:
    return TABLES.get(locale)


def translate(text: str, table: str, *, backward: bool = False) -> str:
    """Each line of text in Unicode braille (forward), or braille back to print."""
    direction = "--backward" if backward else "--forward"
    # lou_translate reads backslash escapes (\x0041) in its input: a backslash in the
    # letter must reach it doubled to stay a backslash.
    output = run_tool(
        "lou_translate",
        direction,
        f"unicode.dis,{table}",
        stdin=text.replace("\\", "\\\\").encode("utf-8"),
        timeout=TIMEOUT_SECONDS,
    )
    return output.decode("utf-8")


def to_braille_ascii(cells: str) -> str:
    """Unicode braille as Braille ASCII. Inside email addresses some tables write 8-dot
    computer braille, where dot 7 is added to the 6-dot cell (Welsh "@" is dots 4-7); a BRF
    line has six dots, so dots 7 and 8 are dropped, giving the computer-braille cell."""
    if UNTRANSLATED.search(cells):
        raise BrailleTranslationFailed(f"untranslated character in {cells!r}")
    out = []
    for cell in cells:
        if cell == " ":
            out.append(" ")
            continue
        dots = ord(cell) - 0x2800
        if not 0 <= dots < 256:
            raise BrailleTranslationFailed(f"not braille: {cell!r}")
        out.append(BRAILLE_ASCII[dots & 0x3F])
    return "".join(out)


def wrap(line: str, width: int = CELLS_PER_LINE) -> list[str]:
    """One translated paragraph as lines of at most ``width`` cells, broken between words;
    a word longer than a line (an email address) is cut at the width."""
    lines, current = [], ""
    for word in line.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def paginate(paragraphs: list[str], lines_per_page: int = LINES_PER_PAGE) -> list[list[str]]:
    """Lines into pages; a blank line that would start a page is dropped."""
    pages, page = [], []
    for paragraph in paragraphs:
        for line in wrap(paragraph):
            if not line and not page:
                continue
            page.append(line)
            if len(page) == lines_per_page:
                pages.append(page)
                page = []
    if page:
        pages.append(page)
    return pages


def render_brf(text: str, locale: str) -> bytes:
    """The text as a BRF file: Braille ASCII, CR LF line ends, a form feed between pages."""
    table = table_for(locale)
    if table is None:
        raise BrailleUnavailable(locale)
    translated = translate(text, table).replace(BLANK, " ").splitlines()
    pages = paginate([to_braille_ascii(line) for line in translated])
    return "\f".join("".join(f"{line}\r\n" for line in page) for page in pages).encode("ascii")
