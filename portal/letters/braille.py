"""Braille-ready letters: the plain text translated by liblouis and laid out as a BRF file
for an embosser or a braille display, 40 cells a line and 25 lines a page (issue 7, item 5).

liblouis (``lou_translate`` from Debian's liblouis-bin, ``make letter-deps``) translates to
Unicode braille; this module turns each cell into Braille ASCII and does the line and page
layout itself, on word boundaries, with a form feed between pages and the braille page
number at the right of each page's last line.

Web addresses, email addresses and phone numbers are written letter for letter
(uncontracted: a contraction inside "https://" read back as "httpscc//") with a table
that gives each back exactly; one too long for a line is divided after a punctuation mark
(/ . @ -), never inside a word and with no hyphen added, as UEB advises for addresses
(issue 16 item 4).
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
# The table for addresses and phone numbers: UEB uncontracted, unless the letter's own table
# gives them back exactly (Polish, Portuguese). The English and Welsh tables contract
# ("https" read back as "httpscc"); cy-cy-g1 writes "@" as a cell read back as "!";
# es-g1 writes "." as dot 3 (read back as an apostrophe); ar and pa read Latin back wrong.
UEB_UNCONTRACTED = "en-ueb-g1.ctb"
ADDRESS_TABLES = {"en": UEB_UNCONTRACTED, "cy": UEB_UNCONTRACTED, "es": UEB_UNCONTRACTED}
ADDRESS_TABLES |= {"ar": UEB_UNCONTRACTED, "pa": UEB_UNCONTRACTED}
CELLS_PER_LINE = 40
LINES_PER_PAGE = 25
TEXT_LINES_PER_PAGE = LINES_PER_PAGE - 1  # the last line holds the page number

# A web address, an email address or a phone number (with its spaces), without the full
# stop or bracket that may close the sentence around it.
COMPUTER_TEXT = re.compile(
    r"(?:https?://|www\.)[^\s]*[^\s.,;:)]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\+?\d[\d ]{6,}\d"
)
# Where an address may be divided between lines: after these marks.
ADDRESS_BREAK = re.compile(r"(?<=[/.@-])(?=[^/])")
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


def address_table(locale: str) -> str:
    return ADDRESS_TABLES.get(locale, TABLES[locale])


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


def from_braille_ascii(text: str) -> str:
    """Braille ASCII back to Unicode braille cells (what ``to_braille_ascii`` undoes)."""
    return "".join(" " if c == " " else chr(0x2800 + BRAILLE_ASCII.index(c)) for c in text)


def text_lines(brf: str) -> list[str]:
    """The lines of a BRF file that carry the letter: each page's page-number line (and the
    empty end of its last CR LF) left out (what ``render_brf`` lays out)."""
    return [line for page in brf.split("\f") for line in page.split("\r\n")[:-2]]


def wrap(line: str, width: int = CELLS_PER_LINE) -> list[str]:
    """One translated paragraph as lines of at most ``width`` cells, broken between words;
    a word longer than a line is cut at the width."""
    return wrap_runs([(word, True) for word in line.split()], width)


def wrap_runs(runs: list[tuple[str, bool]], width: int = CELLS_PER_LINE) -> list[str]:
    """Lay out runs of cells, each with whether a space comes before it. A run with no
    space before it may still start a line (the next piece of a divided address); a
    run longer than a line is cut at the width."""
    lines, current = [], ""
    for run, spaced in runs:
        joined = f"{current} {run}" if current and spaced else current + run
        if len(joined) <= width:
            current = joined
            continue
        if current:
            lines.append(current)
        while len(run) > width:
            lines.append(run[:width])
            run = run[width:]
        current = run
    if current:
        lines.append(current)
    return lines or [""]


def paginate(paragraphs: list[list[str]], lines_per_page: int = TEXT_LINES_PER_PAGE):
    """Laid-out paragraphs into pages; a blank line that would start a page is dropped."""
    pages, page = [], []
    for paragraph in paragraphs:
        for line in paragraph:
            if not line and not page:
                continue
            page.append(line)
            if len(page) == lines_per_page:
                pages.append(page)
                page = []
    if page:
        pages.append(page)
    return pages


def page_number(number: int) -> str:
    """A braille page number in Braille ASCII: the number sign, then digits as a-j."""
    return "#" + "".join("jabcdefghi"[int(digit)] for digit in str(number))


def _pieces(line: str) -> list[tuple[str, bool, bool]]:
    """A line of print as (text, is_computer_text, space_before) pieces: ordinary words
    and the pieces of an address, divided where a line may break."""
    pieces, position = [], 0
    for found in COMPUTER_TEXT.finditer(line):
        before = line[position : found.start()]
        if before.strip():
            pieces.append((before.strip(), False, before[:1].isspace() or not pieces))
        spaced = not pieces or before[-1:].isspace() or before == ""
        parts = ADDRESS_BREAK.split(found.group()) if " " not in found.group() else [found.group()]
        pieces += [(part, True, spaced and n == 0) for n, part in enumerate(parts)]
        position = found.end()
    after = line[position:]
    if after.strip():
        pieces.append((after.strip(), False, after[:1].isspace() or not pieces))
    return pieces


def _translated_runs(lines: list[str], locale: str) -> list[list[tuple[str, bool]]]:
    """Each line as runs of Braille ASCII, two calls to liblouis in all."""
    table = table_for(locale)
    pieces = [_pieces(line) for line in lines]
    words = [text for line in pieces for text, computer, _ in line if not computer]
    codes = [text for line in pieces for text, computer, _ in line if computer]
    cells = {
        False: iter(_cells(words, table)),
        True: iter(_cells(codes, address_table(locale))),
    }
    paragraphs = []
    for line in pieces:
        runs = []
        for _text, computer, spaced in line:
            translated = next(cells[computer])
            if computer:
                runs.append((translated, spaced))
            else:
                words_of = translated.split()
                runs += [(word, spaced or n > 0) for n, word in enumerate(words_of)]
        paragraphs.append(runs)
    return paragraphs


def _cells(texts: list[str], table: str) -> list[str]:
    if not texts:
        return []
    lines = translate("\n".join(texts), table).replace(BLANK, " ").split("\n")
    return [to_braille_ascii(line) for line in lines[: len(texts)]]


def render_brf(text: str, locale: str) -> bytes:
    """The text as a BRF file: Braille ASCII, CR LF line ends, a form feed between pages,
    and each page's number at the right of its last line."""
    if table_for(locale) is None:
        raise BrailleUnavailable(locale)
    paragraphs = [wrap_runs(runs) for runs in _translated_runs(text.splitlines(), locale)]
    pages = paginate(paragraphs)
    out = []
    for number, page in enumerate(pages, start=1):
        lines = page + [""] * (TEXT_LINES_PER_PAGE - len(page))
        lines.append(page_number(number).rjust(CELLS_PER_LINE))
        out.append("".join(f"{line}\r\n" for line in lines))
    return "\f".join(out).encode("ascii")
