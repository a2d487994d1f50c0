"""Issue 13 in Chromium: a customer asks for an invitation and creates an account, later
resets a forgotten password; an admin invites a colleague, who sets a password and an
authenticator app (from the key shown as text) and gets recovery codes. Axe on each page."""

import datetime as dt
import email
import email.policy
import re
from pathlib import Path

import pyotp
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, fill_date, sign_in


def newest_link(outbox: str, address: str, path: str) -> str:
    for mail in sorted(
        Path(outbox).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns, reverse=True
    ):
        message = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            return re.search(rf"(https?://\S+{re.escape(path)}\S+)", message.get_content())[1]
    raise AssertionError(f"no email to {address}")


def choose_password(page, password: str, button: str = "Save password"):
    page.get_by_label("Create a password").fill(password)
    page.get_by_label("Type the password again").fill(password)
    page.get_by_role("button", name=button).click()


def test_a_customer_asks_for_an_invitation_then_resets_a_forgotten_password(
    browser, live_server, live_outbox
):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server}/sign-in?lang=en")
    page.get_by_role("link", name="Ask for an invitation").click()
    page.get_by_label("Your customer or tenancy reference").fill("T-101145")
    fill_date(page, "Your date of birth", dt.date(1988, 2, 11))
    page.get_by_label("Your postcode").fill("bs5 0qd")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send my invitation").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    page.goto(newest_link(live_outbox, "amira.haddad@example.com", "/invitation/"))
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    choose_password(page, "password1234567890")
    expect(page.locator(".govuk-error-summary")).to_contain_text("too common")
    assert axe_violations(page) == []
    choose_password(page, "olive trees remember the rain")
    expect(page.get_by_text("Your account is ready")).to_be_visible()
    sign_in(page, live_server, "amira.haddad@example.com", "olive trees remember the rain")
    # Her record says Arabic: the portal opens in Arabic, right to left.
    expect(page.get_by_role("heading", level=1)).to_have_text("قيودك ورسائلك")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert axe_violations(page) == []
    page.goto(f"{live_server}/account?lang=en")
    expect(page.get_by_text("This device")).to_be_visible()
    assert axe_violations(page) == []
    # A ?lang= link only changes what this session shows; keeping English is a POST.
    page.get_by_role("button", name="Always use this language").click()
    page.get_by_role("button", name="Sign out", exact=True).click()

    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email address").fill("amira.haddad@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(newest_link(live_outbox, "amira.haddad@example.com", "/reset-password/"))
    choose_password(page, "a heron waits by the weir")
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    sign_in(page, live_server, "amira.haddad@example.com", "a heron waits by the weir")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your restrictions and letters")
    phone.close()


def test_an_admin_invites_a_colleague_who_sets_up_an_authenticator(
    browser, live_server, live_outbox
):
    admin = browser.new_context().new_page()
    sign_in(admin, live_server, "admin@example.com")
    admin.get_by_role("button", name="Add a colleague").click()
    admin.get_by_label("Full name").fill("Nia Evans")
    admin.get_by_label("Work email address").fill("nia.evans@example.com")
    admin.get_by_label("Case officer").check()
    assert axe_violations(admin) == []
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.get_by_text("Invitation sent to nia.evans@example.com")).to_be_visible()

    page = browser.new_context().new_page()
    page.goto(newest_link(live_outbox, "nia.evans@example.com", "/staff-invitation/"))
    choose_password(page, "lanterns drift over the harbour")
    sign_in(page, live_server, "nia.evans@example.com", "lanterns drift over the harbour")
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.locator("svg.app-qr-code")).to_be_visible()
    assert axe_violations(page) == []
    secret = page.locator(".app-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator("main code").count() == 10
    page.get_by_role("link", name="I have kept my codes: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")
