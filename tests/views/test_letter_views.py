"""Letters through the real pages, proven by reading the downloaded files (issue 5).

Done when: for a restriction, staff issue the notice; the customer sees it as new, opens it,
and downloads each format in English and two other languages (one right-to-left).
"""

import io
import logging
import re

import pikepdf
import pypdf
import pytest
import sqlalchemy as sa
from babel.dates import format_date

from portal.extensions import db
from portal.letters import render
from portal.models import Letter
from portal.models.vocab import LetterFormat, Role
from tests.factories import make_customer, make_user
from tests.helpers import check_page, csrf_token, sign_in
from tests.letter_fixtures import make_notice_world

ARABIC = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
BABEL_LOCALE = {"en": "en_GB", "cy": "cy", "ar": "ar", "pl": "pl"}


def staff_issue_notice(client, case, officer, locale="en", needs_post="no") -> Letter:
    sign_in(client, officer.email)
    new_url = f"/staff/cases/{case.id}/letters/new"
    page = client.get(new_url).get_data(as_text=True)
    check_page(page)
    key = re.search(r'value="(restriction_notice:restriction:\d+)"', page).group(1)
    response = client.post(new_url, data={"csrf_token": csrf_token(client, new_url), "letter": key})
    assert response.status_code == 303
    issue_url = response.headers["Location"]
    preview = client.get(issue_url).get_data(as_text=True)
    check_page(preview)
    assert "Missing" not in preview and "policy section 3.4" in preview
    response = client.post(
        issue_url,
        data={
            "csrf_token": csrf_token(client, issue_url),
            "locale": locale,
            "needs_post": needs_post,
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    return db.session.scalar(sa.select(Letter).order_by(Letter.id.desc()))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def font_sizes(data: bytes) -> set[float]:
    """Every font size set in the PDF's page content streams (the Tf operator), in points.
    WeasyPrint draws in CSS pixels under a 0.75 scale, so a Tf of 24 is 18 pt."""
    sizes = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Tf":
                    sizes.add(round(float(operands[1]) * 0.75, 2))
    return sizes


@pytest.fixture
def weasyprint_errors(caplog):
    """WeasyPrint's PDF/UA mode logs accessibility errors instead of raising."""
    caplog.set_level(logging.ERROR, logger="weasyprint")
    yield caplog
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_done_when_issue_open_and_download_every_format_in_three_languages(
    app, client, weasyprint_errors
):
    case, restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)

    sign_in(client, customer.user.email)
    home = client.get("/my/").get_data(as_text=True)
    assert f"/letters/{letter.id}" in home and ">New<" in home
    page = client.get(f"/letters/{letter.id}").get_data(as_text=True)
    check_page(page)
    assert "Jordan Ellis" in page
    assert ">New<" not in client.get("/my/").get_data(as_text=True)  # opened: no longer new
    db.session.expire_all()
    assert db.session.get(Letter, letter.id).first_opened_at is not None

    for locale in ("en", "cy", "ar"):
        end_date = format_date(restriction.ends_on, "long", locale=BABEL_LOCALE[locale])
        files = {}
        for slug, fmt in render.FORMATS.items():
            response = client.get(f"/letters/{letter.id}/{locale}/{slug}")
            assert response.status_code == 200, (locale, slug)
            assert response.headers["Content-Type"].startswith(fmt.media_type.split(";")[0])
            disposition = response.headers["Content-Disposition"]
            assert f"{letter.reference}-restriction-notice-{locale}" in disposition
            files[slug] = response.data
            response.close()

        text = files["text"].decode("utf-8")
        html = files["html"].decode("utf-8")
        assert "Jordan Ellis" in text and end_date in text
        assert f'lang="{BABEL_LOCALE[locale].replace("_", "-")}"' in html and end_date in html
        for slug in ("pdf", "large-print", "easy-read"):
            with pikepdf.open(io.BytesIO(files[slug])) as pdf:
                assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
                assert str(pdf.Root.Lang) == BABEL_LOCALE[locale].replace("_", "-")
                assert str(pdf.docinfo["/Title"])
        words = pdf_text(files["pdf"])
        assert "Jordan Ellis" in words
        if locale == "ar":
            assert ARABIC.search(words), "the Arabic PDF has no Arabic text"
            assert 'dir="rtl"' in html
        else:
            assert end_date in " ".join(words.split())  # the same date as the text version
        assert min(font_sizes(files["large-print"])) >= 18
        assert min(font_sizes(files["pdf"])) < 18  # the scale is right: ordinary print is smaller
        assert "Jordan Ellis" in pdf_text(files["large-print"])


def test_repeat_downloads_come_from_the_cache(app, client, monkeypatch):
    case, _restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)
    sign_in(client, customer.user.email)
    first = client.get(f"/letters/{letter.id}/en/pdf")
    first_bytes = first.data
    first.close()

    def no_second_render(*_args, **_kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(render, "render", no_second_render)
    again = client.get(f"/letters/{letter.id}/en/pdf")
    assert again.status_code == 200 and again.data == first_bytes
    again.close()


@pytest.mark.parametrize(
    "path",
    ["/letters/{id}/en/docx", "/letters/{id}/xx/pdf", "/letters/{id}/../pdf", "/letters/999999"],
)
def test_unknown_formats_languages_and_letters_are_not_found(app, client, path):
    case, _restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)
    sign_in(client, customer.user.email)
    response = client.get(path.format(id=letter.id))
    assert response.status_code == 404
    check_page(response.get_data(as_text=True))


def test_another_customers_letter_and_a_draft_are_not_found(app, client):
    case, _restriction, officer, _customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)
    stranger = make_user(Role.CUSTOMER)
    make_customer(stranger)
    sign_in(client, stranger.email)
    for url in (f"/letters/{letter.id}", f"/letters/{letter.id}/en/pdf"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Jordan Ellis" not in response.get_data(as_text=True)


def test_a_draft_is_not_shown_to_the_customer(app, client):
    case, _restriction, officer, customer = make_notice_world()
    sign_in(client, officer.email)
    new_url = f"/staff/cases/{case.id}/letters/new"
    page = client.get(new_url).get_data(as_text=True)
    key = re.search(r'value="(restriction_notice:restriction:\d+)"', page).group(1)
    client.post(new_url, data={"csrf_token": csrf_token(client, new_url), "letter": key})
    draft = db.session.scalar(sa.select(Letter))
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, customer.user.email)
    assert client.get(f"/letters/{draft.id}").status_code == 404
    assert f"/letters/{draft.id}" not in client.get("/my/").get_data(as_text=True)


def test_an_incomplete_letter_lists_what_is_missing_and_cannot_be_issued(app, client):
    case, _restriction, officer, _customer = make_notice_world(with_director=False)
    sign_in(client, officer.email)
    new_url = f"/staff/cases/{case.id}/letters/new"
    page = client.get(new_url).get_data(as_text=True)
    key = re.search(r'value="(restriction_notice:restriction:\d+)"', page).group(1)
    issue_url = client.post(
        new_url, data={"csrf_token": csrf_token(client, new_url), "letter": key}
    ).headers["Location"]
    page = client.get(issue_url).get_data(as_text=True)
    check_page(page)
    assert "Missing" in page and "How to appeal, and to whom" in page
    assert "Issue the letter" not in page
    refused = client.post(
        issue_url,
        data={"csrf_token": csrf_token(client, new_url), "locale": "en", "needs_post": "no"},
    )
    assert refused.status_code == 400
    assert db.session.scalar(sa.select(Letter.status)).value == "draft"


def test_the_customers_choice_applies_to_later_letters(app, client):
    case, _restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)
    sign_in(client, customer.user.email)
    url = f"/letters/{letter.id}"
    response = client.post(
        f"{url}/choice",
        data={
            "csrf_token": csrf_token(client, url),
            "locale": "ar",
            "letter_format": "large-print",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    stored = db.session.get(type(customer), customer.id)
    assert stored.preferred_locale == "ar"
    assert stored.preferred_letter_format == LetterFormat.LARGE_PRINT
    from portal.letters import services

    assert services.default_locale(stored) == "ar"


def test_the_print_batch_is_one_pdf_of_every_letter_waiting_for_the_post(app, client):
    case, _restriction, officer, _customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer, needs_post="yes")
    sign_in(client, officer.email)
    queue = client.get("/staff/letters/post").get_data(as_text=True)
    check_page(queue)
    assert letter.reference in queue
    batch = client.get("/staff/letters/post/print-batch.pdf")
    assert batch.status_code == 200
    assert "Jordan Ellis" in pdf_text(batch.data)
    with pikepdf.open(io.BytesIO(batch.data)) as pdf:
        assert len(pdf.pages) >= 2 and "/StructTreeRoot" in pdf.Root
    response = client.post(
        "/staff/letters/post/mark-posted",
        data={"csrf_token": csrf_token(client, "/staff/letters/post"), "letter_id": letter.id},
    )
    assert response.status_code == 303
    assert letter.reference not in client.get("/staff/letters/post").get_data(as_text=True)


def test_an_advocate_reads_the_letters_of_the_customer_they_act_for_and_no_one_elses(app, client):
    from portal.models import AdvocateAuthority
    from portal.models.vocab import AdvocateRelationship

    case, _restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)
    advocate = make_user(Role.ADVOCATE)
    db.session.add(
        AdvocateAuthority(
            customer_id=customer.id,
            advocate_user_id=advocate.id,
            advocate_name="Sam Ellis",
            advocate_email=advocate.email,
            relationship_to_customer=AdvocateRelationship.FAMILY_MEMBER,
            can_view=True,
        )
    )
    db.session.commit()
    sign_in(client, advocate.email)
    page = client.get(f"/advocate/customers/{customer.id}").get_data(as_text=True)
    check_page(page)
    assert f"/letters/{letter.id}" in page and ">New<" in page
    response = client.get(f"/letters/{letter.id}/en/text")
    assert response.status_code == 200 and b"Jordan Ellis" in response.data
    response.close()
    other = make_customer(make_user(Role.CUSTOMER))
    assert client.get(f"/advocate/customers/{other.id}").status_code == 404


def test_an_unknown_language_on_the_issue_form_is_a_clear_error_not_a_crash(app, client):
    case, _restriction, officer, _customer = make_notice_world()
    sign_in(client, officer.email)
    new_url = f"/staff/cases/{case.id}/letters/new"
    page = client.get(new_url).get_data(as_text=True)
    key = re.search(r'value="(restriction_notice:restriction:\d+)"', page).group(1)
    issue_url = client.post(
        new_url, data={"csrf_token": csrf_token(client, new_url), "letter": key}
    ).headers["Location"]
    response = client.post(
        issue_url,
        data={"csrf_token": csrf_token(client, issue_url), "locale": "xx", "needs_post": "no"},
    )
    assert response.status_code == 400
    check_page(response.get_data(as_text=True))
    assert db.session.scalar(sa.select(Letter.status)).value == "draft"
