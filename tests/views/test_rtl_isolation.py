"""Left-to-right text inside right-to-left pages, letters and emails stays in its own order
(issue 15 item 11): isolated with <bdi dir> in HTML and FSI/PDI in plain text."""

import io

import lxml.html
import pypdf

from portal.bidi import FSI, PDI
from tests.helpers import sign_in, url
from tests.letter_fixtures import make_notice_world
from tests.views.test_letter_views import staff_issue_notice


def download(client, letter, slug) -> bytes:
    response = client.get(url("letters.download", letter_id=letter.id, locale="ar", fmt=slug))
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
    assert "03000 120 120" in runs and "120 120 03000" not in runs

    html = lxml.html.fromstring(download(client, letter, "html"))
    address = html.cssselect("address.recipient bdi")
    assert [(b.get("dir"), b.text) for b in address][1] == ("ltr", "14 Clift Road")
    [reference] = [b for b in html.cssselect(".references bdi") if b.text == letter.reference]
    assert reference.get("dir") == "ltr"
    # The phone number inside an Arabic sentence is isolated, in logical order.
    assert f"{FSI}03000 120 120{PDI}" in html.text_content()

    text = download(client, letter, "text").decode("utf-8")
    assert f"{FSI}{letter.reference}{PDI}" in text
    assert f"{FSI}03000 120 120{PDI}" in text
