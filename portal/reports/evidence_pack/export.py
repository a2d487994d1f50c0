"""The evidence pack as a background export (issue 18 item 4): a long case's chronology is
seconds of WeasyPrint layout, which held a web worker for as long. A job worker lays it
out; the status page and the download are the report exports' (reports/exports.py). The
export remembers its case: its page leads back there, it is shown only while its owner may
still make packs (reports.routes._own_export), and it goes with the case."""

from portal import pdf_ua
from portal.extensions import db
from portal.jobs import handler
from portal.models import Case
from portal.models.types import utcnow
from portal.reports import exports
from portal.reports.evidence_pack.pack import build_evidence_pack, evidence_pack_html
from portal.translations import lazy_gettext as _l

EVIDENCE_PACK_PDF = "reports.evidence_pack_pdf"
exports.describe(
    EVIDENCE_PACK_PDF,
    _l("Housing Ombudsman evidence pack"),
    "cases.show",
    _l("Back to the case"),
)


def start(
    owner_id: int, case: Case, *, include_staff_notes: bool, locale: str, html_lang: str, now
) -> str:
    """Queue the pack of ``case``; returns the status page's token."""
    payload = {
        "case_id": case.id,
        "include_staff_notes": include_staff_notes,
        "locale": locale,
        "html_lang": html_lang,
    }
    file_name = f"evidence-pack-{case.reference}.pdf"
    return exports.start_export(
        EVIDENCE_PACK_PDF, owner_id, file_name, payload, now, case_id=case.id
    )


def _pack_bytes(payload: dict) -> bytes:
    case = db.session.get(Case, payload["case_id"])
    if case is None:  # erased since it was asked for: the page says it could not be made
        raise LookupError("the case no longer exists")
    pack = build_evidence_pack(
        case, include_staff_notes=payload["include_staff_notes"], now=utcnow()
    )
    html = evidence_pack_html(pack, payload["html_lang"])
    # The case is read: end the transaction so that on SQLite the write lock
    # (BEGIN IMMEDIATE) is not held while WeasyPrint lays out the pages.
    db.session.rollback()
    return pdf_ua.pdf_from_html(html)


@handler(EVIDENCE_PACK_PDF)
def evidence_pack_pdf(payload: dict, job) -> None:
    """Lay the pack out and keep it in the database (exports.build_export)."""
    exports.build_export(payload, lambda: _pack_bytes(payload))
