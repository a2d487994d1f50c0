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

from portal.clock import today
from portal.demo import DEMO_PASSWORD, load_demo_data
from portal.extensions import db
from portal.jobs.worker import work
from portal.models import Case, Letter, ProtectedCharacteristics
from portal.models.vocab import Role
from portal.reports import exports
from tests.factories import make_user
from tests.helpers import check_page, csrf_token, sign_in
from tests.report_data import build_report_world

PERIOD_ARGS = "start=2024-04-01&end=2025-03-31"


@pytest.fixture
def weasyprint_errors(caplog):
    """WeasyPrint logs PDF/UA problems rather than raising: any is a failure."""
    caplog.set_level(logging.ERROR, logger="weasyprint")
    yield caplog
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


@pytest.fixture
def world(app):
    return build_report_world()


def words(html: str) -> str:
    text = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).split()
    )


def assert_tagged_pdf(data: bytes) -> None:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.docinfo["/Title"])


def test_the_annual_report_page_shows_the_figures_with_charts(world, client, login_as):
    login_as(Role.LEADERSHIP)
    response = client.get(f"/staff/reports/annual?{PERIOD_ARGS}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html)
    text = words(html)
    assert "Cases open at any time in the period 16 6 +10" in text
    assert "New cases opened 12 6 +6" in text
    assert "Reviews held on time 3 0 +3" in text
    assert "Overturned 1 0 +1" in text
    assert "Reconsideration requests answered within 10 working days 50.0%" in text
    assert "Calls ended by staff 3 1 +2" in text
    assert "Average length in days 90.5" in text
    # Charts: an image with a name and a description, and the same figures in a table.
    charts = re.findall(r'<svg[^>]*role="img"[^>]*>.*?</svg>', html, flags=re.S)
    assert len(charts) == 3
    for chart in charts:
        ids = re.search(r'aria-labelledby="([^"]+)"', chart).group(1).split()
        assert all(f'id="{i}"' in chart for i in ids)
        assert "<title " in chart and "<desc " in chart and "style=" not in chart
    assert 'scope="row"' in html and "<caption" in html


def test_the_default_period_is_the_last_financial_year(app, client, login_as):
    login_as(Role.REVIEW_MANAGER)
    html = client.get("/staff/reports/annual").get_data(as_text=True)
    year = today().year if today().month >= 4 else today().year - 1
    assert f'value="{year - 1}-04-01"' in html and f'value="{year}-03-31"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2025-03-31&end=2024-04-01", "The end of the period must be the same as or after"),
        ("start=2024-04-01&end=2999-03-31", "The period must have ended by today"),
        ("start=2024-04-01&end=not-a-date", "Enter a real date"),
        ("start=&end=2024-04-01", "Enter the start of the period"),
        ("start=0001-01-01&end=2025-12-31", "The period must start on or after 1 January 2000"),
    ],
)
def test_a_period_that_cannot_be_reported_is_explained_on_the_form(
    app, client, login_as, query, message
):
    login_as(Role.LEADERSHIP)
    for path in ("/staff/reports/annual", "/staff/reports/equality"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        check_page(html)
        assert "There is a problem" in html and message in html
        assert "<title>Error:" in html
    assert client.get(f"/staff/reports/annual.xlsx?{query}").status_code == 400


def test_an_unknown_characteristic_is_explained_on_the_form(app, client, login_as):
    login_as(Role.LEADERSHIP)
    response = client.get(f"/staff/reports/equality?{PERIOD_ARGS}&characteristic=shoe_size")
    assert response.status_code == 400
    assert "Choose a protected characteristic from the list" in response.get_data(as_text=True)


def test_the_equality_view_flags_and_suppresses(world, client, login_as):
    login_as(Role.LEADERSHIP)
    response = client.get(f"/staff/reports/equality?{PERIOD_ARGS}&characteristic=disability")
    html = response.get_data(as_text=True)
    check_page(html)
    text = words(html)
    assert "Disability, yes: restricted 2.50 times as often as customers overall." in text
    assert "yes 10 20.0% fewer than 5 Not applicable 5 2.50 Restricted markedly more" in text
    assert "no 30 60.0% 8 0.83 5 0.83" in text
    assert "Prefer not to say 3 6.0% 1" in text and "Not recorded 5 10.0% 0" in text
    assert "unsure" not in text
    # Leadership sees aggregates only: decision-makers are numbered, never named.
    assert "Decision-maker 1" in text and "Morgan Approver" not in text
    assert len(re.findall(r'<svg[^>]*role="img"', html)) == 1


def test_review_managers_see_who_made_the_decisions_appealed(world, client, login_as):
    login_as(Role.REVIEW_MANAGER)
    text = words(client.get(f"/staff/reports/equality?{PERIOD_ARGS}").get_data(as_text=True))
    assert "Riley Approver 1 0 0 1 100.0%" in text
    assert "Morgan Approver 2 1 1 0 0.0%" in text


def test_csv_of_a_table(world, client, login_as):
    login_as(Role.LEADERSHIP)
    response = client.get(f"/staff/reports/annual/cases.csv?{PERIOD_ARGS}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert (
        "annual-report-2024-04-01-2025-03-31-cases.csv" in response.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Measure", "This period", "Previous period", "Change"]
    assert rows[1] == ["Cases open at any time in the period", "16", "6", "10"]
    equality_csv = client.get(f"/staff/reports/equality/equality-disability.csv?{PERIOD_ARGS}")
    rows = list(csv.reader(io.StringIO(equality_csv.get_data(as_text=True))))
    yes = next(row for row in rows if row[0] == "yes")
    assert yes[1:4] == ["10", "0.2", "fewer than 5"] and float(yes[6]) == pytest.approx(2.5)
    assert client.get(f"/staff/reports/annual/no-such-table.csv?{PERIOD_ARGS}").status_code == 404


def test_xlsx_exports_open_and_hold_the_figures(world, client, login_as):
    login_as(Role.LEADERSHIP)
    response = client.get(f"/staff/reports/annual.xlsx?{PERIOD_ARGS}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert "cases" in book.sheetnames and "response-times" in book.sheetnames
    rows = list(book["cases"].iter_rows(values_only=True))
    assert rows[1] == ("Measure", "This period", "Previous period", "Change")
    assert rows[2] == ("Cases open at any time in the period", 16, 6, 10)
    times = list(book["response-times"].iter_rows(values_only=True))
    assert times[3][1] == pytest.approx(0.5)
    assert book["response-times"]["B4"].number_format == "0.0%"

    response = client.get(f"/staff/reports/equality.xlsx?{PERIOD_ARGS}")
    book = load_workbook(io.BytesIO(response.data))
    rows = {row[0]: row for row in book["equality-disability"].iter_rows(values_only=True)}
    assert rows["yes"][1] == 10 and rows["yes"][3] == "fewer than 5"
    assert rows["yes"][6] == pytest.approx(2.5)
    assert rows["yes"][7] == "Restricted markedly more often than customers overall"
    assert rows["Not recorded"][1] == 5
    assert "unsure" not in rows


def test_the_annual_report_pdf_is_prepared_in_the_background(
    world, client, login_as, weasyprint_errors
):
    user = login_as(Role.LEADERSHIP)
    token = csrf_token(client, f"/staff/reports/annual?{PERIOD_ARGS}")
    response = client.post(
        "/staff/reports/annual.pdf",
        data={"csrf_token": token, "start": "2024-04-01", "end": "2025-03-31"},
    )
    assert response.status_code == 303
    status_url = response.headers["Location"]
    assert work(name="test-worker", burst=True) == 1  # a job worker builds the PDF
    page = client.get(status_url)
    html = page.get_data(as_text=True)
    check_page(html)
    assert "The PDF is ready." in html and "hx-trigger" not in html  # polling stops
    fragment = client.get(status_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="export-status"') and "<html" not in fragment
    pdf = client.get(f"{status_url}/file")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert_tagged_pdf(pdf.data)
    text = pdf_text(pdf.data)
    assert "Cases open at any time in the period 16 6 +10" in text
    assert "Reviews held late 2 0 +2" in text
    # Someone else cannot follow the link to another person's export.
    other = client.application.test_client()
    sign_in(other, make_user(Role.LEADERSHIP).email)
    assert other.get(status_url).status_code == 404
    assert other.get(f"{status_url}/file").status_code == 404
    assert user is not None


def test_a_running_export_polls_and_works_without_javascript(app, client, login_as, monkeypatch):
    login_as(Role.APPEALS_DIRECTOR)
    monkeypatch.setattr(exports, "annual_report_pdf", lambda *_args: b"%PDF-1.7 test")
    token = csrf_token(client, "/staff/reports/annual")
    response = client.post(
        "/staff/reports/annual.pdf",
        data={"csrf_token": token, "start": "2024-04-01", "end": "2025-03-31"},
    )
    status_url = response.headers["Location"]
    # Queued, no worker yet: the page polls, and offers a link for those without JavaScript.
    html = client.get(status_url).get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in html and "Check again" in html
    assert "The PDF is being prepared. This can take a minute." in html
    assert client.get(f"{status_url}/file").status_code == 404
    work(burst=True)
    assert "The PDF is ready." in client.get(status_url).get_data(as_text=True)
    assert client.get(f"{status_url}/file").data == b"%PDF-1.7 test"


def test_a_failed_export_says_so_and_stops_polling(app, client, login_as, monkeypatch):
    login_as(Role.REVIEW_MANAGER)

    def broken(*_args):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(exports, "annual_report_pdf", broken)
    token = csrf_token(client, "/staff/reports/annual")
    response = client.post(
        "/staff/reports/annual.pdf",
        data={"csrf_token": token, "start": "2024-04-01", "end": "2025-03-31"},
    )
    work(burst=True)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The PDF could not be prepared." in html and "hx-trigger" not in html
    assert client.get(f"{response.headers['Location']}/file").status_code == 404


def test_only_report_roles_see_reports_and_only_managers_and_directors_the_pack(app):
    load_demo_data(today(), allowed=True)
    case = db.session.scalar(db.select(Case).where(Case.reference == "MB-2026-0001"))
    for role, reports, pack in (
        (Role.LEADERSHIP, 200, 403),
        (Role.REVIEW_MANAGER, 200, 200),
        (Role.APPEALS_DIRECTOR, 200, 200),
        (Role.CASE_OFFICER, 403, 403),
        (Role.CUSTOMER, 403, 403),
    ):
        client = app.test_client()
        sign_in(client, make_user(role).email)
        assert client.get("/staff/reports/annual").status_code == reports, role
        assert client.get(f"/staff/cases/{case.id}/evidence-pack").status_code == pack, role


@pytest.fixture
def demo(app):
    load_demo_data(today(), allowed=True)
    return app


def test_the_evidence_pack_of_a_demo_case_lists_every_letter_and_decision_in_order(
    demo, weasyprint_errors
):
    case = db.session.scalar(db.select(Case).where(Case.reference == "MB-2026-0001"))
    # A protected characteristic that must never reach the pack.
    db.session.add(ProtectedCharacteristics(customer_id=case.customer_id, ethnicity="Zzyzx-marker"))
    case.staff_notes = "Staff-only: discussed with the team."
    db.session.commit()
    client = demo.test_client()
    sign_in(client, "reviews@example.com", DEMO_PASSWORD)
    page = client.get(f"/staff/cases/{case.id}")
    assert "Housing Ombudsman evidence pack (PDF)" in page.get_data(as_text=True)
    form = client.get(f"/staff/cases/{case.id}/evidence-pack")
    check_page(form.get_data(as_text=True))

    response = client.get(f"/staff/cases/{case.id}/evidence-pack.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
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

    with_notes = client.get(f"/staff/cases/{case.id}/evidence-pack.pdf?include_staff_notes=y")
    notes_text = pdf_text(with_notes.data)
    assert "Staff-only: discussed with the team." in notes_text
    assert "Zzyzx-marker" not in notes_text
