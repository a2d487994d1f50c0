"""Audio and braille-ready letters through the real download routes, proven by opening the
files (issue 7, items 4 and 5): MP3 frames and ID3 title, BRF layout and back-translation.
"""

import subprocess

from portal.letters import braille, render
from portal.letters import services as letters
from portal.models.types import utcnow
from portal.models.vocab import LetterKind, Role
from tests.factories import make_customer, make_user
from tests.helpers import check_page, letter_file, parse, sign_in, text_of, texts, url
from tests.letter_fixtures import STARTS_ON, make_notice_world

# MPEG audio Layer III: kbps by bitrate index, and samples per second by sample-rate index.
BITRATES = {
    "1": [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    "2": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
SAMPLE_RATES = {"1": [44100, 48000, 32000], "2": [22050, 24000, 16000], "2.5": [11025, 12000, 8000]}
VERSIONS = {0b00: "2.5", 0b10: "2", 0b11: "1"}


def issued_notice(locale="en", **customer_fields):
    case, _restriction, officer, customer = make_notice_world(**customer_fields)
    possible = next(
        p for p in letters.possible_letters(case) if p.kind == LetterKind.RESTRICTION_NOTICE
    )
    letter = letters.draft_letter(case, possible, created_by=officer, now=utcnow())
    letters.issue_letter(
        letter, issued_by=officer, locale=locale, needs_post=False, now=utcnow(), today=STARTS_ON
    )
    return letter, customer, officer


def download_url(letter, locale, fmt) -> str:
    return url("letters.download", letter_id=letter.id, locale=locale, fmt=fmt)


def get_file(client, file_url):
    response = letter_file(client, file_url)
    data = response.data
    response.close()
    return response, data


def id3_title(data: bytes) -> str:
    assert data[:3] == b"ID3", "no ID3 tag"
    size = sum(b << shift for b, shift in zip(data[6:10], (21, 14, 7, 0), strict=True))
    tag = data[10 : 10 + size]
    start = tag.index(b"TIT2")
    length = int.from_bytes(tag[start + 4 : start + 8], "big")
    return tag[start + 11 : start + 10 + length].decode("utf-16")


def mp3_frames(data: bytes) -> list[dict]:
    """Walk the MPEG frames after the ID3 tag, each from its 4-byte header."""
    size = sum(b << shift for b, shift in zip(data[6:10], (21, 14, 7, 0), strict=True))
    position, frames = 10 + size, []
    while position + 4 <= len(data):
        header = int.from_bytes(data[position : position + 4], "big")
        assert header >> 21 == 0x7FF, f"lost frame sync at byte {position}"
        version = VERSIONS[(header >> 19) & 0b11]
        assert (header >> 17) & 0b11 == 0b01, "not Layer III"
        kbps = BITRATES["1" if version == "1" else "2"][(header >> 12) & 0xF]
        rate = SAMPLE_RATES[version][(header >> 10) & 0b11]
        padding = (header >> 9) & 1
        per_frame = 1152 if version == "1" else 576
        length = per_frame // 8 * kbps * 1000 // rate + padding
        frames.append(
            {"kbps": kbps, "rate": rate, "mono": (header >> 6) & 0b11 == 0b11, "n": per_frame}
        )
        position += length
    return frames


def brf_pages(data: bytes) -> list[list[str]]:
    text = data.decode("ascii")
    return [page.split("\r\n")[:-1] for page in text.split("\f")]


def back_translate(brf: str, table: str = "en-ueb-g2.ctb") -> str:
    """liblouis's own reading of the file, joined into one line (the layout undone)."""
    return subprocess.run(
        ["lou_translate", "--backward", table],
        input=" ".join(brf.split()).encode("ascii"),
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout.decode()


def test_audio_letters_in_english_polish_and_arabic_are_mp3_a_phone_can_play(app, client):
    letter, customer, _officer = issued_notice()
    sign_in(client, customer.user.email)
    seen = set()
    for locale in ("en", "pl", "ar"):
        response, data = get_file(client, download_url(letter, locale, "audio"))
        assert response.status_code == 200, locale
        assert response.headers["Content-Type"] == "audio/mpeg"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment")
        assert f"{letter.reference}-restriction-notice-{locale}.mp3" in disposition
        title = id3_title(data)
        assert letter.reference in title
        assert letter.content["documents"][locale]["title"] in title  # in the letter's language
        frames = mp3_frames(data)
        assert {f["kbps"] for f in frames} == {64}  # constant bit rate
        assert all(f["mono"] for f in frames)
        seconds = sum(f["n"] / f["rate"] for f in frames)
        assert seconds > 60, (locale, seconds)  # the whole letter, not a fragment
        seen.add(data)
    assert len(seen) == 3  # three languages, three recordings


def test_the_braille_ready_english_letter_is_ueb_grade_2_in_pages_of_40_by_25(app, client):
    letter, customer, _officer = issued_notice()
    sign_in(client, customer.user.email)
    response, data = get_file(client, download_url(letter, "en", "braille"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"{letter.reference}-restriction-notice-en.brf" in disposition

    pages = brf_pages(data)
    assert len(pages) >= 2 and data.count(b"\f") == len(pages) - 1
    assert all(1 <= len(page) <= 25 for page in pages)
    assert all(len(page) == 25 for page in pages[:-1])  # only the last page is short
    assert all(len(line) <= 40 for page in pages for line in page)
    brf = data.decode("ascii")
    assert ",jordan ,ellis" in brf  # the customer's name, with UEB capital signs
    text = render.document_text(letter.content["documents"]["en"])
    assert "You can contact us by email only." in text
    assert "3tact" in brf and "contact" not in brf  # UEB's "con" contraction

    reading = " ".join(back_translate(brf).split())
    assert "You can contact us by email only." in reading
    assert "Jordan Ellis" in reading


def test_braille_in_welsh_polish_and_arabic_uses_their_own_tables(app, client):
    letter, customer, _officer = issued_notice()
    sign_in(client, customer.user.email)
    english = get_file(client, download_url(letter, "en", "braille"))[1]
    for locale in ("cy", "pl", "ar"):
        response, data = get_file(client, download_url(letter, locale, "braille"))
        assert response.status_code == 200, locale
        assert data != english
        pages = brf_pages(data)
        assert all(len(page) <= 25 and all(len(line) <= 40 for line in page) for page in pages)
        name = " ".join(braille.render_brf("Jordan Ellis", locale).decode("ascii").split())
        assert name in " ".join(data.decode("ascii").split()), locale
        plain = render.document_text(letter.content["documents"][locale])
        assert data.decode("ascii") != plain


def test_staff_download_them_too(app, client):
    letter, _customer, officer = issued_notice()
    sign_in(client, officer.email)
    for fmt in ("audio", "braille"):
        response, _data = get_file(client, download_url(letter, "en", fmt))
        assert response.status_code == 200, fmt


def test_another_customers_audio_and_braille_are_not_found(app, client):
    letter, _customer, _officer = issued_notice()
    stranger = make_user(Role.CUSTOMER)
    make_customer(stranger)
    sign_in(client, stranger.email)
    for path in (download_url(letter, "en", "audio"), download_url(letter, "en", "braille")):
        response = client.get(path)
        assert response.status_code == 404, path
        check_page(response.get_data(as_text=True))
        assert texts(response, "h1") == ["Page not found"]
        assert "Jordan Ellis" not in text_of(parse(response))


def test_unknown_formats_and_languages_without_the_format_are_not_found(app, client):
    letter, customer, _officer = issued_notice()
    sign_in(client, customer.user.email)
    for path in ("en/mp3", "en/brf", "en/audio.mp3", "so/audio", "xx/braille"):
        locale, fmt = path.split("/")
        response = client.get(download_url(letter, locale, fmt))
        assert response.status_code == 404, path


def test_a_somali_letter_says_there_is_no_somali_voice_and_offers_english(app, client, monkeypatch):
    # Somali joins SUPPORTED_LOCALES with issue 7's other languages; until then a letter in
    # Somali is issued here with it added for the services.
    monkeypatch.setattr(letters, "SUPPORTED_LOCALES", (*letters.SUPPORTED_LOCALES, "so"))
    letter, customer, _officer = issued_notice(locale="so", preferred_locale="so")
    assert letter.locale == "so" and "so" in letter.content["documents"]
    sign_in(client, customer.user.email)
    # The pages open in the customer's recorded Somali (issue 15 item 4); read in English here.
    response = client.get(url("letters.show", letter_id=letter.id, lang="en"))
    check_page(response.get_data(as_text=True))
    page = parse(response)
    somali = {
        text_of(item): [a.get("href") for a in item.cssselect("a")]
        for item in page.cssselect('ul[aria-labelledby="downloads-so"] > li')
    }
    audio = "Audio: no computer voice speaks this language yet. Listen to the English audio instead"
    assert somali[audio] == [download_url(letter, "en", "audio")]
    braille_text = (
        "Braille: there is no braille-ready file in this language yet; braille is available "
        "in English. Download the English braille-ready file instead"
    )
    assert somali[braille_text] == [download_url(letter, "en", "braille")]
    links = [a.get("href") for a in page.cssselect("a")]
    assert download_url(letter, "so", "audio") not in links
    english_audio = download_url(letter, "en", "audio")
    first_link = page.cssselect(f'a[href="{english_audio}"]')[0]  # the player's place
    assert text_of(first_link) == "Make the recording"
    [about_voice] = [p for p in texts(response, "main p") if "computer voice reads" in p]
    assert "No computer voice speaks the language this letter was sent in yet" in about_voice
    assert client.get(download_url(letter, "so", "audio")).status_code == 404
    assert client.get(download_url(letter, "so", "braille")).status_code == 404
    response, _data = get_file(client, download_url(letter, "en", "audio"))
    assert response.status_code == 200
    player = parse(client.get(url("letters.show", letter_id=letter.id))).cssselect("audio")
    assert [p.get("src") for p in player] == [download_url(letter, "en", "audio")]


def test_the_letter_page_has_a_player_with_the_words_beside_it(app, client):
    letter, customer, _officer = issued_notice(locale="pl", preferred_locale="pl")
    sign_in(client, customer.user.email)
    # Until a job worker has made the recording, the page offers to make it (read here in
    # English; the customer's pages open in Polish).
    before = parse(client.get(url("letters.show", letter_id=letter.id, lang="en")))
    assert not before.cssselect("audio")
    [make] = [a for a in before.cssselect("a") if text_of(a) == "Make the recording"]
    assert make.get("href") == download_url(letter, "pl", "audio")
    get_file(client, download_url(letter, "pl", "audio"))
    response = client.get(url("letters.show", letter_id=letter.id))
    check_page(response.get_data(as_text=True))
    page = parse(response)
    [player] = page.cssselect("audio")
    assert player.get("src") == download_url(letter, "pl", "audio") and "controls" in player.attrib
    links = [a.get("href") for a in page.cssselect("a")]
    assert download_url(letter, "pl", "text") in links  # the text alternative
    assert "not available online yet" not in text_of(page)


def test_repeat_audio_and_braille_downloads_come_from_the_cache(app, client, monkeypatch):
    letter, customer, _officer = issued_notice()
    sign_in(client, customer.user.email)
    first = {
        fmt: get_file(client, download_url(letter, "en", fmt))[1] for fmt in ("audio", "braille")
    }

    def no_second_render(*_args, **_kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(render, "render", no_second_render)
    for fmt, data in first.items():
        response, again = get_file(client, download_url(letter, "en", fmt))
        assert response.status_code == 200 and again == data, fmt
