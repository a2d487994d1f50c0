"""Letters through the real pages, proven by reading the downloaded files (issue 5).

Done when: for a restriction, staff issue the notice; the customer sees it as new, opens it,
and downloads each format in English and two other languages (one right-to-left).
"""

import io
import logging
import re

import lxml.html
import pikepdf
import pypdf
import pytest
import sqlalchemy as sa
from babel.dates import format_date

from portal.extensions import db
from portal.letters import render
from portal.models import Letter
from portal.models.vocab import LetterFormat, Role
from tests import pdf_ua_rules
from tests.factories import make_customer, make_user
from tests.helpers import (
    check_page,
    csrf_token,
    letter_file,
    parse,
    sign_in,
    sign_out,
    text_of,
    texts,
    url,
)
from tests.letter_fixtures import make_notice_world

ARABIC = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
BABEL_LOCALE = {"en": "en_GB", "cy": "cy", "ar": "ar", "pl": "pl"}


def notice_choice(page) -> str:
    """The value of the "restriction notice" choice on the new letter page."""
    values = [radio.get("value") for radio in parse(page).cssselect("input[name=letter]")]
    [key] = [
        value for value in values if re.fullmatch(r"restriction_notice:restriction:\d+", value)
    ]
    return key


def checklist(page) -> dict[str, str]:
    """Each policy element on the issue page, with its tag: Present or Missing."""
    items = parse(page).cssselect("#checklist + ul > li")
    return {
        text_of(item).split(" ", 1)[1]: text_of(item.cssselect(".govuk-tag")[0]) for item in items
    }


def letter_links(page, letter_id) -> list[str]:
    """The text of each row linking to the letter, its "New" tag included."""
    link = url("letters.show", letter_id=letter_id)
    return [text_of(a.getparent()) for a in parse(page).cssselect(f'main td a[href="{link}"]')]


def start_notice(client, case) -> str:
    """Start a restriction notice on the case; the URL of its issue page."""
    new_url = url("letters.new", case_id=case.id)
    page = client.get(new_url)
    check_page(page.get_data(as_text=True))
    token = csrf_token(client, new_url)
    response = client.post(new_url, data={"csrf_token": token, "letter": notice_choice(page)})
    assert response.status_code == 303
    return response.headers["Location"]


def staff_issue_notice(client, case, officer, locale="en", needs_post="no") -> Letter:
    sign_in(client, officer.email)
    issue_url = start_notice(client, case)
    preview = client.get(issue_url)
    check_page(preview.get_data(as_text=True))
    elements = checklist(preview)
    assert set(elements.values()) == {"Present"}
    assert any(name.endswith("(policy section 3.4)") for name in elements)
    response = client.post(
        issue_url,
        data={
            "csrf_token": csrf_token(client, issue_url),
            "locale": locale,
            "needs_post": needs_post,
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    sign_out(client)
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
    [row] = letter_links(client.get(url("my.home")), letter.id)
    assert row.endswith(" New")
    page = client.get(url("letters.show", letter_id=letter.id))
    check_page(page.get_data(as_text=True))
    assert "Jordan Ellis" in texts(page, ".portal-letter")[0]
    [row] = letter_links(client.get(url("my.home")), letter.id)
    assert not row.endswith(" New")  # opened: no longer new
    db.session.expire_all()
    assert db.session.get(Letter, letter.id).first_opened_at is not None

    for locale in ("en", "cy", "ar"):
        end_date = format_date(restriction.ends_on, "long", locale=BABEL_LOCALE[locale])
        files = {}
        for slug, fmt in render.FORMATS.items():
            response = letter_file(
                client, url("letters.download", letter_id=letter.id, locale=locale, fmt=slug)
            )
            assert response.status_code == 200, (locale, slug)
            assert response.headers["Content-Type"].startswith(fmt.media_type.split(";")[0])
            disposition = response.headers["Content-Disposition"]
            assert f"{letter.reference}-restriction-notice-{locale}" in disposition
            files[slug] = response.data
            response.close()

        text = files["text"].decode("utf-8")
        html = lxml.html.fromstring(files["html"].decode("utf-8"))
        assert "Jordan Ellis" in text and end_date in text
        assert html.get("lang") == BABEL_LOCALE[locale].replace("_", "-")
        assert end_date in text_of(html)
        for slug in ("pdf", "large-print", "easy-read"):
            with pikepdf.open(io.BytesIO(files[slug])) as pdf:
                assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
                assert str(pdf.Root.Lang) == BABEL_LOCALE[locale].replace("_", "-")
                assert str(pdf.docinfo["/Title"])
            assert pdf_ua_rules.problems(files[slug]) == [], (locale, slug)
        words = pdf_text(files["pdf"])
        assert "Jordan Ellis" in words
        if locale == "ar":
            assert ARABIC.search(words), "the Arabic PDF has no Arabic text"
            assert html.get("dir") == "rtl"
        else:
            assert end_date in " ".join(words.split())  # the same date as the text version
        assert min(font_sizes(files["large-print"])) >= 18
        assert min(font_sizes(files["pdf"])) < 18  # the scale is right: ordinary print is smaller
        assert "Jordan Ellis" in pdf_text(files["large-print"])


def test_repeat_downloads_come_from_the_cache(app, client, monkeypatch):
    case, _restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)
    sign_in(client, customer.user.email)
    pdf_url = url("letters.download", letter_id=letter.id, locale="en", fmt="pdf")
    first = letter_file(client, pdf_url)
    first_bytes = first.data
    first.close()

    def no_second_render(*_args, **_kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(render, "render", no_second_render)
    again = client.get(pdf_url)
    assert again.status_code == 200 and again.data == first_bytes
    again.close()


@pytest.mark.parametrize(
    "endpoint, values",
    [
        ("letters.download", {"locale": "en", "fmt": "docx"}),
        ("letters.download", {"locale": "xx", "fmt": "pdf"}),
        # A literal path: the point is a path no url_for would build.
        (None, "/letters/{id}/../pdf"),
        ("letters.show", {"letter_id": 999999}),
    ],
)
def test_unknown_formats_languages_and_letters_are_not_found(app, client, endpoint, values):
    case, _restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)
    sign_in(client, customer.user.email)
    if endpoint is None:
        path = values.format(id=letter.id)
    else:
        path = url(endpoint, **{"letter_id": letter.id, **values})
    response = client.get(path)
    assert response.status_code == 404
    check_page(response.get_data(as_text=True))


def test_another_customers_letter_and_a_draft_are_not_found(app, client):
    case, _restriction, officer, _customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)
    stranger = make_user(Role.CUSTOMER)
    make_customer(stranger)
    sign_in(client, stranger.email)
    for path in (
        url("letters.show", letter_id=letter.id),
        url("letters.download", letter_id=letter.id, locale="en", fmt="pdf"),
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert texts(response, "h1") == ["Page not found"]
        assert "Jordan Ellis" not in text_of(parse(response))


def test_a_draft_is_not_shown_to_the_customer(app, client):
    case, _restriction, officer, customer = make_notice_world()
    sign_in(client, officer.email)
    start_notice(client, case)
    draft = db.session.scalar(sa.select(Letter))
    sign_out(client)
    sign_in(client, customer.user.email)
    assert client.get(url("letters.show", letter_id=draft.id)).status_code == 404
    home = client.get(url("my.home"))
    assert home.status_code == 200 and letter_links(home, draft.id) == []


def test_an_incomplete_letter_lists_what_is_missing_and_cannot_be_issued(app, client):
    case, _restriction, officer, _customer = make_notice_world(with_director=False)
    sign_in(client, officer.email)
    issue_url = start_notice(client, case)
    page = client.get(issue_url)
    check_page(page.get_data(as_text=True))
    missing = [name for name, tag in checklist(page).items() if tag == "Missing"]
    assert [name for name in missing if name.startswith("How to appeal, and to whom")]
    assert not parse(page).cssselect("main form")  # no "Issue the letter" button
    new_url = url("letters.new", case_id=case.id)
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
    letter_url = url("letters.show", letter_id=letter.id)
    response = client.post(
        url("letters.remember_choice", letter_id=letter.id),
        data={
            "csrf_token": csrf_token(client, letter_url),
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
    post_queue = url("letters.post_queue")
    queue = client.get(post_queue)
    check_page(queue.get_data(as_text=True))
    assert [label.startswith(f"{letter.reference} – ") for label in texts(queue, "main label")] == [
        True
    ]
    # Asked for, the batch is laid out by the job worker, not the web request (issue 18);
    # the status page says so, and offers the PDF once it is made.
    from portal.jobs.worker import work
    from tests.views.test_report_views import export_urls

    asked = client.post(
        url("letters.print_batch"), data={"csrf_token": csrf_token(client, post_queue)}
    )
    assert asked.status_code == 303
    status_url, file_url = export_urls(asked.headers["Location"])
    waiting = client.get(status_url)
    check_page(waiting.get_data(as_text=True))
    assert text_of(parse(waiting).cssselect("h1")[0]) == "Print batch as a PDF"
    assert parse(waiting).cssselect("a.govuk-back-link")[0].get("href") == post_queue
    assert client.get(file_url).status_code == 404  # not made yet
    assert work(name="test-worker", burst=True) >= 1  # with the letter's own PDF
    assert "Download the PDF" in text_of(parse(client.get(status_url)))
    batch = client.get(file_url)
    assert batch.status_code == 200 and batch.mimetype == "application/pdf"
    assert "Jordan Ellis" in pdf_text(batch.data)
    with pikepdf.open(io.BytesIO(batch.data)) as pdf:
        assert len(pdf.pages) >= 2 and "/StructTreeRoot" in pdf.Root
    assert pdf_ua_rules.problems(batch.data) == []  # issue 16 item 2: every kind of PDF
    response = client.post(
        url("letters.mark_posted"),
        data={"csrf_token": csrf_token(client, post_queue), "letter_id": letter.id},
    )
    assert response.status_code == 303
    after = client.get(post_queue)
    assert after.status_code == 200 and not parse(after).cssselect("main label")
    assert letter.reference not in text_of(parse(after))


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
    page = client.get(url("advocate.customer", customer_id=customer.id))
    check_page(page.get_data(as_text=True))
    [row] = letter_links(page, letter.id)
    assert row.endswith(" New")
    response = client.get(url("letters.download", letter_id=letter.id, locale="en", fmt="text"))
    assert response.status_code == 200 and b"Jordan Ellis" in response.data
    response.close()
    other = make_customer(make_user(Role.CUSTOMER))
    assert client.get(url("advocate.customer", customer_id=other.id)).status_code == 404


def test_an_unknown_language_on_the_issue_form_is_a_clear_error_not_a_crash(app, client):
    case, _restriction, officer, _customer = make_notice_world()
    sign_in(client, officer.email)
    issue_url = start_notice(client, case)
    response = client.post(
        issue_url,
        data={"csrf_token": csrf_token(client, issue_url), "locale": "xx", "needs_post": "no"},
    )
    assert response.status_code == 400
    check_page(response.get_data(as_text=True))
    assert db.session.scalar(sa.select(Letter.status)).value == "draft"
