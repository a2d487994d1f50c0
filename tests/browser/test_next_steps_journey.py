"""Issue 15 item 7 in Chromium: a customer sends an appeal and is told, by email in their
own language, that it arrived and what happens next — one customer reading English, one
Arabic — and the appeals director finds it on the to-do list of their home page.

The pages are found by address and form field, not by their English words, so the
journey is the same whichever language the interface opens in.
"""

import datetime as dt
import email
import email.policy
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal import clock
from portal.extensions import db
from portal.jobs.worker import work
from portal.models.vocab import Role
from tests.browser.helpers import LIVE_APP, sign_in
from tests.factories import (
    TEST_PASSWORD,
    make_active_restriction,
    make_customer,
    make_ready_case,
    make_user,
)

pytestmark = pytest.mark.browser
NAME = "Yusuf Okonkwo-Baines"  # never in an email about his appeal


def customer_with_restriction(address: str, locale: str) -> int:
    """A customer of the served portal with a restriction in place; its id."""
    today = clock.today()
    with LIVE_APP["app"].app_context():
        officer = make_user(Role.CASE_OFFICER)
        account = make_user(Role.CUSTOMER, email=address)
        customer = make_customer(account, full_name=NAME, email=address, preferred_locale=locale)
        case = make_ready_case(customer, officer)
        restriction = make_active_restriction(
            case, officer, make_user(Role.REVIEW_MANAGER), starts_on=today - dt.timedelta(days=9)
        )
        restriction_id = restriction.id
        db.session.remove()
    return restriction_id


def send_appeal(page, base: str, restriction_id: int) -> None:
    page.goto(f"{base}/challenges/appeal/restriction/{restriction_id}")
    page.locator("[name=submit]").click()  # start
    page.locator("textarea[name=reasons]").fill("The restriction is longer than it needs to be.")
    page.locator("[name=submit]").click()  # reasons
    page.locator("[name=submit]").click()  # no evidence
    page.locator("[name=submit]").click()  # send, from "check your answers"
    expect(page.locator(".govuk-panel")).to_be_visible()


def run_jobs() -> None:
    """The job worker `make run` starts beside the portal, run once on the served app."""
    with LIVE_APP["app"].app_context():
        work(name="next-steps-test", burst=True)
        db.session.remove()


def outbox_to(outbox: str, address: str) -> list:
    found = []
    for path in sorted(Path(outbox).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            found.append(message)
    return found


@pytest.mark.parametrize(
    ("address", "locale", "subject"),
    [
        ("yusuf.next@example.com", "en", "We have received your appeal"),
        ("yusuf.next.ar@example.com", "ar", "تلقينا استئنافك"),
    ],
)
def test_an_appeal_is_acknowledged_by_email_and_waits_on_the_directors_to_do_list(
    browser, live_server, live_outbox, address, locale, subject
):
    restriction_id = customer_with_restriction(address, locale)
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, address, TEST_PASSWORD)
        send_appeal(page, live_server, restriction_id)
        run_jobs()
        (message,) = outbox_to(live_outbox, address)
        assert message["Subject"] == subject
        assert message["Content-Language"] == locale
        text = message.get_content()
        assert NAME not in text
        assert re.findall(r"https?://\S+", text) == [f"{live_server}/my/"]

        page.context.clear_cookies()
        sign_in(page, live_server, "director@example.com")
        to_do = page.locator("section#to-do")
        expect(to_do.get_by_role("heading", name="To do")).to_be_visible()
        waiting = to_do.get_by_role("link", name=re.compile(r"^\d+ appeals? (is|are) waiting"))
        expect(waiting).to_be_visible()
        waiting.click()
        expect(page).to_have_url(f"{live_server}/staff/appeals")
    finally:
        context.close()
