"""Exports of the reports: CSV of any table (streamed), XLSX of every table (one sheet
each), and the whole annual report as a tagged PDF (PDF/UA-1) for a board pack, built by a
background job whose progress the page polls (issue 8, item 4).

CSV and XLSX carry raw numbers (percentages as fractions, formatted as percentages in
XLSX), so the figures can be worked with; suppressed counts are a text marker, never the
number.
"""

import csv
import io
import json
import logging
import re
import secrets
import threading
import time
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.reports.formatting import display

JOB_LIFETIME_SECONDS = 3600
JOB_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_threads: dict[str, threading.Thread] = {}


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


STATIC = Path(__file__).resolve().parent.parent.parent / "static"
REPORT_CSS = Path(__file__).resolve().parent / "report.css"


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=html, base_url=str(STATIC)).write_pdf(pdf_variant="pdf/ua-1")


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


# Background jobs --------------------------------------------------------------------


class UnknownJob(LookupError):
    pass


def jobs_folder() -> Path:
    # Beside the letter cache (instance/ in development, a temporary folder in tests)
    # unless configured.
    folder = Path(
        current_app.config.get("REPORT_EXPORT_DIR")
        or Path(current_app.config["LETTER_CACHE_DIR"]).parent / "report-exports"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _state_path(folder: Path, job_id: str) -> Path:
    if not JOB_ID.fullmatch(job_id):  # a token we made, never a path
        raise UnknownJob(job_id)
    return folder / f"{job_id}.json"


def _write_state(folder: Path, job_id: str, state: dict) -> None:
    temporary = folder / f"{job_id}.json.part"
    temporary.write_text(json.dumps(state), encoding="utf-8")
    temporary.replace(folder / f"{job_id}.json")


def _remove_old_jobs(folder: Path, now: float) -> None:
    for path in folder.glob("*"):
        if now - path.stat().st_mtime > JOB_LIFETIME_SECONDS:
            path.unlink(missing_ok=True)


def start_job(owner_id: int, file_name: str, build, locale: str) -> str:
    """Run ``build()`` (returning bytes) in a background thread with an app context and
    the reader's locale; its state is a small JSON file beside the result, so any worker
    process can answer the polling."""
    app = current_app._get_current_object()
    folder = jobs_folder()
    _remove_old_jobs(folder, time.time())
    job_id = secrets.token_urlsafe(16)
    _write_state(folder, job_id, {"owner": owner_id, "status": "running", "file": file_name})

    def run():
        with app.test_request_context("/"), force_locale(locale):
            try:
                data = build()
                (folder / f"{job_id}.bin").write_bytes(data)
                status = "done"
            except Exception:  # the job reports failure; the page says so
                app.logger.exception("report export %s failed", job_id)
                status = "failed"
            finally:
                from portal.extensions import db

                db.session.remove()
        _write_state(folder, job_id, {"owner": owner_id, "status": status, "file": file_name})

    thread = threading.Thread(target=run, name=f"report-export-{job_id}", daemon=True)
    _threads[job_id] = thread
    thread.start()
    return job_id


def job_state(job_id: str, owner_id: int) -> dict:
    """The job's state, for its owner only (anyone else is told it does not exist)."""
    path = _state_path(jobs_folder(), job_id)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UnknownJob(job_id) from error
    if state.get("owner") != owner_id:
        raise UnknownJob(job_id)
    return state


def job_result(job_id: str, owner_id: int) -> tuple[bytes, str]:
    state = job_state(job_id, owner_id)
    if state["status"] != "done":
        raise UnknownJob(job_id)
    return (jobs_folder() / f"{job_id}.bin").read_bytes(), state["file"]


def wait_for(job_id: str, timeout: float = 120) -> None:
    """For tests and the benchmark: wait until the job's thread has finished."""
    thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)


def status_text(state: dict) -> str:
    return {
        "running": _("The PDF is being prepared. This can take a minute."),
        "done": _("The PDF is ready."),
        "failed": _("The PDF could not be prepared. Try again, or download the XLSX instead."),
    }[state["status"]]
