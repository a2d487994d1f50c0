"""Proposing a restriction in Chromium (issue 15 item 8): the rules stated before the
form, each option's details revealed when it is chosen (JavaScript on), every option's
details shown and the form still working with JavaScript off, dates typed as day, month
and year, and the form laid out right to left in Arabic."""

import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal import clock
from portal.dates import add_months
from portal.extensions import db
from portal.models import User
from tests.browser.helpers import LIVE_APP, axe_violations, fill_date, sign_in
from tests.factories import make_customer, make_ready_case
from tests.helpers import url

pytestmark = pytest.mark.browser
OFFICER = "officer@example.com"


def ready_case_path() -> str:
    """A case of a new customer with an informal step and a needs consideration, opened by
    the demo case officer: ready for a proposal."""
    with LIVE_APP["app"].app_context():
        officer = db.session.scalar(select(User).where(User.email == OFFICER))
        case = make_ready_case(make_customer(full_name="Robin Quayle"), officer)
        path = url("restrictions.propose", app=LIVE_APP["app"], case_id=case.id)
        db.session.remove()
    return path


def fill_when_and_why(page, today: dt.date) -> None:
    fill_date(page, "Start date", today)
    fill_date(page, "End date", add_months(today, 3))
    page.get_by_label("Every 3 months").check()
    page.get_by_label("Why is it needed?").fill("Thirty calls a day about one repair.")


def test_with_javascript_each_option_reveals_its_details(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    today = clock.today()
    try:
        sign_in(page, live_server, OFFICER)
        page.goto(f"{live_server}{ready_case_path()}?lang=en")
        expect(page.get_by_role("heading", name="Before you propose")).to_be_visible()
        expect(page.locator("#time-limit")).to_contain_text("no more than 6 months")
        email = page.get_by_label("Email", exact=True)
        monday = page.get_by_label("Monday", exact=True)
        expect(email).to_be_hidden()
        expect(monday).to_be_hidden()
        page.get_by_label("Contact at set times").check()
        expect(monday).to_be_visible()
        page.get_by_label("Contact at set times").uncheck()
        expect(monday).to_be_hidden()
        page.get_by_label("One way of contacting us").check()
        expect(email).to_be_visible()
        assert axe_violations(page) == []
        email.check()
        fill_when_and_why(page, today)
        page.get_by_role("button", name="Propose restriction").click()
        expect(page.get_by_text("Restriction proposed.")).to_be_visible()
        expect(page.locator("main")).to_contain_text("You can contact us by email only.")
    finally:
        context.close()


def test_without_javascript_every_detail_shows_and_the_form_works(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    today = clock.today()
    try:
        sign_in(page, live_server, OFFICER)
        page.goto(f"{live_server}{ready_case_path()}?lang=en")
        details = (
            "Email",
            "Monday",
            "Most contacts allowed",
            "Who will be the single point of contact?",
        )
        for detail in details:
            expect(page.get_by_label(detail, exact=True)).to_be_visible()
        page.get_by_label("One way of contacting us").check()
        page.get_by_label("Email", exact=True).check()
        fill_when_and_why(page, today)
        page.get_by_role("button", name="Propose restriction").click()
        expect(page.get_by_text("Restriction proposed.")).to_be_visible()
    finally:
        context.close()


def test_the_form_reads_right_to_left_in_arabic(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, live_server, OFFICER)
        page.goto(f"{live_server}{ready_case_path()}?lang=ar")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("html").get_attribute("lang") == "ar"
        for name in ("starts_on", "ends_on"):
            boxes = page.locator(f"#{name} input")
            expect(boxes).to_have_count(3)
            names = [boxes.nth(i).get_attribute("name") for i in range(3)]
            assert names == [f"{name}-day", f"{name}-month", f"{name}-year"]
        expect(page.locator("input[name=measures]")).to_have_count(7)
        assert axe_violations(page) == []
    finally:
        page.goto(f"{live_server}/?lang=en")
        context.close()
