"""Right-to-left in Chromium (issue 15 item 11): the staff menu's items keep their gaps,
the "details" arrow points into the text from the right, and left-to-right text inside an
Arabic page is isolated and runs left to right."""

import pytest

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

MENU_BOXES = """() => [...document.querySelectorAll('.govuk-service-navigation__item')]
    .map(item => { const box = item.getBoundingClientRect();
                   return {left: box.left, right: box.right, top: box.top}; })"""


def test_the_staff_menu_items_do_not_run_together_in_arabic(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server, "sam.patel@example.com")  # two roles: a long menu
        page.goto(f"{page.url.split('?')[0]}?lang=ar")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        boxes = page.evaluate(MENU_BOXES)
        assert len(boxes) >= 3
        rows: dict[float, list] = {}
        for box in boxes:
            rows.setdefault(round(box["top"]), []).append(box)
        for row in rows.values():
            # Reading order is right to left: each item sits wholly left of the one before.
            for first, second in zip(row, row[1:], strict=False):
                assert second["right"] + 20 <= first["left"], (first, second)
    finally:
        context.close()


def test_details_arrow_and_isolated_text_in_an_arabic_letter_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server, "jordan.ellis@example.com")
        page.goto(f"{live_server}/my/?lang=ar")
        page.locator("a[href^='/letters/']").first.click()
        page.wait_for_selector(".portal-letter")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        arrow = page.evaluate(
            """() => { const summary = document.querySelector('.govuk-details__summary');
                       const style = getComputedStyle(summary, '::before');
                       return {right: style.right, left: style.left, clip: style.clipPath,
                               paddingRight: getComputedStyle(summary).paddingRight}; }"""
        )
        assert arrow["right"] == "0px" and arrow["paddingRight"] == "25px"
        assert arrow["clip"].startswith("polygon(100% 0%, 0% 50%")  # points left, into the text
        address = page.evaluate(
            """() => [...document.querySelectorAll('.portal-letter address bdi')]
                .map(b => ({text: b.textContent, direction: getComputedStyle(b).direction,
                            bidi: getComputedStyle(b).unicodeBidi}))"""
        )
        assert address and all(line["bidi"] == "isolate" for line in address)
        assert {line["direction"] for line in address if line["text"][0].isascii()} == {"ltr"}
    finally:
        context.close()
