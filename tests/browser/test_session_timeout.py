"""WCAG 2.2.1 (timing adjustable) in Chromium: before the idle timeout signs a person out,
a warning dialog takes the focus and "Stay signed in" keeps the session going. The page is
served as the portal renders it, with only the idle time shortened so the warning comes at
once."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_the_timeout_warning_lets_a_person_stay_signed_in(page, live_server):
    sign_in(page, live_server, "jordan.ellis@example.com")

    def shorten_idle_time(route):
        response = route.fetch()
        html = re.sub(r'data-idle-seconds="\d+"', 'data-idle-seconds="301"', response.text())
        route.fulfill(response=response, body=html)

    page.route(f"{live_server}/my/", shorten_idle_time)
    extensions = []
    page.on(
        "response",
        lambda response: extensions.append(response.status)
        if response.url.endswith("/session/extend")
        else None,
    )
    page.goto(f"{live_server}/my/")
    dialog = page.locator("#session-timeout-warning")
    expect(dialog).to_be_visible(timeout=5_000)
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    assert axe_violations(page) == []
    # Wait for the extension request itself rather than for a fixed time.
    with page.expect_response(lambda response: response.url.endswith("/session/extend")):
        page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert extensions == [204]
    assert page.url == f"{live_server}/my/"  # the person stays where they were
    expect(page.get_by_role("heading", name="Your restrictions and letters")).to_be_visible()
