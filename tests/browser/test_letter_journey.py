"""Issue 5's done-when in Chromium: staff issue the notice for a demo restriction; the
customer sees it as new, opens it, and downloads it in English and two other languages
(one right-to-left); the files are opened and read. The self-contained HTML letter passes
axe-core too."""

import io
import re
from pathlib import Path

import pikepdf
import pypdf
import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, sign_in

pytestmark = pytest.mark.browser
ARABIC = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


def download(page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    item = info.value
    return item.suggested_filename, Path(item.path()).read_bytes()


def download_made_file(page, link) -> tuple[str, bytes]:
    """A slow format (PDF) not yet made: the link opens a page saying it is being made; the
    job worker makes it, the page (htmx, about every 2 seconds) shows its Download button, which
    downloads it. Then back to the letter."""
    letter_page = page.url
    link.click()
    expect(page.get_by_role("heading", name="Your letter as a file")).to_be_visible()
    expect(page.get_by_text("We are making this file for you")).to_be_visible()
    assert axe_violations(page) == []
    button = page.get_by_role("link", name="Download the file")
    expect(button).to_be_visible(timeout=60_000)
    made = download(page, button)
    page.goto(letter_page)
    return made


def downloads_in(page, code: str):
    """The list of files in one language, opening the other languages if it is there."""
    more = page.locator("details.portal-more-languages")
    if code not in ("pl", "en") and more.get_attribute("open") is None:
        page.get_by_text("Download it in another language").click()
    return page.locator(f"#downloads-{code} + ul")


def test_staff_issue_a_notice_and_the_customer_opens_and_downloads_it(
    browser, live_server, job_worker
):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, "officer@example.com")
        page.get_by_role("link", name="Find a customer", exact=True).click()
        page.get_by_label("Name, tenancy or customer reference, or postcode").fill("Marek")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("link", name="Marek Kowalski").click()
        page.get_by_role("link", name=re.compile(r"^MB-")).first.click()
        page.get_by_role("link", name="Write a letter").click()
        page.get_by_label(re.compile("Restriction notice")).check()
        page.get_by_role("button", name="Write the letter").click()
        expect(page.get_by_role("heading", name="Check and issue letter")).to_be_visible()
        assert page.get_by_label("Language of the letter").input_value() == "pl"  # his choice
        page.get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Issue the letter").click()
        expect(page.get_by_text("issued.", exact=False).first).to_be_visible()
        page.get_by_role("button", name="Sign out").click()

        sign_in(page, live_server, "marek.kowalski@example.com")
        page.goto(f"{live_server}/my/?lang=en")
        row = page.get_by_role("row").filter(has=page.get_by_text("New", exact=True))
        expect(row.first).to_be_visible()
        row.first.get_by_role("link").click()
        expect(page.locator("html")).to_have_attribute("lang", "en-GB")
        expect(page.locator(".portal-letter")).to_have_attribute("lang", "pl")
        assert axe_violations(page) == []

        files = {}
        # Polish (sent in) and English (the original) are listed; the rest are one click away.
        expect(page.locator("#downloads-ar")).to_be_hidden()
        page.get_by_text("Download it in another language").click()
        for code in ("pl", "en", "ar"):
            pdf_link = downloads_in(page, code).get_by_role("link", name=re.compile("^PDF"))
            name, data = download_made_file(page, pdf_link)
            assert name.endswith(f"-{code}.pdf"), name
            files[code] = data
            text_link = downloads_in(page, code).get_by_role("link", name=re.compile("^Plain"))
            name, data = download(page, text_link)
            assert name.endswith(f"-{code}.txt") and "Marek Kowalski" in data.decode()
        for code, data in files.items():
            with pikepdf.open(io.BytesIO(data)) as pdf:
                assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang).startswith(code)
            text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
            assert "Marek Kowalski" in text
        assert ARABIC.search(
            "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(files["ar"])).pages)
        )

        page.goto(f"{live_server}/my/?lang=en")
        assert page.get_by_text("New", exact=True).count() == 0  # opened: no longer new
    finally:
        context.close()


def test_the_downloaded_web_page_letter_has_no_axe_violations(browser, live_server):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, "jordan.ellis@example.com")
        page.goto(f"{live_server}/my/?lang=en")
        page.locator("a[href^='/letters/']").first.click()
        page.get_by_text("Download it in another language").click()
        for code in ("en", "ar"):
            section = page.locator(f"#downloads-{code} + ul")
            _name, data = download(page, section.get_by_role("link", name=re.compile("^Web page")))
            viewer = context.new_page()
            viewer.set_content(data.decode("utf-8"))
            assert viewer.evaluate("document.documentElement.lang") in {"en-GB", "ar"}
            assert viewer.locator("h1").count() == 1
            assert axe_violations(viewer) == [], code
            viewer.close()
    finally:
        context.close()
