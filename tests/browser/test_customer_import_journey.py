"""The data steward imports customers in real Chromium (issue 13 item 1): upload, the
check's progress that htmx polls while a job worker reads the file, the preview, confirm,
the progress that htmx polls while a worker applies the file, and the summary — with no
axe-core violations on any step."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, job_worker_running, sign_in
from tests.import_files import export, line

pytestmark = pytest.mark.browser


def test_the_data_steward_imports_a_customer_export(page, live_server, live_database_url, tmp_path):
    sign_in(page, live_server, "steward@example.com")
    page.goto(f"{live_server}/staff/data-protection")
    page.get_by_role("link", name="Import customers from a CSV export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import customers")
    assert axe_violations(page) == []

    rows = [line(f"T-B{n:05d}", f"Browser Person {n}") for n in range(25)]
    rows.append(line("T-BAD", "Bad Email", email="nope"))
    page.get_by_label("Upload the export (CSV)").set_input_files(
        files=[{"name": "export.csv", "mimeType": "text/csv", "buffer": export(rows)}]
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Customer import")
    expect(page.get_by_role("heading", name="Being checked")).to_be_visible()
    expect(page.get_by_label("0% of the file checked")).to_be_visible()
    assert page.get_by_role("link", name="Check progress").is_visible()
    assert page.locator("#import-progress-region").get_attribute("aria-live") == "polite"
    assert axe_violations(page) == []

    with job_worker_running(live_database_url, tmp_path):
        # htmx asks every second; once the file is checked the page reloads as the preview.
        expect(page.locator("#count-added")).to_have_text("25", timeout=60_000)
    expect(page.locator("#count-refused")).to_have_text("1")
    expect(page.get_by_role("row", name="27 T-BAD")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_label("0 of 25 customers")).to_be_visible()
    assert page.get_by_role("link", name="Check progress").is_visible()
    assert page.locator("#import-progress-region").get_attribute("aria-live") == "polite"
    assert axe_violations(page) == []

    with job_worker_running(live_database_url, tmp_path):
        # htmx asks every second; the summary replaces the progress without a reload.
        expect(page.get_by_role("heading", name="Import finished")).to_be_visible(timeout=60_000)
    expect(page.locator("#count-added")).to_have_text("25")
    assert axe_violations(page) == []
