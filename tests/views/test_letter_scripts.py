"""Issue 7, item 2: the fonts the project installs cover every script, in PDFs too. A
notice issued in English is read back from the PDF in each of the other scripts the portal
writes: Bengali, Gurmukhi, Urdu (Arabic script, right to left) and Cyrillic, and in the
Latin languages with diacritics."""

import io
import re

import pikepdf
import pytest

from tests.helpers import letter_file, parse, sign_in, url
from tests.letter_fixtures import make_notice_world
from tests.views.test_letter_views import pdf_text, staff_issue_notice

SCRIPTS = {
    "bn": re.compile(r"[\u0980-\u09ff]"),
    "pa": re.compile(r"[\u0a00-\u0a7f]"),
    "ur": re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]"),
    "uk": re.compile(r"[\u0400-\u04ff]"),
    "ro": re.compile(r"[ăâîșțĂÂÎȘȚ]"),
    "pl": re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]"),
}


def embedded_fonts(data: bytes) -> set[str]:
    names = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                names.add(str(font.get("/BaseFont", "")))
    return names


@pytest.mark.parametrize("locale", sorted(SCRIPTS))
def test_the_pdf_letter_carries_text_in_the_languages_script(app, client, locale):
    case, _restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)
    sign_in(client, customer.user.email)
    response = letter_file(
        client, url("letters.download", letter_id=letter.id, locale=locale, fmt="pdf")
    )
    assert response.status_code == 200
    data = response.data
    response.close()
    words = pdf_text(data)
    assert len(SCRIPTS[locale].findall(words)) >= 20, f"too little {locale} text in the PDF"
    assert customer.full_name in words  # names stay in their own script, isolated
    if locale in {"bn", "pa", "ur"}:
        assert any("Noto" in name for name in embedded_fonts(data))
    page = client.get(url("letters.download", letter_id=letter.id, locale=locale, fmt="html"))
    right_to_left = parse(page).cssselect('[dir="rtl"]')
    page.close()
    assert bool(right_to_left) == (locale == "ur")
