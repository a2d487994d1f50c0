"""Reports in real Chromium (issue 8): choose a period, read the figures and charts, get the
board-pack PDF (built by a job worker beside the server) with htmx polling and without
JavaScript, and the error state — with no axe-core violations."""

import datetime as dt
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal import clock
from portal.extensions import db
from portal.models import Case
from tests.browser.helpers import LIVE_APP, axe_violations, fill_date, sign_in

pytestmark = pytest.mark.browser


def choose_period(page, start: dt.date, end: dt.date) -> None:
    fill_date(page, "Start of the period", start)
    fill_date(page, "End of the period", end)
    page.get_by_role("button", name="Show the figures").click()
    page.wait_for_load_state()


def cases_open_between(start: dt.date, end: dt.date) -> int:
    """Counted here in Python from every case row, not by the report's query: the served
    database is shared with the other browser tests, which open cases of their own."""
    with LIVE_APP["app"].app_context():
        cases = db.session.scalars(sa.select(Case)).all()
        db.session.remove()
    return sum(
        1
        for case in cases
        if case.opened_at.date() <= end
        and (case.closed_at is None or case.closed_at.date() >= start)
    )


def test_leadership_reads_the_annual_report_and_gets_the_pdf(page, live_server, job_worker):
    sign_in(page, live_server, "leadership@example.com")
    page.get_by_role("link", name="Annual report: cases where the policy was applied").click()
    today = clock.today()
    start, end = today - dt.timedelta(days=365), today - dt.timedelta(days=1)
    choose_period(page, start, end)
    row = page.get_by_role("row", name="Cases open at any time in the period")
    assert row.get_by_role("cell").first.inner_text() == str(cases_open_between(start, end))
    chart = page.get_by_role("img", name="Cases by type of behaviour")
    assert chart.is_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Prepare the whole report as a PDF for a board pack").click()
    download = page.get_by_role("link", name="Download the PDF")
    # htmx polls about every 2 seconds until the job worker beside the server has built it
    download.wait_for(timeout=90_000)
    assert "/staff/reports/exports/" in download.get_attribute("href")
    assert page.locator("#export-status-region").get_attribute("aria-live") == "polite"
    assert axe_violations(page) == []


def test_the_pdf_is_prepared_without_javascript_too(
    page_without_javascript, live_server, job_worker
):
    page = page_without_javascript
    sign_in(page, live_server, "director@example.com")
    page.goto(f"{live_server}/staff/reports/annual")
    page.get_by_role("button", name="Prepare the whole report as a PDF for a board pack").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Annual report as a PDF"
    download = page.get_by_role("link", name="Download the PDF")
    # Without JavaScript the person follows "Check again" until the PDF is ready; each
    # check waits for the page it loads (expect), never for a fixed time.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if download.count():
            break
        page.get_by_role("link", name="Check again").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Annual report as a PDF")
    expect(download).to_have_count(1, timeout=60_000)


def test_a_back_to_front_period_and_the_equality_view(page, live_server):
    sign_in(page, live_server, "reviews@example.com")
    page.goto(f"{live_server}/staff/reports/equality")
    page.get_by_label("Protected characteristic").select_option("disability")
    choose_period(page, dt.date(2025, 3, 31), dt.date(2025, 1, 1))
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "The end of the period must be the same as or after its start" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert axe_violations(page) == []
    choose_period(page, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert page.get_by_role("heading", name="Disability", level=2).is_visible()
    chart = page.get_by_role("img", name="Case and restriction rate ratios by group: Disability")
    assert chart.is_visible()
    assert axe_violations(page) == []


SMALL = {"1", "2", "3", "4"}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_equality_report_in_english_and_arabic(page, live_server, language):
    sign_in(page, live_server, "leadership@example.com")
    page.goto(f"{live_server}/staff/reports/equality?lang={language}")
    page.wait_for_load_state()
    html = page.locator("html")
    assert html.get_attribute("lang").startswith(language)
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    sections = page.locator("section.portal-report-section")
    assert sections.count() == 10  # nine characteristics (s6.3) and the appeals table
    # Every characteristic's chart is a named image beside its table.
    assert page.locator('section.portal-report-section svg[role="img"]').count() == 9
    # No count from 1 to 4 in the customers, case and restriction columns of any table.
    for row in page.locator('section[aria-labelledby^="heading-equality-"] tbody tr').all():
        cells = row.locator("td").all_inner_texts()
        assert not {cells[0], cells[2], cells[4]} & SMALL, cells
    assert axe_violations(page) == []
