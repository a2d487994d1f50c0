"""Report pages, exports and the evidence pack as people get them (issue 8): the figures
of the hand-built data set on the page, in CSV, XLSX and PDF; bad input answered on the
form; leadership sees no names and no evidence pack."""

import csv
import io
import logging
import re

import pikepdf
import pypdf
import pytest
from openpyxl import load_workbook

from portal.cases.references import case_reference
from portal.clock import today
from portal.demo import DEMO_PASSWORD, load_demo_data
from portal.demo.history import load_demo_history
from portal.extensions import db
from portal.jobs.worker import work
from portal.models import Case, Letter, ProtectedCharacteristics
from portal.models.vocab import Role
from portal.reports import exports
from tests import pdf_ua_rules
from tests.factories import make_user
from tests.helpers import (
    asks_again_after,
    check_page,
    csrf_token,
    error_summary,
    parse,
    sign_in,
    text_of,
    texts,
    title,
    url,
)
from tests.report_data import build_report_world

PERIOD = {"start": "2024-04-01", "end": "2025-03-31"}  # as the report's links give it
PARTS = ("day", "month", "year")


def period(start, end) -> dict[str, str]:
    """A period as the form's date inputs send it (day, month and year of each)."""
    query = {}
    for name, value in (("start", start), ("end", end)):
        if value:
            query |= dict(zip((f"{name}-{p}" for p in PARTS), value.split(), strict=True))
    return query


@pytest.fixture
def weasyprint_errors(caplog):
    """WeasyPrint logs PDF/UA problems rather than raising: any is a failure."""
    caplog.set_level(logging.ERROR, logger="weasyprint")
    yield caplog
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


@pytest.fixture
def world(app):
    return build_report_world()


def table_rows(response) -> list[str]:
    """Each body row of every table in the main content, its cells' text joined."""
    return [
        " ".join(text_of(cell) for cell in row.cssselect("th, td"))
        for row in parse(response).cssselect("main tbody tr")
    ]


def export_urls(status_url: str) -> tuple[str, str]:
    """The export's status page (checked to be the route's own URL) and its file."""
    job_id = status_url.rsplit("/", 1)[-1]
    assert status_url == url("reports.export_status", job_id=job_id)
    return status_url, url("reports.export_file", job_id=job_id)


def evidence_pack(client, case_id: int, **form):
    """Ask for a case's evidence pack as its form does, let a job worker lay it out, and
    download it from its status page."""
    form_url = url("reports.evidence_pack_form", case_id=case_id)
    asked = client.post(
        url("reports.evidence_pack_start", case_id=case_id),
        data={"csrf_token": csrf_token(client, form_url), **form},
    )
    assert asked.status_code == 303
    status_url, file_url = export_urls(asked.headers["Location"])
    assert work(name="test-worker", burst=True) >= 1
    status = client.get(status_url)
    assert status.status_code == 200
    [back] = parse(status).cssselect("a.govuk-back-link")
    assert back.get("href") == url("cases.show", case_id=case_id)
    return client.get(file_url)


def export_status(response):
    [status] = parse(response).cssselect("#export-status")
    return status


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).split()
    )


def assert_tagged_pdf(data: bytes, lang: str = "en-GB") -> None:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == lang
        assert str(pdf.docinfo["/Title"])
    assert pdf_ua_rules.problems(data) == []


def test_the_annual_report_page_shows_the_figures_with_charts(world, client, login_as):
    login_as(Role.LEADERSHIP)
    response = client.get(url("reports.annual", **PERIOD))
    assert response.status_code == 200
    check_page(response.get_data(as_text=True))
    rows = table_rows(response)
    assert "Cases open at any time in the period 16 6 +10" in rows
    assert "New cases opened 12 6 +6" in rows
    assert "Reviews held on time 3 0 +3" in rows
    assert "Overturned 1 0 +1" in rows
    assert any(
        row.startswith("Reconsideration requests answered within 10 working days 50.0%")
        for row in rows
    )
    assert "Calls ended by staff 3 1 +2" in rows
    assert any(row.startswith("Average length in days 90.5") for row in rows)
    # Charts: an image with a name and a description, and the same figures in a table.
    charts = parse(response).cssselect('svg[role="img"]')
    assert len(charts) == 3
    for chart in charts:
        ids = chart.get("aria-labelledby").split()
        assert all(chart.cssselect(f'[id="{i}"]') for i in ids)
        assert chart.cssselect("title[id]") and chart.cssselect("desc[id]")
        assert not [e for e in chart.iter() if "style" in e.attrib]
    page = parse(response)
    assert page.cssselect('main tbody th[scope="row"]') and page.cssselect("main table caption")
    # A summary of the key figures, and a contents list whose links reach their headings.
    summary = texts(response, "#heading-summary + ul li")
    assert "Cases where the policy was applied: 16 (previous period: 6)." in summary
    links = page.cssselect("nav.contents a")
    assert [text_of(a) for a in links][:2] == ["Summary", "Cases where the policy was applied"]
    for link in links:
        [heading] = page.cssselect(f'h2[id="{link.get("href")[1:]}"]')
        assert text_of(heading) == text_of(link)


def test_the_default_period_is_the_last_financial_year(app, client, login_as):
    login_as(Role.REVIEW_MANAGER)
    form = parse(client.get(url("reports.annual")))
    year = today().year if today().month >= 4 else today().year - 1

    def typed(name):
        return [form.cssselect(f"input[name={name}-{p}]")[0].get("value") for p in PARTS]

    assert typed("start") == ["1", "4", str(year - 1)]
    assert typed("end") == ["31", "3", str(year)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            period("31 3 2025", "1 4 2024"),
            "The end of the period must be the same as or after",
        ),
        (period("1 4 2024", "31 3 2999"), "The period must have ended by today"),
        (period("1 4 2024", "31 3 20x5"), "End of the period must be a real date"),
        (period("1 4 2024", "31 2 2025"), "End of the period must be a real date"),
        (period("", "1 4 2024"), "Enter the start of the period"),
        (
            period("1 1 0001", "31 12 2025"),
            "The period must start on or after 1 January 2000",
        ),
    ],
)
def test_a_period_that_cannot_be_reported_is_explained_on_the_form(
    app, client, login_as, query, message
):
    login_as(Role.LEADERSHIP)
    for endpoint in ("reports.annual", "reports.equality_view"):
        response = client.get(url(endpoint, **query))
        assert response.status_code == 400
        check_page(response.get_data(as_text=True))
        assert texts(response, ".govuk-error-summary__title") == ["There is a problem"]
        assert [m for m in error_summary(response) if m.startswith(message)], endpoint
        assert title(response).startswith("Error: ")
    assert client.get(url("reports.annual_xlsx", **query)).status_code == 400


def test_an_unknown_characteristic_is_explained_on_the_form(app, client, login_as):
    login_as(Role.LEADERSHIP)
    response = client.get(url("reports.equality_view", **PERIOD, characteristic="shoe_size"))
    assert response.status_code == 400
    assert error_summary(response) == ["Choose a protected characteristic from the list"]


SMALL = {"1", "2", "3", "4"}
COUNT_COLUMNS = (1, 3, 5)  # customers, with a case, with a restriction


def equality_sections(response):
    return [
        section
        for section in parse(response).cssselect("main section")
        if section.get("aria-labelledby", "").startswith("heading-equality-")
    ]


def assert_no_small_counts(rows) -> None:
    """No count from 1 to 4 in a count column, nor as a share or ratio beside a withheld
    count; every withheld figure reads the same."""
    for row in rows:
        for column in COUNT_COLUMNS:
            assert str(row[column]) not in SMALL, row
            if row[column] == "withheld":
                assert row[column + 1] == "withheld", row  # its share or ratio goes with it


def test_the_equality_view_flags_and_suppresses(world, client, login_as):
    login_as(Role.LEADERSHIP)
    response = client.get(url("reports.equality_view", **PERIOD, characteristic="disability"))
    check_page(response.get_data(as_text=True))
    flags = texts(response, "main li")
    assert "Disability, Yes: restricted 2.50 times as often as customers overall." in flags
    assert any("secondary suppression" in item for item in flags)  # the method, on the page
    rows = table_rows(response)

    def row_starting(start):
        return [row for row in rows if row.startswith(start)]

    # Translated answers; the 6 "Yes" with a case withheld (secondary suppression), as the
    # two small counts with a case (1 and 1) would otherwise add up to under 5.
    assert row_starting("Yes 10 20.0% withheld withheld 5 2.50 Restricted markedly more")
    assert row_starting("No 30 60.0% 8 0.83 5 0.83")
    assert row_starting("Other answers, combined (each fewer than 5 customers) withheld")
    assert row_starting("Prefer not to say withheld withheld withheld withheld 0 withheld")
    assert row_starting("Not recorded 5 10.0% 0 0.00 0 0.00")
    assert row_starting("All customers 50 100.0% 16 1.00 10 1.00")
    page_text = text_of(parse(response))
    assert "unsure" not in page_text and "fewer than 5 with" not in page_text
    for section in equality_sections(response):
        assert_no_small_counts(
            [[text_of(c) for c in row.cssselect("th, td")] for row in section.cssselect("tbody tr")]
        )
    # Leadership sees aggregates only: decision-makers are numbered, never named.
    assert row_starting("Decision-maker 1") and "Morgan Approver" not in page_text
    [chart] = parse(response).cssselect('svg[role="img"]')
    # The withheld figures draw no bar and read "withheld", like the table.
    assert "withheld" in [t.text for t in chart.iter("{*}text")]


def test_review_managers_see_who_made_the_decisions_appealed(world, client, login_as):
    login_as(Role.REVIEW_MANAGER)
    rows = table_rows(client.get(url("reports.equality_view", **PERIOD)))
    assert [row for row in rows if row.startswith("Riley Approver 1 0 0 1 100.0%")]
    assert [row for row in rows if row.startswith("Morgan Approver 2 1 1 0 0.0%")]


def test_csv_of_a_table(world, client, login_as):
    login_as(Role.LEADERSHIP)
    response = client.get(url("reports.annual_csv", table_key="cases", **PERIOD))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert (
        "annual-report-2024-04-01-2025-03-31-cases.csv" in response.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Measure", "This period", "Previous period", "Change"]
    assert rows[1] == ["Cases open at any time in the period", "16", "6", "10"]
    equality_csv = client.get(
        url("reports.equality_csv", table_key="equality-disability", **PERIOD)
    )
    rows = list(csv.reader(io.StringIO(equality_csv.get_data(as_text=True))))
    yes = next(row for row in rows if row[0] == "Yes")
    assert yes[1:5] == ["10", "0.2", "withheld", "withheld"] and float(yes[6]) == pytest.approx(2.5)
    for key in ("age-band", "disability", "sex"):
        table = client.get(url("reports.equality_csv", table_key=f"equality-{key}", **PERIOD))
        assert_no_small_counts(list(csv.reader(io.StringIO(table.get_data(as_text=True))))[1:])
    missing = url("reports.annual_csv", table_key="no-such-table", **PERIOD)
    assert client.get(missing).status_code == 404


def test_xlsx_exports_open_and_hold_the_figures(world, client, login_as):
    login_as(Role.LEADERSHIP)
    response = client.get(url("reports.annual_xlsx", **PERIOD))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert "cases" in book.sheetnames and "response-times" in book.sheetnames
    rows = list(book["cases"].iter_rows(values_only=True))
    assert rows[1] == ("Measure", "This period", "Previous period", "Change")
    assert rows[2] == ("Cases open at any time in the period", 16, 6, 10)
    times = list(book["response-times"].iter_rows(values_only=True))
    assert times[3][1] == pytest.approx(0.5)
    assert book["response-times"]["B4"].number_format == "0.0%"

    response = client.get(url("reports.equality_xlsx", **PERIOD))
    book = load_workbook(io.BytesIO(response.data))
    rows = {row[0]: row for row in book["equality-disability"].iter_rows(values_only=True)}
    assert rows["Yes"][1] == 10 and rows["Yes"][3] == "withheld"
    assert rows["Yes"][6] == pytest.approx(2.5)
    assert rows["Yes"][7] == "Restricted markedly more often than customers overall"
    assert rows["Not recorded"][1] == 5
    assert "unsure" not in rows and "yes" not in rows
    for name in book.sheetnames:
        if name.startswith("equality-"):
            sheet = list(book[name].iter_rows(values_only=True))
            assert_no_small_counts([row for row in sheet[2:] if len(row) > 5])


PAGE_NUMBER = re.compile(r"\d+ / \d+")


def page_lines(page) -> list[str]:
    """A PDF page's lines of text, without the page number at its foot."""
    lines = [" ".join(line.split()) for line in page.extract_text().splitlines()]
    return [line for line in lines if line and not PAGE_NUMBER.fullmatch(line)]


def assert_contents_summary_and_no_stranded_caption(data: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [page_lines(page) for page in reader.pages]
    # A contents page naming the page each section starts on, then the summary.
    contents = next(lines for lines in pages if "Contents" in lines)
    assert any(re.search(r"Cases where the policy was applied\W*\d+$", line) for line in contents)
    assert any(
        line.startswith("Cases where the policy was applied: 16") for p in pages for line in p
    )
    # The PDF's outline (bookmarks) lists the sections.
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in _walk(outline.root)]
    assert "Summary" in titles and "Appeals (policy section 3.4)" in titles
    # No page ends with a heading or table caption: each stays with what it introduces.
    captions = {title for title in titles if title not in ("Contents",)}
    assert len(pages) > 2
    for number, lines in enumerate(pages[:-1], start=1):
        assert lines[-1] not in captions, (number, lines[-3:])


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children)


def test_the_annual_report_pdf_is_prepared_in_the_background(
    world, client, login_as, weasyprint_errors
):
    user = login_as(Role.LEADERSHIP)
    token = csrf_token(client, url("reports.annual", **PERIOD))
    response = client.post(url("reports.annual_pdf"), data={"csrf_token": token, **PERIOD})
    assert response.status_code == 303
    status_url, file_url = export_urls(response.headers["Location"])
    assert work(name="test-worker", burst=True) == 1  # a job worker builds the PDF
    page = client.get(status_url)
    check_page(page.get_data(as_text=True))
    assert texts(page, "#export-status p") == ["The PDF is ready."]
    assert not parse(page).cssselect("[data-hx-trigger]")  # polling stops
    fragment = parse(client.get(status_url, headers={"HX-Request": "true"}))
    assert (fragment.tag, fragment.get("id")) == ("div", "export-status")  # the block alone
    pdf = client.get(file_url)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert_tagged_pdf(pdf.data)
    text = pdf_text(pdf.data)
    assert "Cases open at any time in the period 16 6 +10" in text
    assert "Reviews held late 2 0 +2" in text
    assert_contents_summary_and_no_stranded_caption(pdf.data)
    # Someone else cannot follow the link to another person's export.
    other = client.application.test_client()
    sign_in(other, make_user(Role.LEADERSHIP).email)
    assert other.get(status_url).status_code == 404
    assert other.get(file_url).status_code == 404
    assert user is not None


def test_a_running_export_polls_and_works_without_javascript(app, client, login_as, monkeypatch):
    login_as(Role.APPEALS_DIRECTOR)
    monkeypatch.setattr(exports, "annual_report_pdf", lambda *_args: b"%PDF-1.7 test")
    token = csrf_token(client, url("reports.annual"))
    response = client.post(url("reports.annual_pdf"), data={"csrf_token": token, **PERIOD})
    status_url, file_url = export_urls(response.headers["Location"])
    # Queued, no worker yet: the page polls, and offers a link for those without JavaScript.
    running = client.get(status_url)
    status = export_status(running)
    assert asks_again_after(status, 1.5, 2.5) and status.get("data-hx-get") == status_url
    assert [(text_of(a), a.get("href")) for a in status.cssselect("a")] == [
        ("Check again", status_url)
    ]
    assert texts(running, "#export-status p")[0] == (
        "The PDF is being prepared. This can take a minute."
    )
    assert client.get(file_url).status_code == 404
    work(burst=True)
    assert texts(client.get(status_url), "#export-status p") == ["The PDF is ready."]
    assert client.get(file_url).data == b"%PDF-1.7 test"


def test_a_failed_export_says_so_and_stops_polling(app, client, login_as, monkeypatch):
    login_as(Role.REVIEW_MANAGER)

    def broken(*_args):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(exports, "annual_report_pdf", broken)
    token = csrf_token(client, url("reports.annual"))
    response = client.post(url("reports.annual_pdf"), data={"csrf_token": token, **PERIOD})
    status_url, file_url = export_urls(response.headers["Location"])
    work(burst=True)
    failed = client.get(status_url)
    [message] = texts(failed, "#export-status p")
    assert message.startswith("The PDF could not be prepared.")
    assert not parse(failed).cssselect("[data-hx-trigger]")
    assert client.get(file_url).status_code == 404


def test_only_report_roles_see_reports_and_only_managers_and_directors_the_pack(app):
    load_demo_data(today(), allowed=True)
    case = db.session.scalar(db.select(Case).where(Case.reference == case_reference(2026, 1)))
    for role, reports, pack in (
        (Role.LEADERSHIP, 200, 403),
        (Role.REVIEW_MANAGER, 200, 200),
        (Role.APPEALS_DIRECTOR, 200, 200),
        (Role.CASE_OFFICER, 403, 403),
        (Role.CUSTOMER, 403, 403),
    ):
        client = app.test_client()
        sign_in(client, make_user(role).email)
        assert client.get(url("reports.annual")).status_code == reports, role
        pack_url = url("reports.evidence_pack_form", case_id=case.id)
        assert client.get(pack_url).status_code == pack, role


@pytest.fixture
def demo(app):
    load_demo_data(today(), allowed=True)
    return app


def test_the_demo_equality_page_has_an_age_chart_with_bars_and_no_small_counts(demo):
    """The demo's age bands were all too thin for their restriction counts, so the chart of
    restriction ratios alone had no bar; it now draws the case ratios too."""
    load_demo_history(today())
    db.session.commit()
    client = demo.test_client()
    sign_in(client, "reviews@example.com", DEMO_PASSWORD)
    response = client.get(url("reports.equality_view"))
    assert response.status_code == 200
    check_page(response.get_data(as_text=True))
    [age] = [s for s in equality_sections(response) if "age-band" in s.get("aria-labelledby")]
    labels = [text_of(row.cssselect("th")[0]) for row in age.cssselect("tbody tr")]
    assert labels[:3] == ["Under 25", "25 to 34", "35 to 44"] and "under_25" not in labels, [
        text_of(r) for r in age.cssselect("tbody tr")
    ]
    [chart] = age.cssselect('svg[role="img"]')
    # Bars beyond the two legend keys and the "All customers" pair: some age band has one.
    bars = [r for r in chart.iter("{*}rect") if float(r.get("width")) > 0]
    assert len(bars) > 4
    for section in equality_sections(response):
        assert_no_small_counts(
            [[text_of(c) for c in row.cssselect("th, td")] for row in section.cssselect("tbody tr")]
        )
    sex = text_of(parse(response))
    assert "Female" in sex and "female" not in sex


def test_the_evidence_pack_of_a_demo_case_lists_every_letter_and_decision_in_order(
    demo, weasyprint_errors
):
    case = db.session.scalar(db.select(Case).where(Case.reference == case_reference(2026, 1)))
    # A protected characteristic that must never reach the pack.
    db.session.add(ProtectedCharacteristics(customer_id=case.customer_id, ethnicity="Zzyzx-marker"))
    case.staff_notes = "Staff-only: discussed with the team."
    db.session.commit()
    client = demo.test_client()
    sign_in(client, "reviews@example.com", DEMO_PASSWORD)
    page = parse(client.get(url("cases.show", case_id=case.id)))
    form_url = url("reports.evidence_pack_form", case_id=case.id)
    pack_links = [text_of(a) for a in page.cssselect(f'main a[href="{form_url}"]')]
    assert pack_links == ["Housing Ombudsman evidence pack (PDF)"]
    form = client.get(form_url)
    check_page(form.get_data(as_text=True))

    response = evidence_pack(client, case.id)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="evidence-pack-{case.reference}.pdf"'
    )
    assert_tagged_pdf(response.data)
    text = pdf_text(response.data)
    assert "Contents" in text and "Chronology" in text
    assert "Zzyzx-marker" not in text
    assert "Staff-only: discussed" not in text
    letters = db.session.scalars(
        db.select(Letter).where(Letter.case_id == case.id, Letter.issued_at.is_not(None))
    ).all()
    assert letters
    for letter in letters:
        assert letter.reference in text
    chronology = text[text.index("Chronology", text.index("Contents") + 20) :]
    order = [
        "Case opened",
        "Informal step: Conversation",
        "Needs considered",
        "Reconsideration requested: RC-DEMO01",
        "Restriction approved",
        f"Letter issued: Restriction notice Reference {letters[0].reference}",
    ]
    positions = [chronology.index(item) for item in order]
    assert positions == sorted(positions)
    assert "Sent in English" in chronology and "First opened Not opened yet" in chronology
    decisions = text[text.rindex("Every decision on this case") :]
    assert "Restriction approved" in decisions

    with_notes = evidence_pack(client, case.id, include_staff_notes="y")
    notes_text = pdf_text(with_notes.data)
    assert "Staff-only: discussed with the team." in notes_text
    assert "Zzyzx-marker" not in notes_text


def test_the_annual_report_and_the_evidence_pack_pass_the_pdf_checker_right_to_left(
    demo, weasyprint_errors
):
    """Issue 16 item 2: both staff PDFs, made for a reader who chose Arabic, pass the same
    PDF/UA-1 rules as in English (tests/pdf_ua_rules.py), with /Lang ar."""
    case = db.session.scalar(db.select(Case).where(Case.reference == case_reference(2026, 1)))
    client = demo.test_client()
    sign_in(client, "director@example.com", DEMO_PASSWORD)
    client.get("/", query_string={"lang": "ar"})  # the language is kept with the account
    token = csrf_token(client, url("reports.annual", **PERIOD))
    response = client.post(url("reports.annual_pdf"), data={"csrf_token": token, **PERIOD})
    status_url, file_url = export_urls(response.headers["Location"])
    # The export, and the demo letter's files, queued when it was issued.
    assert work(name="test-worker", burst=True) >= 1
    assert client.get(status_url).status_code == 200
    assert_tagged_pdf(client.get(file_url).data, lang="ar")

    pack = evidence_pack(client, case.id)
    assert pack.status_code == 200 and pack.mimetype == "application/pdf"
    assert_tagged_pdf(pack.data, lang="ar")


def test_kept_figures_say_when_they_were_worked_out_and_can_be_worked_out_again(
    world, client, login_as
):
    from sqlalchemy import func, select

    from portal.models import AuditEvent, KeptReportFigures

    def kept_rows() -> int:
        return db.session.scalar(select(func.count()).select_from(KeptReportFigures))

    login_as(Role.LEADERSHIP)
    form_url = url("reports.annual", **PERIOD)
    page = client.get(form_url)
    check_page(page.get_data(as_text=True))
    [note] = parse(page).cssselect(".govuk-inset-text")
    assert "These figures were worked out on" in text_of(note)
    assert "after the period ended, and are kept as they were then" in text_of(note)
    assert "Cases open at any time in the period 16 6 +10" in table_rows(page)
    assert kept_rows() == 2  # the period and the one before it
    again = client.post(
        url("reports.annual_work_out_again"),
        data={"csrf_token": csrf_token(client, form_url), **PERIOD},
    )
    assert again.status_code == 303 and again.headers["Location"] == form_url
    assert kept_rows() == 0
    assert (
        db.session.scalar(
            select(AuditEvent.details).where(AuditEvent.action == "report_figures_work_out_again")
        )
        == PERIOD
    )
    assert "Cases open at any time in the period 16 6 +10" in table_rows(client.get(form_url))
    assert kept_rows() == 2


def test_kept_equality_counts_say_when_they_were_worked_out_and_can_be_worked_out_again(
    world, client, login_as
):
    """A closed period's equality counts are worked out once and kept (issue 18: the view
    joined every customer with their answers on each visit), as the annual report's are."""
    from sqlalchemy import func, select

    from portal.models import KeptReportFigures

    def kept_rows() -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(KeptReportFigures)
            .where(KeptReportFigures.key.startswith("equality/"))
        )

    login_as(Role.REVIEW_MANAGER)
    form_url = url("reports.equality_view", **PERIOD)
    page = client.get(form_url)
    check_page(page.get_data(as_text=True))
    [note] = [n for n in parse(page).cssselect(".govuk-inset-text") if "worked out" in text_of(n)]
    assert "These figures were worked out on" in text_of(note)
    assert kept_rows() == 1
    rows = table_rows(page)
    # Asking for one characteristic reads the same kept counts: nothing more is kept.
    one = client.get(url("reports.equality_view", characteristic="disability", **PERIOD))
    assert one.status_code == 200 and kept_rows() == 1
    again = client.post(
        url("reports.equality_work_out_again"),
        data={"csrf_token": csrf_token(client, form_url), **PERIOD},
    )
    assert again.status_code == 303 and again.headers["Location"] == form_url
    assert kept_rows() == 0
    assert table_rows(client.get(form_url)) == rows
    assert kept_rows() == 1


def test_the_evidence_pack_is_made_by_a_job_and_shown_only_to_whoever_may_still_make_one(
    demo, monkeypatch
):
    """Issue 18 item 4: asking answers at once (the layout is a job worker's); who asked is
    in the trail then; the pack is its owner's alone, and no longer theirs once they may
    not make packs (a manager moved to leadership sees no names)."""
    from portal.models import AuditEvent, User, UserRole
    from portal.reports.evidence_pack import export as pack_export

    case = db.session.scalar(db.select(Case).where(Case.reference == case_reference(2026, 1)))
    laid_out = []
    monkeypatch.setattr(
        pack_export.pdf_ua, "pdf_from_html", lambda html: laid_out.append(html) or b"%PDF-pack"
    )
    client = demo.test_client()
    sign_in(client, "reviews@example.com", DEMO_PASSWORD)
    form_url = url("reports.evidence_pack_form", case_id=case.id)
    asked = client.post(
        url("reports.evidence_pack_start", case_id=case.id),
        data={"csrf_token": csrf_token(client, form_url), "include_staff_notes": "y"},
    )
    assert asked.status_code == 303 and laid_out == []  # nothing laid out in the request
    [event] = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "evidence_pack")
    ).all()
    assert event.object_id == case.id and event.details == {"staff_notes": True}
    status_url, file_url = export_urls(asked.headers["Location"])
    page = client.get(status_url)
    assert "being prepared" in text_of(export_status(page))
    check_page(page.get_data(as_text=True))
    assert work(name="test-worker", burst=True) >= 1
    assert len(laid_out) == 1 and case.reference in laid_out[0]
    assert client.get(file_url).data == b"%PDF-pack"

    other = app_client_signed_in(demo, "director@example.com")
    assert other.get(status_url).status_code == 404
    assert other.get(file_url).status_code == 404

    manager = db.session.scalar(db.select(User).where(User.email == "reviews@example.com"))
    manager.role_grants = [UserRole(role=Role.LEADERSHIP)]
    db.session.commit()
    assert client.get(status_url).status_code == 404
    assert client.get(file_url).status_code == 404


def app_client_signed_in(app, email):
    client = app.test_client()
    sign_in(client, email, DEMO_PASSWORD)
    return client
