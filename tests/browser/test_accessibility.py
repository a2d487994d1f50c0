"""axe-core (WCAG 2.0/2.1/2.2 A and AA) finds nothing on any page any demo role can reach,
in English, Welsh and Arabic (right-to-left); every page also has lang, dir, one h1, a
unique title, and reflows at 320 CSS pixels without horizontal scrolling."""

import pytest

from portal.demo import DEMO_ACCOUNTS
from tests.browser.helpers import axe_violations, crawl, sign_in

pytestmark = pytest.mark.browser

PERSONAS = ["anonymous", *[email for email, _name, _roles in DEMO_ACCOUNTS]]


def check_structure(page) -> str:
    assert page.evaluate("document.documentElement.lang") in {"en-GB", "cy", "ar"}
    assert page.evaluate("document.documentElement.dir") in {"ltr", "rtl"}
    assert page.locator("h1").count() == 1
    title = page.title()
    assert title
    return title


@pytest.mark.parametrize("language", ["en", "cy", "ar"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_reachable_page_has_no_axe_violations(page, live_server, persona, language):
    start = "/"
    if persona != "anonymous":
        sign_in(page, live_server, persona)
        start = page.url.removeprefix(live_server)
    titles = {}
    try:
        for url, response in crawl(page, live_server, start, language):
            assert response.status == 200, url
            title = check_structure(page)
            assert title not in titles, f"{url} repeats the title of {titles.get(title)}"
            titles[title] = url
            assert axe_violations(page) == [], url
    finally:
        # Choosing a language while signed in is saved to the account; put it back so
        # other tests on the shared server see the demo account as it was.
        page.goto(f"{live_server}/?lang=en")
    assert len(titles) >= 3


@pytest.mark.parametrize("email", ["jordan.ellis@example.com", "reviews@example.com"])
def test_pages_reflow_at_320_css_pixels(browser, live_server, email):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        sign_in(page, live_server, email)
        for url, _response in crawl(page, live_server, page.url.removeprefix(live_server), "en"):
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px"
    finally:
        context.close()


def test_error_state_of_the_sign_in_form_has_no_axe_violations(page, live_server):
    sign_in(page, live_server, "", "")
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
