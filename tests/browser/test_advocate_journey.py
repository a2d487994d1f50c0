"""Issue 6, item 5 in Chromium: Tom nominates a support worker, who opens the emailed
link, creates an account, and sees Tom; Tom stops her and her access ends at once. axe
checks each page on the way, the invitation and its error state included."""

import email
import email.policy
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, sign_in

pytestmark = pytest.mark.browser


def newest_link_to(outbox: str, address: str) -> str:
    for path in sorted(Path(outbox).glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            return re.search(r"(https?://\S+/advocate/invitations/\S+)", message.get_content())[1]
    raise AssertionError(f"no email to {address}")


def test_a_customer_nominates_and_revokes_an_advocate(browser, live_server, live_outbox):
    tom = browser.new_context()
    page = tom.new_page()
    sign_in(page, live_server, "tom.baker@example.com")
    page.get_by_role("link", name="Your advocates").click()
    page.get_by_role("link", name="Choose an advocate").click()
    page.get_by_label("Their full name").fill("Ruth Evans")
    page.get_by_label("Their email address").fill("ruth.evans@example.com")
    page.get_by_label("Support worker").check()
    page.get_by_label("Appeal or ask for a reconsideration for me").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("We have emailed Ruth Evans a link to accept.")).to_be_visible()
    expect(page.get_by_text("Invitation sent, not accepted yet")).to_be_visible()
    assert axe_violations(page) == []

    ruth = browser.new_context()
    her = ruth.new_page()
    her.goto(newest_link_to(live_outbox, "ruth.evans@example.com"))
    expect(her.get_by_role("heading", name="Become an advocate for Tom Baker")).to_be_visible()
    assert axe_violations(her) == []
    her.get_by_label("Your name").fill("Ruth Evans")
    her.get_by_label("Create a password").fill("too short")
    her.get_by_label("Type the password again").fill("too short")
    her.get_by_role("button", name="Create account and accept").click()
    expect(her.locator(".govuk-error-summary")).to_be_visible()
    assert axe_violations(her) == []
    her.get_by_label("Create a password").fill("a sensible passphrase")
    her.get_by_label("Type the password again").fill("a sensible passphrase")
    her.get_by_role("button", name="Create account and accept").click()
    sign_in(her, live_server, "ruth.evans@example.com", "a sensible passphrase")
    her.get_by_role("link", name="Tom Baker").click()
    customer_url = her.url
    expect(her.get_by_role("heading", name="Tom Baker")).to_be_visible()

    page.reload()
    page.get_by_role(
        "link", name="Change what Ruth Evans can do, or stop them acting for me"
    ).click()
    page.get_by_role("button", name="Yes, stop them acting for me").click()
    expect(page.get_by_text("Ruth Evans can no longer act for you.")).to_be_visible()
    assert her.goto(customer_url).status == 404
    tom.close()
    ruth.close()
