"""The print batch (s3.2 "in writing"; s6.5 the customer's print format): one PDF of the
letters waiting for the post, laid out by a job worker, never in a web request (issue 18
item 4: a morning's batch is many letters of WeasyPrint layout, which held a web worker for
as long). The status page and the download are the report exports' (reports/exports.py);
the batch holds the letters listed when it was asked for, even if marked posted since."""

import sqlalchemy as sa

from portal.clock import today
from portal.extensions import db
from portal.jobs import handler
from portal.letters import render
from portal.models import Letter
from portal.reports import exports
from portal.translations import lazy_gettext as _l

PRINT_BATCH_PDF = "letters.print_batch_pdf"
exports.describe(
    PRINT_BATCH_PDF,
    _l("Print batch as a PDF"),
    "letters.post_queue",
    _l("Back to letters to post"),
)


def start(owner_id: int, letter_ids: list[int], *, locale: str, html_lang: str, now) -> str:
    """Queue the batch of these letters; returns the status page's token."""
    payload = {"letter_ids": letter_ids, "locale": locale, "html_lang": html_lang}
    file_name = f"print-batch-{today().isoformat()}.pdf"
    return exports.start_export(PRINT_BATCH_PDF, owner_id, file_name, payload, now)


def _batch_bytes(letter_ids: list[int]) -> bytes:
    letters = db.session.scalars(
        sa.select(Letter).where(Letter.id.in_(letter_ids)).order_by(Letter.issued_at, Letter.id)
    ).all()
    pages = render.print_batch_pages(letters)
    # The letters are read: end the transaction so that on SQLite the write lock
    # (BEGIN IMMEDIATE) is not held while WeasyPrint lays out the pages.
    db.session.rollback()
    return render.print_batch(pages)


@handler(PRINT_BATCH_PDF)
def print_batch_pdf(payload: dict, job) -> None:
    """Lay the batch out and keep it in the database (exports.build_export)."""
    exports.build_export(payload, lambda: _batch_bytes(payload["letter_ids"]))
