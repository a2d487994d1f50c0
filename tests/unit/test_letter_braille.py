"""Braille-ready letters (issue 7, item 5): which table each language uses, that each table
really turns text into braille, and the 40-cell, 25-line layout done after translation."""

import subprocess

import pytest

from portal.letters import braille

# Every language the portal will have once issue 7 is done (config.SUPPORTED_LOCALES grows).
ALL_LOCALES = {"en", "cy", "pl", "ar", "ro", "pt", "es", "ur", "bn", "pa", "so", "uk"}

# A sentence in each language with what every letter has in it: a Latin-script name, an
# email address, a reference and a date.
SAMPLES = {
    "en": "Dear Jordan Ellis, we have received your request. Email act@alliancehomes.org.uk.",
    "cy": "Annwyl Jordan Ellis, rydym wedi derbyn eich cais. E-bost act@alliancehomes.org.uk.",
    "pl": "Szanowny Jordan Ellis, otrzymaliśmy Pana wniosek. Łódź, act@alliancehomes.org.uk.",
    "ar": "عزيزي Jordan Ellis، لقد تلقينا طلبك. act@alliancehomes.org.uk",
    "pt": "Caro Jordan Ellis, recebemos o seu pedido. Ação: act@alliancehomes.org.uk.",
    "es": "Estimado Jordan Ellis, hemos recibido su solicitud. Señor, act@alliancehomes.org.uk.",
    "pa": "ਪਿਆਰੇ Jordan Ellis, ਸਾਨੂੰ ਤੁਹਾਡੀ ਬੇਨਤੀ ਮਿਲ ਗਈ ਹੈ। act@alliancehomes.org.uk",
}
LEFT_OUT = {
    "ro": "Stimate Jordan Ellis, am primit cererea dumneavoastră.",
    "ur": "محترم Jordan Ellis، ہمیں آپ کی درخواست موصول ہوئی",
    "bn": "প্রিয় Jordan Ellis, আমরা আপনার অনুরোধ পেয়েছি",
    "uk": "Шановний Jordan Ellis, ми отримали ваш запит. Їжак, ґанок.",
}


def test_every_language_has_a_table_or_is_left_out_on_purpose():
    assert set(braille.TABLES) == ALL_LOCALES
    assert {code for code, table in braille.TABLES.items() if table is None} == {
        "ro",
        "ur",
        "bn",
        "uk",
        "so",
    }
    assert braille.table_for("en") == "en-ueb-g2.ctb"
    assert braille.table_for("xx") is None


@pytest.mark.parametrize("locale", sorted(SAMPLES))
def test_each_table_turns_the_sample_into_six_dot_braille(locale):
    brf = braille.render_brf(SAMPLES[locale], locale).decode("ascii")
    text = " ".join(brf.split())
    assert text and text != SAMPLES[locale]
    # Not passed through: a translation has nothing outside Braille ASCII.
    assert set(text) <= set(braille.BRAILLE_ASCII)
    # The name is in braille (its capital signs differ by table: "," in UEB, "." in Polish).
    assert "jordan" in text and "ellis" in text


@pytest.mark.parametrize("locale", sorted(LEFT_OUT))
def test_the_tables_left_out_really_do_not_work(locale):
    table = {"ro": "ro.tbl", "ur": "ur-pk-g1.utb", "bn": "bn.tbl", "uk": "uk.utb"}[locale]
    cells = braille.translate(LEFT_OUT[locale], table)
    eight_dot = any(0x2840 <= ord(c) <= 0x28FF for c in cells)
    not_braille = any(not (0x2800 <= ord(c) <= 0x28FF) for c in cells.strip())
    assert eight_dot or not_braille or braille.UNTRANSLATED.search(cells)
    with pytest.raises(braille.BrailleUnavailable):
        braille.render_brf(LEFT_OUT[locale], locale)


def test_braille_ascii_is_what_liblouis_itself_writes_for_english():
    sentence = "We have received your request, Jordan Ellis (14 Clift Road)."
    native = subprocess.run(
        ["lou_translate", "--forward", "en-ueb-g2.ctb"],
        input=sentence.encode(),
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout.decode()
    ours = braille.text_lines(braille.render_brf(sentence, "en").decode("ascii"))
    assert " ".join(" ".join(ours).split()) == " ".join(native.split())
    assert "rcvd" in ours[0] and "yr" in ours[0]  # UEB grade 2 contractions


def test_a_backslash_in_the_text_is_kept_not_read_as_an_escape():
    brf = braille.render_brf("Folder A\\B", "en").decode("ascii")
    assert "_*" in brf  # UEB's backslash


def test_untranslatable_characters_are_refused_not_written_as_escapes():
    with pytest.raises(braille.BrailleTranslationFailed):
        braille.to_braille_ascii(braille.translate("Шановний", "en-ueb-g2.ctb"))


def test_lines_break_between_words_at_forty_cells():
    words = ["abcdefgh"] * 12  # 9 cells with the space: four words a line
    lines = braille.wrap(" ".join(words))
    assert lines == ["abcdefgh abcdefgh abcdefgh abcdefgh"] * 3
    assert braille.wrap("a" * 45 + " b") == ["a" * 40, "aaaaa b"]
    assert braille.wrap("") == [""]
    exact = " ".join(["x" * 19, "y" * 20])
    assert braille.wrap(exact) == [exact] and len(exact) == 40


def test_pages_have_twenty_four_lines_of_text_and_no_blank_line_at_the_top():
    first = [f"line {n}" for n in range(24)]
    pages = braille.paginate([[line] for line in [*first, "", "after", "", "z"]])
    assert pages == [first, ["after", "", "z"]]  # the blank that would open page 2 is gone
    assert braille.paginate([[""], ["a"]]) == [["a"]]


def test_a_long_text_is_laid_out_as_numbered_pages_separated_by_form_feeds():
    text = "\n\n".join(f"Paragraph {n}: we have received your request." for n in range(40))
    brf = braille.render_brf(text, "en").decode("ascii")
    pages = brf.split("\f")
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = page.split("\r\n")
        assert lines[-1] == ""  # every line ends CR LF, also the last on a page
        assert len(lines[:-1]) == 25
        assert all(len(line) <= 40 for line in lines)
        # The braille page number at the right of the last line: #a, #b, #c ...
        assert lines[-2] == ("#" + "jabcdefghi"[number]).rjust(40)


ADDRESSES = [
    "customer.services@alliancehomes.org.uk",
    "https://www.housing-ombudsman.org.uk/residents/make-a-complaint/",
    "0300 111 3000",
]


def _read_back(brf: str, table: str) -> str:
    """The file's text lines joined with nothing between them (undoing the division of
    an address between lines), read back by liblouis."""
    return read_back("".join(braille.text_lines(brf)), table)


def read_back(ascii_cells: str, table: str) -> str:
    """Braille ASCII read back by liblouis, given as Unicode braille (so no display table
    stands between the cells and the translation table)."""
    return braille.translate(braille.from_braille_ascii(ascii_cells), table, backward=True)


@pytest.mark.parametrize("locale", [code for code, table in braille.TABLES.items() if table])
def test_addresses_and_phone_numbers_read_back_exactly(locale):
    """Issue 16 item 4: written letter for letter, so a braille reader (or liblouis) gets
    the very address back; in a contracted letter too."""
    text = (
        f"Email {ADDRESSES[0]} or visit {ADDRESSES[1]}.\n\n"
        f"Call us on {ADDRESSES[2]}, Monday to Friday."
    )
    brf = braille.render_brf(text, locale).decode("ascii")
    table = braille.address_table(locale)
    reading = _read_back(brf, table)
    for address in ADDRESSES:
        assert address in reading, (locale, address, reading)


def test_a_long_address_is_divided_after_a_mark_never_inside_a_word():
    brf = braille.render_brf(f"Visit {ADDRESSES[1]} today.", "en").decode("ascii")
    lines = [line for line in brf.split("\r\n") if line.strip() and "#a" not in line]
    assert len(lines) >= 2
    for line in lines[:-1]:
        ends = read_back(line, "en-ueb-g1.ctb")
        assert ends.rstrip()[-1] in "/.@-", ends
