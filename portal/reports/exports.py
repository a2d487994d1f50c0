"""Exports of the reports: CSV of any table (streamed), XLSX of every table (one sheet
each), and the whole annual report as a tagged PDF (PDF/UA-1) for a board pack, built by a
job on the queue (``flask jobs work``) whose progress the page polls (issue 8, item 4); the
result is kept in the database for an hour, so any app server can answer the polling.

CSV and XLSX carry raw numbers (percentages as fractions, formatted as percentages in
XLSX), so the figures can be worked with; suppressed counts are a text marker, never the
number.
"""

import csv
import datetime as dt
import io
import logging
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale

from portal import jobs as queue
from portal.extensions import db
from portal.models import ReportExport, ReportExportStatus
from portal.models.types import utcnow
from portal.pdf_ua import pdf_from_html
from portal.reports.formatting import display
from portal.translations import gettext as _
from portal.translations import lazy_gettext as _l

log = logging.getLogger(__name__)


def _raw(cell):
    if cell.kind == "suppressed":
        return display(cell)
    if cell.kind in ("text", "flag"):
        return str(cell.value)
    return cell.value


def csv_rows(table) -> list[list]:
    """The table's header and rows as plain values (formatted while the request's locale
    is known, before the response streams)."""
    rows = [[str(h) for h in table.headers], *[[_raw(c) for c in r] for r in table.rows]]
    return [["" if value is None else value for value in row] for row in rows]


def csv_stream(rows):
    """CSV line by line, sent to the browser as it is written (no whole file in memory)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _sheet_title(table, used: set) -> str:
    base = "".join(ch for ch in str(table.key) if ch not in "[]:*?/\\")[:28] or "table"
    title, number = base, 2
    while title in used:
        title, number = f"{base[:25]}-{number}", number + 1
    used.add(title)
    return title


NUMBER_FORMATS = {"percent": "0.0%", "ratio": "0.00", "days": "0.0", "count": "#,##0"}


def xlsx_bytes(title: str, tables) -> bytes:
    """Every table on its own sheet: the caption, the headers, then the rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    used: set = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table, used))
        caption = WriteOnlyCell(sheet, value=f"{title}: {table.caption}")
        caption.font = bold
        sheet.append([caption])
        headers = []
        for header in table.headers:
            cell = WriteOnlyCell(sheet, value=str(header))
            cell.font = bold
            headers.append(cell)
        sheet.append(headers)
        for row in table.rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=_raw(value))
                if value.kind in NUMBER_FORMATS and value.value is not None:
                    cell.number_format = NUMBER_FORMATS[value.kind]
                cells.append(cell)
            sheet.append(cells)
        if table.note:
            sheet.append([])
            sheet.append([str(table.note)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


REPORT_CSS = Path(__file__).resolve().parent / "report.css"


def report_css() -> str:
    return REPORT_CSS.read_text(encoding="utf-8")


def annual_report_pdf(report, tables, html_lang: str) -> bytes:
    """The annual report as a tagged PDF with its charts and tables (s5.1)."""
    html = render_template(
        "reports/annual_document.html",
        report=report,
        tables=tables,
        css=report_css(),
        html_lang=html_lang,
    )
    return pdf_from_html(html)


# The board-pack PDF, built by a job worker ----------------------------------------------

ANNUAL_PDF = "reports.annual_pdf"
EXPORT_LIFETIME = dt.timedelta(hours=1)
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class UnknownExport(LookupError):
    pass


@dataclass(frozen=True)
class ExportPage:
    """What an export's status page says it is making, and where it leads back to."""

    title: str
    back_endpoint: str | None  # None: the person's own home page
    back_text: str
    failed_text: str


# Filled by ``describe`` as each module that starts an export is imported.
PAGES: dict[str, ExportPage] = {}
GENERIC = ExportPage(
    _l("Your PDF"),
    None,
    _l("Back to your home page"),
    _l("The PDF could not be prepared. Try again."),
)


def describe(kind: str, title, back_endpoint: str, back_text, failed_text=None) -> None:
    """Say what the export ``kind`` is, for its status page."""
    PAGES[kind] = ExportPage(title, back_endpoint, back_text, failed_text or GENERIC.failed_text)


def page_of(export: ReportExport) -> ExportPage:
    return PAGES.get(export.kind, GENERIC)


def back_args(export: ReportExport) -> dict:
    """The values its page's back link needs: the case, for an export about one."""
    return {"case_id": export.case_id} if export.case_id is not None else {}


describe(
    ANNUAL_PDF,
    _l("Annual report as a PDF"),
    "reports.annual",
    _l("Back to the annual report"),
    _l("The PDF could not be prepared. Try again, or download the XLSX instead."),
)


def remove_expired(now: dt.datetime) -> None:
    """Delete exports older than an hour (the reader has had time to download them)."""
    db.session.execute(
        sa.delete(ReportExport).where(ReportExport.created_at < now - EXPORT_LIFETIME)
    )


def start_export(
    kind: str, owner_id: int, file_name: str, payload: dict, now, *, case_id: int | None = None
) -> str:
    """Record an export and queue the job ``kind`` that builds it, in one transaction;
    returns the token for the status page (reports.export_status). ``case_id``: the case
    it is about, which its page leads back to (and which reports.routes._own_export
    guards)."""
    remove_expired(now)
    export = ReportExport(
        token=secrets.token_urlsafe(16),
        owner_user_id=owner_id,
        file_name=file_name,
        kind=kind,
        case_id=case_id,
        created_at=now,
    )
    db.session.add(export)
    db.session.flush()
    queue.enqueue(kind, {"export_id": export.id, "owner_user_id": owner_id, **payload})
    db.session.commit()
    return export.token


def start_annual_pdf(
    owner_id: int, period, *, locale: str, html_lang: str, now: dt.datetime
) -> str:
    """The board-pack PDF of ``period``, queued (start_export)."""
    payload = {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "locale": locale,
        "html_lang": html_lang,
    }
    file_name = f"annual-report-{period.start}-{period.end}.pdf"
    return start_export(ANNUAL_PDF, owner_id, file_name, payload, now)


def build_export(payload: dict, make_pdf) -> None:
    """A job's export: ``make_pdf()`` runs as a request in the reader's language on the
    portal's own address (any other host is refused by TRUSTED_HOSTS, and then no URL
    could be built); its bytes are kept, or its failure recorded so the status page says
    so at once instead of after the queue's retries."""
    base_url = current_app.config["PORTAL_BASE_URL"]
    try:
        with (
            current_app.test_request_context("/", base_url=base_url),
            force_locale(payload["locale"]),
        ):
            content = make_pdf()
    except Exception as error:  # the page says the PDF could not be prepared
        log.exception("report export %s failed", payload["export_id"])
        record_failure(payload["export_id"], error, utcnow())
        return
    record_result(payload["export_id"], content, utcnow())


def record_result(export_id: int, content: bytes, now: dt.datetime) -> None:
    _finish(export_id, now, status=ReportExportStatus.DONE, content=content)


def record_failure(export_id: int, error: BaseException, now: dt.datetime) -> None:
    db.session.rollback()
    message = f"{type(error).__name__}: {error}"[:2000]
    _finish(export_id, now, status=ReportExportStatus.FAILED, error=message)


def _finish(export_id: int, now: dt.datetime, **values) -> None:
    # The export may have expired and gone while it was built: nothing to record then.
    db.session.execute(
        sa.update(ReportExport)
        .where(ReportExport.id == export_id)
        .values(finished_at=now, **values)
    )
    remove_expired(now)
    db.session.commit()


def export_for(token: str, owner_id: int, now: dt.datetime) -> ReportExport:
    """The export, for its owner only (anyone else is told it does not exist)."""
    if not TOKEN.fullmatch(token):  # a token we made, or nothing
        raise UnknownExport(token)
    export = db.session.scalar(
        sa.select(ReportExport).where(
            ReportExport.token == token,
            ReportExport.owner_user_id == owner_id,
            ReportExport.created_at >= now - EXPORT_LIFETIME,
        )
    )
    if export is None:
        raise UnknownExport(token)
    return export


def export_result(export: ReportExport) -> tuple[bytes, str]:
    """The file of an export found by ``export_for``, once it is made."""
    if export.status != ReportExportStatus.DONE:
        raise UnknownExport(export.token)
    return export.content, export.file_name


def status_text(export: ReportExport) -> str:
    if export.status == ReportExportStatus.FAILED:
        return str(page_of(export).failed_text)
    return {
        "running": _("The PDF is being prepared. This can take a minute."),
        "done": _("The PDF is ready."),
    }[export.status]
