"""Issue 15 item 6 in Chromium: the appeals director reads the evidence on the case
beside Marek's appeal, varies the restriction by changing a measure (s3.4), reads the
decision letter and only then issues it, and finds the decision in the history of decided
appeals. axe checks each page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, sign_in

pytestmark = pytest.mark.browser

REASONS = "You apologised the next day; you may visit the community hub again."


def no_axe_violations(page):
    assert axe_violations(page) == [], page.url


def test_the_director_varies_a_measure_on_appeal_and_issues_the_letter_after_reading_it(
    browser, live_server
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server, "director@example.com")
        page.goto(f"{live_server}/staff/appeals")
        page.get_by_role("link", name="AP-DEMO01").click()

        # The evidence, beside the appeal: the incident, the informal steps, the contacts,
        # the open appeal itself and a link to the case.
        evidence = page.locator("#evidence")
        expect(evidence.get_by_role("heading", name="Evidence on the case")).to_be_visible()
        expect(page.locator("#evidence-incidents")).to_contain_text("repairs adviser")
        expect(page.locator("#evidence-challenges")).to_contain_text("AP-DEMO01")
        expect(page.locator("#evidence-case-link")).to_have_attribute(
            "href", re.compile(r"/cases/\d+$")
        )
        no_axe_violations(page)

        # Vary: the form holds the restriction as it is; the director lifts the ban on the hub.
        page.get_by_role("link", name="Vary the measures").click()
        expect(page.get_by_role("heading", name="Change the restriction on appeal")).to_be_visible()
        premises = page.get_by_label("Offices, hubs or events the customer must not attend")
        expect(premises).to_have_value("Fishponds community hub")
        no_axe_violations(page)
        # Unticking the measure lifts it (its details are then hidden and not read).
        barred = page.get_by_label("Not to attend offices, hubs or events")
        expect(barred).to_be_checked()
        barred.uncheck()
        expect(premises).to_be_hidden()
        page.get_by_role("button", name="Continue to the decision letter").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter the reasons for the decision"
        )
        page.get_by_label("Reasons for the decision").fill(REASONS)
        page.get_by_role("button", name="Continue to the decision letter").click()

        # The letter first, then the button that issues it.
        expect(page.get_by_role("heading", name="Check and issue letter")).to_be_visible()
        preview = page.locator(".portal-letter")
        expect(preview).to_contain_text(REASONS)
        issue = page.get_by_role("button", name="Issue the letter")
        assert preview.bounding_box()["y"] < issue.bounding_box()["y"]
        no_axe_violations(page)
        issue.click()
        expect(page.get_by_text(re.compile(r"Letter L-\d{4}-\d+ issued"))).to_be_visible()

        # Decided, it leaves the queue and is kept in the history, found by its outcome.
        page.goto(f"{live_server}/staff/appeals")
        expect(page.get_by_role("link", name="AP-DEMO01")).to_have_count(0)
        page.get_by_role("link", name="Decided appeals and reconsiderations").click()
        page.get_by_label("Outcome").select_option(label="Appeal: Varied")
        page.get_by_role("button", name="Show decisions").click()
        row = page.get_by_role("row").filter(has_text="AP-DEMO01")
        expect(row).to_contain_text("Varied")
        expect(row).to_contain_text("Helen Price")
        no_axe_violations(page)
    finally:
        context.close()
