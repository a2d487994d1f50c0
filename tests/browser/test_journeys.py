"""Sign-in journeys in real headless Chromium, with and without JavaScript and by keyboard."""

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from portal.config import BABEL_LOCALE_FOR
from portal.demo import DEMO_ACCOUNTS
from portal.extensions import db
from portal.i18n import own_language
from portal.models import User
from portal.navigation import ROLE_HOMES
from tests.browser.helpers import LIVE_APP, sign_in

pytestmark = pytest.mark.browser

HOME_HEADINGS = {
    "my.home": "Your restrictions and letters",
    "advocate.home": "People you act for",
    "staff.cases": "My cases",
    "staff.reviews": "Approvals and reviews",
    "staff.appeals": "Appeals and reconsiderations",
    "staff.community_safety": "Community Safety referrals",
    "staff.reports": "Reports",
    "staff.accounts": "Staff accounts",
    "gdpr.index": "Data protection",
}
FIRST_HOME = {
    email: next(item.endpoint for item in ROLE_HOMES if item.role in roles)
    for email, _name, roles in DEMO_ACCOUNTS
}


def in_own_language(email: str, *messages: str) -> list[str]:
    """``messages`` as the demo person signed in as ``email`` reads them: in their own
    language, which for Marek and Siân is the one on their customer record (issue 15
    item 4), so the portal greets them in Polish and Welsh."""
    app = LIVE_APP["app"]
    with app.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        language = own_language(user) or "en"
        with force_locale(BABEL_LOCALE_FOR.get(language, language)):
            return [gettext(message) for message in messages]


@pytest.mark.parametrize("email", list(FIRST_HOME))
def test_every_demo_account_signs_in_and_lands_on_its_home(page, live_server, email):
    heading, sign_out = in_own_language(email, HOME_HEADINGS[FIRST_HOME[email]], "Sign out")
    sign_in(page, live_server, email)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    page.get_by_role("button", name=sign_out).click()
    page.wait_for_load_state()
    # Signed out, the page follows the browser again (English here).
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    assert page.get_by_text("You have signed out.").is_visible()


def test_wrong_password_shows_the_error_summary_with_focus(page, live_server):
    sign_in(page, live_server, "officer@example.com", "not the password")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter a correct email address and password" in summary.inner_text()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error:")


def test_sign_in_works_without_javascript(page_without_javascript, live_server):
    page = page_without_javascript
    sign_in(page, live_server, "jordan.ellis@example.com")
    assert page.get_by_role("heading", level=1).inner_text() == "Your restrictions and letters"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"


def test_sign_in_with_the_keyboard_only(page, live_server):
    page.goto(f"{live_server}/sign-in")
    # The first Tab reaches the skip link, as it should.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    for _ in range(15):
        if page.evaluate("document.activeElement.id") == "email":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type("priya.shah@example.com")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type("demo-portal-2026")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "People you act for"


def test_no_content_security_policy_violations_and_components_start(page, live_server):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{live_server}/sign-in")
    page.wait_for_load_state("networkidle")
    body_classes = page.evaluate("document.body.className")
    assert "govuk-frontend-supported" in body_classes  # GOV.UK Frontend ran, under the CSP
    assert page.get_by_role("button", name="Show password").is_visible()
    assert page.evaluate("typeof htmx") == "object"  # htmx loaded from static/
    sign_in(page, live_server, "reviews@example.com")
    page.wait_for_load_state("networkidle")
    violations = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    assert violations == []


def test_the_session_cookie_cannot_be_read_by_scripts(page, live_server):
    sign_in(page, live_server, "jordan.ellis@example.com")
    assert "portal_session" not in page.evaluate("document.cookie")
