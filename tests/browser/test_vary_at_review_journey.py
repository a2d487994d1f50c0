"""Issue 15 item 1 in Chromium, in English and in Arabic (right to left): the review manager
opens an overdue review from the queue, decides to change the restriction, writes the
change (no 403 any more), and is led to its letters; the review outcome letter is read
before it is issued, and the restriction leaves the overdue queue (s3.4). axe checks each
page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal import clock
from portal.dates import add_months
from portal.extensions import db
from portal.models import User
from portal.models.vocab import Role
from tests.browser.helpers import LIVE_APP, axe_violations, fill_date, say, sign_in
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user

pytestmark = pytest.mark.browser
MANAGER = "reviews@example.com"
OFFICER = "officer@example.com"


def overdue_case(name: str) -> str:
    """A new customer's case, opened by the demo case officer, whose restriction's review
    is eight days overdue; its reference. Each run has its own, so the demo's stories are
    left for the other journeys on the shared database."""
    today = clock.today()
    with LIVE_APP["app"].app_context():
        officer = db.session.scalar(select(User).where(User.email == OFFICER))
        case = make_ready_case(make_customer(full_name=name), officer)
        make_active_restriction(
            case,
            officer,
            make_user(Role.REVIEW_MANAGER),
            starts_on=today - dt.timedelta(days=100),
            next_review_on=today - dt.timedelta(days=8),
        )
        db.session.commit()
        reference = case.reference
        db.session.remove()
    return reference


def no_axe_violations(page):
    assert axe_violations(page) == [], page.url


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_review_manager_changes_a_restriction_at_an_overdue_review(
    browser, live_server, locale
):
    t = say(locale)
    today = clock.today()
    reference = overdue_case(f"Review Journey {locale.upper()}")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server, MANAGER)
        page.goto(f"{live_server}/staff/reviews?lang={locale}")
        assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
        overdue = page.get_by_role("table", name=t("Reviews overdue or due in the next 14 days"))
        overdue.get_by_role("link", name=reference).click()
        page.get_by_role("link", name=t("Review this restriction")).click()

        page.get_by_role("group", name=t("Has the behaviour improved?")).get_by_label(
            t("Yes"), exact=True
        ).check()
        page.get_by_label(t("Change the restriction")).check()
        page.get_by_label(t("Explanation for the customer")).fill(
            "Calls are fewer; email only is now enough."
        )
        no_axe_violations(page)
        page.get_by_role("button", name=t("Save review")).click()

        # The change is written on the form that was a 403 before.
        expect(page.get_by_role("heading", level=1)).to_have_text(
            t("Write the changed restriction")
        )
        no_axe_violations(page)
        labels = (t("Day"), t("Month"), t("Year"))
        fill_date(page, t("Start date"), today, labels=labels)
        fill_date(page, t("End date"), add_months(today, 3), labels=labels)
        page.get_by_label(t("Every 3 months")).check()
        page.get_by_label(t("Why is it needed?")).fill("Fewer calls; email keeps a record.")
        page.get_by_label(t("One way of contacting us")).check()
        page.get_by_label(t("Email"), exact=True).check()
        page.get_by_role("button", name=t("Save the review and the changed restriction")).click()

        # Led to the letters: the review outcome, read before it is issued.
        expect(page.get_by_role("heading", level=1)).to_have_text(t("Write a letter"))
        page.get_by_label(t("Review outcome")).check()
        page.get_by_role("button", name=t("Write the letter")).click()
        expect(page.get_by_role("heading", name=t("Check and issue letter"))).to_be_visible()
        preview = page.locator(".portal-letter")
        expect(preview).to_contain_text("Calls are fewer")
        issue = page.get_by_role("button", name=t("Issue the letter"))
        assert preview.bounding_box()["y"] < issue.bounding_box()["y"]
        no_axe_violations(page)
        page.get_by_label(t("No"), exact=True).check()
        issue.click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            re.compile(r"L-\d{4}-\d+")
        )

        # Held: off the overdue queue.
        page.goto(f"{live_server}/staff/reviews?lang={locale}")
        overdue = page.get_by_role("table", name=t("Reviews overdue or due in the next 14 days"))
        expect(overdue.get_by_role("link", name=reference)).to_have_count(0)
    finally:
        context.close()
