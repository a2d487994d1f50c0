"""The case's audit history as people read it (issue 15 item 12): each event's code as
words ("Case viewed", not "case_view") and each record by its name, linked where it has a
page ("Letter L-2026-00001", not "letter 2"). The stored codes stay as they are (DESIGN.md
rule 12: the audit trail is append-only)."""

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from portal.extensions import db
from portal.formatting import long_date
from portal.models import Case, Letter, Restriction
from portal.translations import gettext as _
from portal.translations import lazy_gettext as _l

ACTIONS = {
    "case_open": _l("Case opened"),
    "case_view": _l("Case viewed"),
    "customer_view": _l("Customer record viewed"),
    "customer_added_by_hand": _l("Customer added by hand"),
    "customer_corrected_by_hand": _l("Customer record corrected"),
    "contact_log": _l("Contact logged"),
    "contact_view": _l("Contact viewed"),
    "contact_read": _l("Correspondence on file read"),
    "incident_log": _l("Incident logged"),
    "informal_step_record": _l("Informal step recorded"),
    "terminated_call_log": _l("Ended call logged"),
    "needs_consideration_record": _l("Needs considered"),
    "needs_updated": _l("Needs updated"),
    "attachment_download": _l("Evidence file downloaded"),
    "evidence_pack": _l("Evidence pack made"),
    "escalation_record": _l("Escalation recorded"),
    "restriction_propose": _l("Restriction proposed"),
    "restriction_approve": _l("Restriction approved"),
    "restriction_reject": _l("Restriction not approved"),
    "restriction_review": _l("Restriction reviewed"),
    "restriction_vary_at_review": _l("Restriction changed at review"),
    "restriction_expire": _l("Restriction ended"),
    "restriction_view": _l("Restriction viewed"),
    "complaint_refusal": _l("Complaint refused"),
    "referral_accept": _l("Referral accepted"),
    "referral_close": _l("Referral closed"),
    "letter_draft": _l("Letter drafted"),
    "letter_issue": _l("Letter issued"),
    "letter_open": _l("Letter opened"),
    "letter_view": _l("Letter read"),
    "letter_download": _l("Letter downloaded"),
    "letter_post": _l("Letter posted"),
    "letter_preference": _l("Letter language or format chosen"),
    "appeal_decide": _l("Appeal decided"),
    "reconsideration_decide": _l("Reconsideration decided"),
    "challenge_decision_declined": _l("Decision on a challenge declined"),
    "advocate_nominated": _l("Advocate nominated"),
    "advocate_invitation_accepted": _l("Advocate accepted"),
    "advocate_revoked": _l("Advocate stopped"),
    "advocate_scope_changed": _l("What an advocate can do changed"),
    "advocate_view": _l("Viewed by an advocate"),
    "legal_hold_placed": _l("Legal hold placed"),
    "legal_hold_lifted": _l("Legal hold lifted"),
    "sar_requested": _l("Subject access request received"),
    "sar_export_made": _l("Subject access export made"),
    "sar_delivered": _l("Subject access export sent"),
    "retention_applied": _l("Retention applied"),
    "customer_invited": _l("Customer invited"),
    "customer_invitation_requested": _l("Customer asked for an invitation"),
}

RECORD_KINDS = {
    "case": _l("Case"),
    "customer": _l("Customer record"),
    "restriction": _l("Restriction"),
    "letter": _l("Letter"),
    "appeal": _l("Appeal"),
    "reconsideration": _l("Request to reconsider"),
    "contact": _l("Contact"),
    "incident": _l("Incident"),
    "informal_step": _l("Informal step"),
    "attachment": _l("Evidence file"),
    "advocate_authority": _l("Advocate"),
    "referral": _l("Referral"),
    "escalation": _l("Escalation"),
    "complaint_refusal": _l("Complaint refusal"),
    "needs_consideration": _l("Needs"),
    "terminated_call": _l("Ended call"),
    "legal_hold": _l("Legal hold"),
    "subject_access_request": _l("Subject access request"),
}


@dataclass(frozen=True)
class AuditRow:
    when: object
    who: str | None
    what: str
    record: str
    record_url: str | None


def action_label(code: str) -> str:
    """Words for an event code; an unknown code (a newer event) still reads as words."""
    label = ACTIONS.get(code)
    return str(label) if label else code.replace("_", " ").capitalize()


def _names(events) -> dict:
    """(type, id) -> (name, url) for the records with a name and a page, loaded at once."""
    ids = {}
    for event in events:
        if event.object_type and event.object_id:
            ids.setdefault(event.object_type, set()).add(event.object_id)
    names = {}
    for case in _load(Case, ids.get("case")):
        names["case", case.id] = (case.reference, url_for("cases.show", case_id=case.id))
    for letter in _load(Letter, ids.get("letter")):
        names["letter", letter.id] = (
            _("Letter %(reference)s", reference=letter.reference),
            url_for("letters.show", letter_id=letter.id),
        )
    for restriction in _load(Restriction, ids.get("restriction")):
        names["restriction", restriction.id] = (
            _("Restriction from %(date)s", date=long_date(restriction.starts_on)),
            url_for("restrictions.show", restriction_id=restriction.id),
        )
    return names


def _load(model, ids):
    return db.session.scalars(select(model).where(model.id.in_(ids))).all() if ids else []


def audit_rows(history) -> list[AuditRow]:
    """``history``: (AuditEvent, actor name) pairs, newest first (services.audit_history)."""
    events = [event for event, _actor in history]
    names = _names(events)
    rows = []
    for event, actor in history:
        name, link = "", None
        if event.object_type:
            key = (event.object_type, event.object_id)
            kind = RECORD_KINDS.get(event.object_type, event.object_type.replace("_", " "))
            name, link = names.get(key, (f"{kind} {event.object_id or ''}".strip(), None))
        rows.append(AuditRow(event.occurred_at, actor, action_label(event.action), name, link))
    return rows
