"""The reports' background work, run by ``flask jobs work`` (portal/jobs)."""

import datetime as dt
import logging

from portal.clock import today
from portal.extensions import db
from portal.jobs import handler
from portal.reports import exports
from portal.reports.annual import kept
from portal.reports.annual.tables import annual_tables
from portal.reports.periods import Period

log = logging.getLogger(__name__)


def _annual_pdf_bytes(payload: dict) -> bytes:
    """The PDF in the reader's language, rendered as the page would be in a request."""
    period = Period(dt.date.fromisoformat(payload["start"]), dt.date.fromisoformat(payload["end"]))
    report = kept.annual_report(period, today=today())
    tables = annual_tables(report)
    # The figures are read: end the transaction so that on SQLite the write lock
    # (BEGIN IMMEDIATE) is not held while WeasyPrint lays out the pages.
    db.session.rollback()
    return exports.annual_report_pdf(report, tables, payload["html_lang"])


@handler(exports.ANNUAL_PDF)
def annual_pdf(payload: dict, job) -> None:
    """Build the board-pack PDF and keep it in the database (exports.build_export)."""
    exports.build_export(payload, lambda: _annual_pdf_bytes(payload))
