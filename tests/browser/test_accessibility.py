"""Issue 7, item 3: accessibility proven in Chromium, not claimed.

Every page each demo role can reach (a crawl from each home page, and from the public start
page) in English and Arabic (right-to-left), and in Welsh for the public and customer side;
every step of the appeal and reconsideration journeys, including their error states, in
English, Welsh and Arabic: axe-core (WCAG 2.0/2.1/2.2 A and AA)
finds nothing; each page has lang and dir, one h1, a title unique within its crawl and a
label for every form field. Pages reflow at 320 CSS pixels and with text at 200% without
horizontal scrolling. The number of pages and checks is printed at the end of the run.
"""

import pytest

from portal.config import BABEL_LOCALE_FOR, SUPPORTED_LOCALES
from portal.demo import DEMO_ACCOUNTS
from portal.models.vocab import Role
from tests.browser.helpers import axe_violations, count_check, crawl, kind_of, sign_in

pytestmark = pytest.mark.browser

PERSONAS = ["anonymous", *[email for email, _name, _roles in DEMO_ACCOUNTS]]
LANGUAGES = ["en", "cy", "ar"]
HTML_LANGS = {BABEL_LOCALE_FOR.get(code, code).replace("_", "-") for code in SUPPORTED_LOCALES}
RTL = {"ar", "ur"}

UNLABELLED_FIELDS = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button'].includes(el.type))
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)
"""
SIDEWAYS_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def check_page(page, language: str) -> str:
    """Structure and axe for the page shown now; returns its title."""
    lang = page.evaluate("document.documentElement.lang")
    assert lang in HTML_LANGS, page.url
    assert lang.split("-")[0] == language, (page.url, lang)
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language in RTL else "ltr"), (
        page.url
    )
    assert page.locator("h1").count() == 1, page.url
    assert page.evaluate(UNLABELLED_FIELDS) == [], page.url
    title = page.title()
    assert title, page.url
    assert axe_violations(page) == [], page.url
    count_check(page.url, checks=6)
    return title


def _crawls():
    """Every persona in English and in Arabic (left to right and right to left); Welsh for
    the public and the customer side, where Welsh readers are. Staff pages in Welsh are the
    English templates with lang="cy" (staff text is not required in every language), so a
    Welsh crawl of each staff role would check them a third time for about 5 minutes."""
    customer_side = {"anonymous"} | {
        email
        for email, _name, roles in DEMO_ACCOUNTS
        if set(roles) & {Role.CUSTOMER, Role.ADVOCATE}
    }
    for persona in PERSONAS:
        for language in LANGUAGES:
            if language != "cy" or persona in customer_side:
                yield persona, language


# Pages every signed-in person sees alike: the public pages and their own account's. Each
# is checked once per language on each worker (signed in, and again signed out by the
# anonymous crawl), not again by every role's crawl: they were 40% of the crawls' time.
ROLE_AREAS = ("/my", "/advocate", "/staff", "/letters", "/challenges")
_SHARED_CHECKED: set[tuple[str, bool, str]] = set()


def _shared(kind: str) -> bool:
    return not kind.startswith(ROLE_AREAS)


def _status_address_of(url: str, earlier: str | None) -> bool:
    """Whether ``url`` is the status address of the file asked for at ``earlier``: a file
    not yet made answers at its own address with the same page (202)."""
    if earlier is None:
        return False
    return url.split("?")[0] == earlier.split("?")[0] + "/status"


@pytest.mark.parametrize(("persona", "language"), list(_crawls()))
def test_every_reachable_page_has_no_axe_violations(page, live_server, persona, language):
    start = "/"
    signed_in = persona != "anonymous"
    if signed_in:
        sign_in(page, live_server, persona)
        start = page.url.removeprefix(live_server)

    def checked_elsewhere(kind: str) -> bool:
        return (language, signed_in, kind) in _SHARED_CHECKED

    titles = {}
    try:
        for url, response in crawl(page, live_server, start, language, skip=checked_elsewhere):
            assert response.status in (200, 202), url  # 202: a letter file being made
            title = check_page(page, language)
            if _status_address_of(url, titles.get(title)):
                continue  # one page: a letter file being made, and its "Check again"
            assert title not in titles, f"{url} repeats the title of {titles.get(title)}"
            titles[title] = url
            if _shared(kind_of(url)):
                _SHARED_CHECKED.add((language, signed_in, kind_of(url)))
    finally:
        # Choosing a language while signed in is saved to the account; put it back so
        # other tests on the shared server see the demo account as it was.
        page.goto(f"{live_server}/?lang=en")
    assert len(titles) >= 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_appeal_journey_and_its_error_states(page, live_server, language):
    """Jordan's appeal, every step in each language, the errors included. The draft keeps
    the last valid answer (an invalid one is never saved); the keyboard journey in
    test_challenge_journey.py clears it before its own error state."""
    sign_in(page, live_server, "jordan.ellis@example.com")
    try:
        restriction_link = page.locator("a[href*='/challenges/appeal/restriction/']").first
        start = restriction_link.get_attribute("href")
        page.goto(f"{live_server}{start}?lang={language}")
        check_page(page, language)
        _submit_first(page)  # Start now
        page.locator("textarea").fill("")
        _submit_first(page)
        assert page.locator(".govuk-error-summary").is_visible()
        check_page(page, language)
        page.locator("textarea").fill("The repair is finished.")
        _submit_first(page)
        check_page(page, language)  # the evidence step
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "not-really.pdf", "mimeType": "application/pdf", "buffer": b"MZ"}]
        )
        _submit_first(page)
        assert page.locator(".govuk-error-summary").is_visible()
        check_page(page, language)
        _submit_first(page)
        check_page(page, language)  # check your answers
    finally:
        page.goto(f"{live_server}/?lang=en")


def _submit_first(page):
    """The step's primary button ("Save and continue", in any language)."""
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reconsideration_journey_and_its_error_states(page, live_server, language):
    sign_in(page, live_server, "marek.kowalski@example.com")
    try:
        page.goto(f"{live_server}/my/?lang={language}")
        start = page.locator("a[href*='/challenges/reconsideration/restriction/']").first
        page.goto(f"{live_server}{start.get_attribute('href')}?lang={language}")
        check_page(page, language)
        _submit_first(page)
        ground_url = page.url
        page.goto(f"{ground_url}?lang={language}")
        if page.locator("input[type=radio]:checked").count() == 0:
            _submit_first(page)  # no ground chosen: an error
            assert page.locator(".govuk-error-summary").is_visible()
            check_page(page, language)
        page.locator("input[type=radio]").first.check()
        _submit_first(page)
        page.locator("textarea").fill("")
        _submit_first(page)
        assert page.locator(".govuk-error-summary").is_visible()
        check_page(page, language)
        page.locator("textarea").fill("I now have a support worker.")
        _submit_first(page)
        check_page(page, language)  # evidence
        _submit_first(page)
        check_page(page, language)  # check your answers
    finally:
        page.goto(f"{live_server}/?lang=en")


@pytest.mark.parametrize("email", ["jordan.ellis@example.com", "reviews@example.com"])
def test_pages_reflow_at_320_css_pixels(browser, live_server, email):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        sign_in(page, live_server, email)
        for url, _response in crawl(page, live_server, page.url.removeprefix(live_server), "en"):
            overflow = page.evaluate(SIDEWAYS_OVERFLOW)
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px"
            count_check(url, checks=1, page=False)
    finally:
        context.close()


@pytest.mark.parametrize("email", ["priya.shah@example.com", "officer@example.com"])
def test_text_resized_to_200_percent_stays_readable(browser, live_server, email):
    """WCAG 1.4.4: text at 200% (the root font size doubled, as browser text zoom does for
    rem-based styles) loses nothing: no sideways scrolling on a 1024 pixel wide window."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        sign_in(page, live_server, email)
        for url, _response in crawl(page, live_server, page.url.removeprefix(live_server), "en"):
            base = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
            page.evaluate("document.documentElement.style.fontSize = '200%'")
            assert page.evaluate(
                "parseFloat(getComputedStyle(document.documentElement).fontSize)"
            ) == pytest.approx(2 * base)
            overflow = page.evaluate(SIDEWAYS_OVERFLOW)
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at 200% text"
            count_check(url, checks=1, page=False)
    finally:
        context.close()


def test_error_state_of_the_sign_in_form_has_no_axe_violations(page, live_server):
    sign_in(page, live_server, "", "")
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page, "en")
