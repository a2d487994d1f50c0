"""Issue 15 item 6 in Chromium: the appeals director reads the evidence on the case
beside an appeal, varies the restriction by changing a measure (s3.4), reads the decision
letter and only then issues it, and finds the decision in the history of decided appeals;
with Marek's demo appeal in English and with an appeal of its own in Arabic, right to
left. axe checks each page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal import clock
from portal.challenges import services as challenges
from portal.extensions import db
from portal.models import RestrictionMeasure, User
from portal.models.types import utcnow
from portal.models.vocab import ContactChannel, RestrictionOption, Role
from tests.browser.helpers import LIVE_APP, axe_violations, say, sign_in
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user

pytestmark = pytest.mark.browser

REASONS = "You apologised the next day; you may visit the community hub again."
HUB = "Fishponds community hub"


def no_axe_violations(page):
    assert axe_violations(page) == [], page.url


def appeal_of_its_own() -> str:
    """A new customer's appeal against a restriction that bars them from the hub and keeps
    them to email; its reference. The demo's own appeal is left to the English run."""
    today = clock.today()
    with LIVE_APP["app"].app_context():
        officer = db.session.scalar(select(User).where(User.email == "officer@example.com"))
        customer_user = make_user(Role.CUSTOMER)
        case = make_ready_case(make_customer(customer_user, full_name="Appeal Journey"), officer)
        restriction = make_active_restriction(
            case,
            officer,
            make_user(Role.REVIEW_MANAGER),
            starts_on=today - dt.timedelta(days=10),
            measures=[
                RestrictionMeasure(
                    option=RestrictionOption.SINGLE_CHANNEL,
                    permitted_channel=ContactChannel.EMAIL,
                ),
                RestrictionMeasure(option=RestrictionOption.PREMISES_BARRED, barred_premises=HUB),
            ],
        )
        draft = challenges.start_draft("appeal", restriction, author=customer_user, now=utcnow())
        challenges.save_answers(draft, {"reasons": "It is not fair."}, utcnow())
        appeal = challenges.submit(draft, submitter=customer_user, now=utcnow(), today=today)
        reference = appeal.reference
        db.session.remove()
    return reference


def vary_and_issue(page, live_server, t, reference: str, locale: str) -> None:
    """From the open appeal's page: vary by lifting the ban on the hub, read the decision
    letter, issue it, and find the decision among the decided appeals."""
    page.get_by_role("link", name=t("Vary the measures")).click()
    expect(page.get_by_role("heading", name=t("Change the restriction on appeal"))).to_be_visible()
    premises = page.get_by_label(t("Offices, hubs or events the customer must not attend"))
    expect(premises).to_have_value(HUB)
    no_axe_violations(page)
    # Unticking the measure lifts it (its details are then hidden and not read).
    barred = page.get_by_label(t("Not to attend offices, hubs or events"))
    expect(barred).to_be_checked()
    barred.uncheck()
    expect(premises).to_be_hidden()
    page.get_by_role("button", name=t("Continue to the decision letter")).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Enter the reasons for the decision")
    )
    page.get_by_label(t("Reasons for the decision")).fill(REASONS)
    page.get_by_role("button", name=t("Continue to the decision letter")).click()

    # The letter first, then the button that issues it.
    expect(page.get_by_role("heading", name=t("Check and issue letter"))).to_be_visible()
    preview = page.locator(".portal-letter")
    expect(preview).to_contain_text(REASONS)
    issue = page.get_by_role("button", name=t("Issue the letter"))
    assert preview.bounding_box()["y"] < issue.bounding_box()["y"]
    no_axe_violations(page)
    issue.click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        re.compile(r"L-\d{4}-\d+")
    )

    # Decided, it leaves the queue and is kept in the history, found by its outcome.
    page.goto(f"{live_server}/staff/appeals?lang={locale}")
    expect(page.get_by_role("link", name=reference)).to_have_count(0)
    page.get_by_role("link", name=t("Decided appeals and reconsiderations")).click()
    page.get_by_label(t("Outcome")).select_option(value="appeal:vary")
    page.get_by_role("button", name=t("Show decisions")).click()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text(t("Varied"))
    expect(row).to_contain_text("Helen Price")
    no_axe_violations(page)


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

        vary_and_issue(page, live_server, say("en"), "AP-DEMO01", "en")
    finally:
        context.close()


def test_the_director_varies_on_appeal_in_arabic_right_to_left(browser, live_server):
    t = say("ar")
    reference = appeal_of_its_own()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server, "director@example.com")
        page.goto(f"{live_server}/staff/appeals?lang=ar")
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.get_by_role("link", name=reference).click()
        expect(page.get_by_role("heading", name=t("Evidence on the case"))).to_be_visible()
        expect(page.locator("#evidence-challenges")).to_contain_text(reference)
        no_axe_violations(page)
        vary_and_issue(page, live_server, t, reference, "ar")
    finally:
        context.close()
