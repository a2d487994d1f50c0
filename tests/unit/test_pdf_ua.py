"""The PDF/UA finishing step (portal.pdf_ua) against the checker written from the standard
(tests.pdf_ua_rules): WeasyPrint's own output breaks two rules the checker finds — the page
number is tagged outside the structure tree, header cells have /ID and no /IDTree — and
the finished file breaks none, with its text and structure otherwise unchanged."""

import io

import pypdf
from weasyprint import HTML

from portal.pdf_ua import STATIC, finish
from tests.pdf_ua_rules import problems

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Test report</title>
<style>@page {{ size: A4; margin: 2cm;
  @bottom-center {{ content: counter(page) " / " counter(pages); }} }}</style>
</head><body><h1>Figures</h1>
<table><caption>Cases</caption><thead><tr><th>Kind</th><th>Count</th></tr></thead>
<tbody><tr><td>Open</td><td>3</td></tr></tbody></table>
<p><a href="https://www.housing-ombudsman.org.uk/">The Housing Ombudsman</a></p>
{more}</body></html>"""


def weasyprint_pdf(more: str = "") -> bytes:
    html = PAGE.format(more=more)
    return HTML(string=html, base_url=str(STATIC)).write_pdf(pdf_variant="pdf/ua-1")


def text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_checker_finds_what_weasyprint_leaves():
    found = problems(weasyprint_pdf())
    assert any("outside the structure tree" in line for line in found), found
    assert any("no /IDTree entry" in line for line in found), found


def test_the_finished_file_breaks_no_rule_and_keeps_its_text():
    raw = weasyprint_pdf("<h2>More</h2><p>Another paragraph.</p>" * 60)
    finished = finish(raw)
    assert problems(finished) == []
    assert text(finished) == text(raw)  # the page numbers are still drawn
    assert "1 / " in text(finished)
