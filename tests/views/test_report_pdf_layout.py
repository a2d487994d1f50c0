"""The report PDF's layout (portal/reports/report.css): a table caption is never stranded
at the foot of a page, whatever comes before it, checked in the PDF itself with pypdf."""

import io
import logging

import pypdf

from portal.reports import exports

ROWS = "".join(f"<tr><th scope='row'>Row {n}</th><td>{n}</td></tr>" for n in range(1, 9))


def document(filler_lines: int) -> str:
    filler = "".join(f"<p>Line {n} of the text before the table.</p>" for n in range(filler_lines))
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Layout</title>'
        f"<style>{exports.report_css()}</style></head><body><main>{filler}"
        f"<table><caption>Caption of the table</caption>"
        f"<thead><tr><th scope='col'>Measure</th><th scope='col'>Count</th></tr></thead>"
        f"<tbody>{ROWS}</tbody></table></main></body></html>"
    )


def last_lines(data: bytes) -> list[str]:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    ends = []
    for page in pages[:-1]:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        lines = [line for line in lines if " / " not in line]  # the page number
        ends.append(lines[-1])
    return ends


def test_a_caption_is_never_the_last_line_of_a_page(app):
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    ends = []
    with app.test_request_context():
        # Text pushing the caption down the first page a line at a time, past its foot
        # (without report.css keeping them together, three of these strand the caption).
        for filler in range(24, 31):
            ends += last_lines(exports.pdf_from_html(document(filler)))
    assert ends  # some documents ran to a second page
    assert "Caption of the table" not in ends
