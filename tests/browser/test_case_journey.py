"""Issue 4's journey in Chromium: an officer opens a case for a demo customer, logs an
incident and an informal step, records the needs consideration and proposes a restriction
(a seven-month one is refused); the review manager approves it and it shows with its end
and next review dates."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from portal import clock
from portal.dates import add_months
from tests.browser.helpers import fill_date, sign_in

pytestmark = pytest.mark.browser


def test_from_first_incident_to_an_approved_restriction(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    today = clock.today()
    try:
        sign_in(page, live_server, "officer@example.com")
        page.get_by_role("link", name="Find a customer", exact=True).click()
        page.get_by_label("Name, tenancy or customer reference, or postcode").fill("Tom Baker")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("link", name="Tom Baker").click()
        page.get_by_role("button", name="Open a case").click()
        expect(page.get_by_text("opened.", exact=False).first).to_be_visible()

        page.get_by_role("link", name="Log an incident").click()
        page.get_by_label("Overload of letters, calls, emails or messages").check()
        page.get_by_label("When did it happen?").fill(
            (dt.datetime.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        )
        page.get_by_label("Telephone").check()
        page.get_by_label("What happened?").fill("Fourteen calls in one morning.")
        page.get_by_label("Who reported it?").fill("Repairs team")
        page.get_by_role("button", name="Save incident").click()
        expect(page.get_by_text("Incident saved.")).to_be_visible()

        page.get_by_role("link", name="Record an informal step").click()
        page.get_by_label("Conversation").check()
        fill_date(page, "Date of the step", today)
        page.get_by_label("What was done or said?").fill("Explained the repair date.")
        page.get_by_label("What was the outcome?").fill("Calls carried on.")
        page.get_by_role("button", name="Save informal step").click()

        page.get_by_role("link", name="Record the needs consideration").click()
        page.get_by_label("What needs does the customer have?").fill("None known.")
        page.get_by_label("We considered whether someone could represent").check()
        page.get_by_role("button", name="Save needs consideration").click()
        expect(page.get_by_text("Needs consideration saved.")).to_be_visible()

        page.get_by_role("link", name="Propose a restriction").click()
        fill_date(page, "Start date", today)
        fill_date(page, "End date", add_months(today, 7))
        page.get_by_label("Every 3 months").check()
        page.get_by_label("Why is it needed?").fill("Many calls a day about one repair.")
        page.get_by_label("One way of contacting us").check()
        page.get_by_label("Email", exact=True).check()
        page.get_by_role("button", name="Propose restriction").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        assert "no more than six months (policy section 3.5)" in summary.inner_text()
        assert page.get_by_label("Why is it needed?").input_value() == (
            "Many calls a day about one repair."
        )
        end = add_months(today, 5)
        fill_date(page, "End date", end)
        page.get_by_role("button", name="Propose restriction").click()
        expect(page.get_by_text("Restriction proposed.")).to_be_visible()
        restriction_url = page.url
        page.get_by_role("button", name="Sign out").click()

        sign_in(page, live_server, "reviews@example.com")
        page.goto(restriction_url)
        page.get_by_role("button", name="Approve restriction").click()
        expect(page.get_by_text("Restriction approved. It is now in place.")).to_be_visible()
        details = page.locator("main").inner_text()
        assert long_date_en(end) in details
        assert long_date_en(add_months(today, 3)) in details
        assert "You can contact us by email only." in details
    finally:
        context.close()


def long_date_en(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
