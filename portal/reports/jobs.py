"""The reports' background work, run by ``flask jobs work`` (portal/jobs)."""

import datetime as dt
import logging

from flask import current_app
from flask_babel import force_locale

from portal.clock import today
from portal.extensions import db
from portal.jobs import handler
from portal.models.types import utcnow
from portal.reports import exports
from portal.reports.annual import kept
from portal.reports.annual.tables import annual_tables
from portal.reports.periods import Period

log = logging.getLogger(__name__)


def _annual_pdf_bytes(payload: dict) -> bytes:
    """The PDF in the reader's language, rendered as the page would be in a request."""
    period = Period(dt.date.fromisoformat(payload["start"]), dt.date.fromisoformat(payload["end"]))
    # On the portal's own address: any other host is refused (TRUSTED_HOSTS), and then no
    # URL could be built while rendering.
    base_url = current_app.config["PORTAL_BASE_URL"]
    with current_app.test_request_context("/", base_url=base_url), force_locale(payload["locale"]):
        report = kept.annual_report(period, today=today())
        tables = annual_tables(report)
        # The figures are read: end the transaction so that on SQLite the write lock
        # (BEGIN IMMEDIATE) is not held while WeasyPrint lays out the pages.
        db.session.rollback()
        return exports.annual_report_pdf(report, tables, payload["html_lang"])


@handler(exports.ANNUAL_PDF)
def annual_pdf(payload: dict, job) -> None:
    """Build the board-pack PDF and keep it in the database; a failure is recorded on the
    export, so its page says so at once instead of after the queue's retries."""
    try:
        content = _annual_pdf_bytes(payload)
    except Exception as error:  # the page says the PDF could not be prepared
        log.exception("report export %s failed", payload["export_id"])
        exports.record_failure(payload["export_id"], error, utcnow())
        return
    exports.record_result(payload["export_id"], content, utcnow())
