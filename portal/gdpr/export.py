"""The subject access export: one ZIP with the data as JSON (machine-readable), the same
as a readable, tagged PDF, every issued letter as its PDF, and the list of redactions
(UK GDPR Art. 15(3): a copy "in a commonly used electronic form")."""

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale

from portal.gdpr.subject_access import SubjectAccessData
from portal.letters import render
from portal.pdf_ua import pdf_from_html
from portal.reports.exports import report_css
from portal.translations import lazy_gettext as _l

# Section titles for the PDF, in the order a person would read them.
SECTION_TITLES = {
    "your_record": _l("Your record"),
    "your_account": _l("Your portal account"),
    "protected_characteristics": _l("Equality information you gave us"),
    "cases": _l("Cases"),
    "incidents": _l("Incidents"),
    "informal_steps": _l("Informal steps"),
    "needs_considerations": _l("Your needs, as we considered them"),
    "calls_ended_by_staff": _l("Calls ended by staff"),
    "referrals": _l("Referrals"),
    "escalations": _l("Escalations"),
    "restrictions": _l("Restrictions"),
    "restriction_measures": _l("What each restriction said"),
    "reviews": _l("Reviews"),
    "complaint_refusals": _l("Complaints we decided not to consider further"),
    "appeals": _l("Appeals"),
    "reconsideration_requests": _l("Reconsideration requests"),
    "unsent_drafts": _l("Appeals or requests you started but did not send"),
    "feedback_on_the_policy": _l("Feedback you gave on our Managed Behaviour Policy"),
    "contact_log": _l("Contact log"),
    "advocate_authorities": _l("Advocates"),
    "letters": _l("Letters"),
    "evidence_files": _l("Evidence files"),
    "legal_holds": _l("Legal holds"),
    "subject_access_requests": _l("Your subject access requests"),
    "who_viewed_or_changed_your_records": _l("Who viewed or changed your records"),
}


def as_json(data: SubjectAccessData, generated_at: dt.datetime) -> bytes:
    document = {
        "customer_reference": data.customer.reference,
        "generated_at": generated_at.isoformat(),
        "sections": data.sections,
        "redactions": [{"where": r.where, "reason": r.reason} for r in data.redactions],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


REASON_LABELS = {
    "staff name below manager level": _l("A member of staff below manager level"),
    "another customer named": _l("Another customer was named"),
}


def as_html(data: SubjectAccessData, generated_at: dt.datetime) -> str:
    """The readable copy, in the customer's own language where the portal has it."""
    locale = data.customer.preferred_locale or "en"
    with force_locale(locale):
        sections = [
            (str(SECTION_TITLES.get(key, key)), _records(value))
            for key, value in data.sections.items()
        ]
        redactions = [(r.where, str(REASON_LABELS[r.reason])) for r in data.redactions]
        html = render_template(
            "gdpr/subject_access_pdf.html",
            customer=data.customer,
            sections=sections,
            redactions=redactions,
            generated_at=generated_at,
            css=report_css(),
            html_lang=locale,
        )
    return html


def _records(value) -> list[dict]:
    if value is None:
        return []
    records = value if isinstance(value, list) else [value]
    return [{key: _readable(v) for key, v in record.items()} for record in records]


def _readable(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True)
class ExportParts:
    """Everything the ZIP holds, read from the database, so the slow part (laying out the
    PDFs) can run with no transaction open (portal.database.release_before_slow_work)."""

    stem: str
    json_text: str
    readable_html: str
    letters: list  # of LetterSource


def prepare(data: SubjectAccessData, generated_at: dt.datetime) -> ExportParts:
    return ExportParts(
        stem=f"subject-access-{data.customer.reference}",
        json_text=as_json(data, generated_at),
        readable_html=as_html(data, generated_at),
        letters=[render.LetterSource.of(letter, letter.locale) for letter in data.letters],
    )


def build_zip(parts: ExportParts) -> tuple[bytes, str]:
    """The ZIP and its SHA-256, so the delivery can be checked against what was made."""
    buffer = io.BytesIO()
    pdf = render.FORMATS["pdf"]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{parts.stem}.json", parts.json_text)
        archive.writestr(f"{parts.stem}.pdf", pdf_from_html(parts.readable_html))
        for letter in parts.letters:
            archive.writestr(
                f"letters/{letter.reference}-{letter.locale}.pdf",
                render.render(letter.document, letter.reference, pdf, letter.locale),
            )
    payload = buffer.getvalue()
    return payload, hashlib.sha256(payload).hexdigest()
