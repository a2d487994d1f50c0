"""Issue 6's done-when in Chromium, with JavaScript disabled and by keyboard only (Tab to
each control, then type, Space or Enter; choosing a file is the one step a browser hands to
the operating system, so the test sets it on the focused file input):

a customer appeals a restriction with an evidence file; an advocate asks for
reconsideration for the customer they act for, and is refused for another customer; the
appeals director decides both; the customer and the advocate see the decisions and letters.
axe checks every page the journey reaches, the error states and the refusal included.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD
from tests.browser.helpers import axe_violations_without_javascript, current_code
from tests.upload_samples import pdf_bytes

pytestmark = pytest.mark.browser
PDF = pdf_bytes()


def tab_to(page, locator, limit=200):
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", target):
            return
    raise AssertionError(f"could not reach {locator} with the Tab key")


def press(page, locator, key="Enter"):
    """Tab to a control and press a key; Enter on a link or button loads the next page,
    which axe then checks: every page of the journey, error states included."""
    tab_to(page, locator)
    if key == "Enter":
        with page.expect_navigation():
            page.keyboard.press(key)
        no_axe_violations(page)
    else:
        page.keyboard.press(key)


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.type(text)


def sign_in(page, base, email):
    page.goto(f"{base}/sign-in?lang=en")
    type_into(page, page.get_by_label("Email address"), email)
    type_into(page, page.get_by_label("Password", exact=True), DEMO_PASSWORD)
    press(page, page.get_by_role("button", name="Sign in"))
    if urlsplit(page.url).path == "/sign-in/code":  # staff: the code from the app, by keyboard
        type_into(page, page.get_by_label("Code"), current_code(email))
        press(page, page.get_by_role("button", name="Continue"))


def sign_out(page):
    press(page, page.get_by_role("button", name="Sign out"))


def no_axe_violations(page):
    assert axe_violations_without_javascript(page.context.browser, page) == [], page.url


def test_appeal_reconsideration_and_decisions_by_keyboard_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        # The review manager approves Siân's proposed restriction, so it can be challenged.
        sign_in(page, live_server, "reviews@example.com")
        waiting = page.get_by_role("row").filter(has_text="Siân Morgan")
        press(page, waiting.first.get_by_role("link").first)
        press(page, page.get_by_role("button", name="Approve restriction"))
        expect(page.get_by_text("Restriction approved.", exact=False)).to_be_visible()
        sign_out(page)

        # Jordan appeals his restriction with an evidence file.
        sign_in(page, live_server, "jordan.ellis@example.com")
        press(page, page.get_by_role("link", name="Appeal this restriction"))
        jordan_restriction = re.search(r"/restriction/(\d+)", page.url).group(1)
        press(page, page.get_by_role("button", name="Start now"))
        # The draft may hold what the accessibility crawl typed on this shared server (an
        # answer is kept only once it is valid): clear it, as a keyboard user would.
        reasons = page.get_by_label("Why do you think the decision is wrong?")
        tab_to(page, reasons)
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        press(page, page.get_by_role("button", name="Save and continue"))  # empty: an error
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        type_into(page, reasons, "My repair is finished, so I no longer need to chase it.")
        press(page, page.get_by_role("button", name="Save and continue"))
        file_input = page.get_by_label("Choose files")
        tab_to(page, file_input)
        file_input.set_input_files(
            files=[{"name": "repair-note.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        press(page, page.get_by_role("button", name="Save and continue"))
        expect(
            page.get_by_role("heading", name="Check your answers before sending")
        ).to_be_visible()
        expect(page.get_by_text("repair-note.pdf")).to_be_visible()
        press(page, page.get_by_role("button", name="Send"))
        expect(page.get_by_role("heading", name="Appeal sent")).to_be_visible()
        appeal_reference = page.locator(".govuk-panel__body strong").inner_text()
        sign_out(page)

        # Priya, Siân's support worker, asks for reconsideration for her...
        sign_in(page, live_server, "priya.shah@example.com")
        press(page, page.get_by_role("link", name="Siân Morgan"))
        press(page, page.get_by_role("link", name="Ask us to reconsider it"))
        press(page, page.get_by_role("button", name="Start now"))
        press(page, page.get_by_label("My circumstances have changed"), " ")
        press(page, page.get_by_role("button", name="Save and continue"))
        type_into(
            page,
            page.get_by_label("Tell us what has changed, or what is wrong"),
            "Siân now has a text relay service and a support plan.",
        )
        press(page, page.get_by_role("button", name="Save and continue"))
        press(page, page.get_by_role("button", name="Save and continue"))  # no evidence
        press(page, page.get_by_role("button", name="Send"))
        expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
        expect(page.get_by_text("We will answer by")).to_be_visible()
        request_reference = page.locator(".govuk-panel__body strong").inner_text()
        # ...and is refused for a customer who has not authorised her.
        response = page.goto(
            f"{live_server}/challenges/reconsideration/restriction/{jordan_restriction}"
        )
        assert response.status == 404
        no_axe_violations(page)
        sign_out(page)

        # The appeals director decides both.
        sign_in(page, live_server, "director@example.com")
        page.goto(f"{live_server}/staff/appeals")
        press(page, page.get_by_role("link", name=appeal_reference))
        press(page, page.get_by_label("Uphold"), " ")
        type_into(page, page.get_by_label("Reasons"), "The limit is still needed for now.")
        press(page, page.get_by_role("button", name="Record the decision and read the letter"))
        # The decision letter is read first (issue 15 item 6), then issued.
        expect(page.locator(".portal-letter")).to_contain_text("still needed for now")
        press(page, page.get_by_role("button", name="Issue the letter"))
        expect(page.get_by_text("issued", exact=False).first).to_be_visible()
        page.goto(f"{live_server}/staff/appeals")
        press(page, page.get_by_role("link", name=request_reference))
        press(page, page.get_by_label("Change the restriction"), " ")
        type_into(
            page, page.get_by_label("Reasons"), "A text relay means email-only is not needed."
        )
        press(page, page.get_by_role("button", name="Record the decision and read the letter"))
        expect(page.locator(".govuk-error-summary")).to_be_visible()  # no new end date given
        # In a radio group with a choice made, Tab reaches the chosen radio and the arrow
        # keys move the choice, as for any keyboard user.
        tab_to(page, page.get_by_label("Change the restriction"))
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        expect(page.get_by_label("No change")).to_be_checked()
        press(page, page.get_by_role("button", name="Record the decision and read the letter"))
        expect(page.get_by_text("recorded. Read the decision letter", exact=False)).to_be_visible()
        press(page, page.get_by_role("button", name="Issue the letter"))
        sign_out(page)

        # Jordan and Priya see the decisions and the letters.
        sign_in(page, live_server, "jordan.ellis@example.com")
        press(page, page.get_by_role("link", name=f"Appeal {appeal_reference}"))
        expect(page.locator("main .govuk-tag")).to_have_text("Upheld")
        press(page, page.get_by_role("link", name="Read the decision letter"))
        expect(page.locator(".portal-letter")).to_contain_text("The limit is still needed")
        sign_out(page)
        sign_in(page, live_server, "priya.shah@example.com")
        press(page, page.get_by_role("link", name="Siân Morgan"))
        press(page, page.get_by_role("link", name=f"Request {request_reference}"))
        press(page, page.get_by_role("link", name="Read the decision letter"))
        expect(page.locator(".portal-letter")).to_be_visible()
    finally:
        context.close()
