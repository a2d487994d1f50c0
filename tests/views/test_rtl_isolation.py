"""Left-to-right text inside right-to-left pages, letters and emails stays in its own order
(issue 15 item 11): isolated with <bdi dir> in HTML and FSI/PDI in plain text."""

import io

import lxml.html
import pypdf

from portal.bidi import FSI, PDI
from tests.helpers import letter_file, parse, sign_in, url
from tests.letter_fixtures import make_notice_world
from tests.views.test_letter_views import staff_issue_notice


def download(client, letter, slug) -> bytes:
    response = letter_file(
        client, url("letters.download", letter_id=letter.id, locale="ar", fmt=slug)
    )
    assert response.status_code == 200
    data = response.data
    response.close()
    return data


def pdf_text_runs(data: bytes) -> str:
    """Every run of text the PDF draws, each in the order it is stored: its
    logical (reading) order, which pypdf's page layout would otherwise shuffle for mixed
    right-to-left lines."""
    runs = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=lambda text, *_: runs.append(text))
    return " ".join("".join(runs).split())


def test_the_arabic_letter_keeps_addresses_and_phone_numbers_in_reading_order(app, client):
    case, restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer, locale="ar")
    sign_in(client, customer.user.email)

    runs = pdf_text_runs(download(client, letter, "pdf"))
    assert "14 Clift Road" in runs and "Clift Road 14" not in runs
    # The Housing Ombudsman's phone number, inside an Arabic sentence.
    assert "0300 111 3000" in runs and "3000 111 0300" not in runs

    html = lxml.html.fromstring(download(client, letter, "html"))
    address = html.cssselect("address.recipient bdi")
    assert [(b.get("dir"), b.text) for b in address][1] == ("ltr", "14 Clift Road")
    [reference] = [b for b in html.cssselect(".references bdi") if b.text == letter.reference]
    assert reference.get("dir") == "ltr"
    # The phone number inside an Arabic sentence is isolated, in logical order.
    assert f"{FSI}0300 111 3000{PDI}" in html.text_content()

    text = download(client, letter, "text").decode("utf-8")
    assert f"{FSI}{letter.reference}{PDI}" in text
    assert f"{FSI}0300 111 3000{PDI}" in text


def test_phone_numbers_and_emails_in_an_arabic_page_are_isolated(app, client):
    phone, email = app.config["LANDLORD_PHONE"], app.config["LANDLORD_EMAIL"]
    arabic = parse(client.get(url("public.accessibility", lang="ar")))
    assert arabic.get("dir") == "rtl"
    lines = [li.text_content() for li in arabic.cssselect("main li")]
    assert any(f"{FSI}{phone}{PDI}" in line for line in lines)
    assert any(f"{FSI}{email}{PDI}" in line for line in lines)

    english = parse(client.get(url("public.accessibility", lang="en")))
    [line] = [li for li in english.cssselect("main li") if phone in li.text_content()]
    assert FSI not in line.text_content()  # nothing to reorder in a left-to-right page


def test_the_letter_page_isolates_the_address_and_marks_english_fallbacks(app, client):
    case, restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer, locale="ar")
    sign_in(client, customer.user.email)
    page = parse(client.get(url("letters.show", letter_id=letter.id, lang="ar")))
    letter_box = page.cssselect(".portal-letter")[0]
    assert letter_box.get("dir") == "rtl"
    address = [(b.get("dir"), b.text) for b in letter_box.cssselect("address bdi")]
    assert address[:2] == [("ltr", "Jordan Ellis"), ("ltr", "14 Clift Road")]
    # An English sentence in the Arabic letter (a name, here) runs left to right on its own.
    sign_off = letter_box.cssselect(".sign-off p")
    assert [p.get("dir") for p in sign_off if p.text == "Olivia Carter"] == ["ltr"]
