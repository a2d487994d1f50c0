"""Issue 15, items 2 and 3 in Chromium: Jordan (demo), restricted to email with a single
point of contact, is never shown a phone number — home, Beta banner, footer, restriction,
letter — and is told that emergencies and new complaints always get through; in English
and in Arabic, right to left."""

import pytest
from flask_babel import force_locale
from playwright.sync_api import expect

from portal.reach_us import still_get_through
from tests.browser.helpers import LIVE_APP, axe_violations, sign_in

pytestmark = pytest.mark.browser

JORDAN = "jordan.ellis@example.com"


def _said_in(locale: str) -> str:
    """The "what always gets through" sentence as the portal says it in ``locale``."""
    app = LIVE_APP["app"]
    with app.test_request_context(), force_locale(locale):
        return still_get_through()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_email_only_customer_sees_no_phone_and_what_always_gets_through(page, live_server, locale):
    app = LIVE_APP["app"]
    phone, email = app.config["LANDLORD_PHONE"], app.config["LANDLORD_EMAIL"]
    sign_in(page, live_server, JORDAN)
    page.goto(f"{live_server}/my/?lang={locale}")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl" if locale == "ar" else "ltr")

    body = page.locator("body").inner_text()
    assert phone not in body
    assert email in page.locator("#reach-us + ul").inner_text()
    assert "officer@example.com" in page.locator("#reach-us + ul").inner_text()  # the contact
    assert email in page.locator("footer").inner_text()
    expect(page.locator(".govuk-phase-banner a[href='#how-to-reach-us']")).to_be_visible()

    sentence = _said_in(locale)
    home_line = page.locator("main > .portal-still-get-through")
    expect(home_line).to_have_text(sentence)
    expect(page.locator(".govuk-summary-card .portal-still-get-through").first).to_have_text(
        sentence
    )
    assert axe_violations(page) == []

    page.locator("main table a").first.click()  # Jordan's restriction notice
    page.wait_for_load_state()
    letter = page.locator(".portal-letter").inner_text()
    assert phone not in letter
    assert email in letter
    if locale == "en":
        assert "emergency" in letter and "new complaint" in letter
