"""The retention schedule as data, and the run that applies it (UK GDPR Art. 5(1)(e):
personal data kept no longer than necessary).

Each :class:`RetentionRule` says which records, for how long, counted from when, and what
happens then. :func:`plan` lists what is due on a day (the dry run); :func:`apply` does it.
Anything under an active legal hold is skipped. Anonymising keeps the dates, kinds and
outcomes the annual report (s5.1) counts — cases, incidents and their behaviour types,
restrictions and their measures, reviews, appeal and reconsideration decisions — and
removes every word written about the person, the letters and the evidence files.
The run records what it did in the audit trail by rule and count, never the erased data.
"""

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import delete, func, or_, select, update

from portal import audit, uploads
from portal.dates import add_months
from portal.extensions import db
from portal.letters import render
from portal.models import (
    Appeal,
    Attachment,
    AuditEvent,
    Case,
    ChallengeDraft,
    ComplaintRefusal,
    ContactLogEntry,
    Customer,
    Escalation,
    Incident,
    InformalStep,
    LegalHold,
    Letter,
    NeedsConsideration,
    ReconsiderationRequest,
    Referral,
    ReportExport,
    Restriction,
    RestrictionMeasure,
    Review,
    SubjectAccessRequest,
    TerminatedCall,
)
from portal.translations import lazy_gettext as _l

REMOVED = "[removed under the retention schedule]"
ANONYMOUS_NAME = "Former customer (anonymised)"


@dataclass(frozen=True)
class RetentionRule:
    key: str
    records: object  # lazy, translatable
    keep_for_months: int
    counted_from: object
    action: object
    applied_by_the_portal: bool = True


SCHEDULE = (
    RetentionRule(
        "closed_cases",
        _l("Closed cases, with their letters and evidence files"),
        6 * 12,
        _l("the later of the day the case closed and the day its last restriction ended"),
        _l("Anonymised: every word about the person, the letters and the evidence files are "
           "removed; dates, kinds and outcomes stay for the annual report"),
    ),
    RetentionRule(
        "contact_log",
        _l("Contact log entries"),
        2 * 12,
        _l("the day of the contact"),
        _l("Deleted"),
    ),
    RetentionRule(
        "former_customers",
        _l("Former customers' names and contact details"),
        6 * 12,
        _l("the day they left, once none of their cases is still kept"),
        _l("Anonymised: name, address, date of birth, email, phone and needs removed"),
    ),
    RetentionRule(
        "subject_access_exports",
        _l("Subject access exports"),
        1,
        _l("the day the export was made"),
        _l("The export file is deleted; the record of the request is kept"),
    ),
    RetentionRule(
        "audit_trail",
        _l("Audit trail"),
        7 * 12,
        _l("the day of the event"),
        _l("Listed for archiving by the database owner. The portal cannot delete from the "
           "audit trail: it is append-only, which is what makes it trustworthy"),
        applied_by_the_portal=False,
    ),
)  # fmt: skip
RULES = {rule.key: rule for rule in SCHEDULE}

# The case records whose free text is removed when a case is anonymised.
CASE_RECORDS = (
    Incident,
    InformalStep,
    NeedsConsideration,
    TerminatedCall,
    Referral,
    Escalation,
    Restriction,
    ComplaintRefusal,
)


@dataclass
class Due:
    """What one rule would remove on a day: ids, and how many."""

    rule: RetentionRule
    ids: list[int] = field(default_factory=list)
    held: int = 0  # due, but under a legal hold

    @property
    def count(self) -> int:
        return len(self.ids)


def cutoff(rule: RetentionRule, today: dt.date) -> dt.date:
    """Records counted from before this day are due."""
    return add_months(today, -rule.keep_for_months)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _held_customers():
    return select(LegalHold.customer_id).where(
        LegalHold.lifted_at.is_(None), LegalHold.case_id.is_(None)
    )


def _held_cases():
    return select(LegalHold.case_id).where(
        LegalHold.lifted_at.is_(None), LegalHold.case_id.is_not(None)
    )


def _case_kept_until():
    """Per case: the day its retention starts (closed, or its last restriction ended)."""
    last_end = (
        select(func.max(Restriction.ends_on))
        .where(Restriction.case_id == Case.id)
        .scalar_subquery()
    )
    return last_end


def _due_cases(rule: RetentionRule, today: dt.date) -> Due:
    limit = cutoff(rule, today)
    last_end = _case_kept_until()
    candidates = select(Case.id, Case.customer_id).where(
        Case.closed_at.is_not(None),
        Case.closed_at < _start_of(limit),
        or_(last_end.is_(None), last_end < limit),
        Case.summary != REMOVED,
    )
    return _split_held(rule, db.session.execute(candidates).all())


def _split_held(rule: RetentionRule, rows) -> Due:
    held_customers = set(db.session.scalars(_held_customers()))
    held_cases = set(db.session.scalars(_held_cases()))
    due = Due(rule)
    for case_id, customer_id in rows:
        if customer_id in held_customers or case_id in held_cases:
            due.held += 1
        else:
            due.ids.append(case_id)
    return due


def _due_contacts(rule: RetentionRule, today: dt.date) -> Due:
    rows = db.session.execute(
        select(ContactLogEntry.case_id, ContactLogEntry.customer_id, ContactLogEntry.id).where(
            ContactLogEntry.occurred_at < _start_of(cutoff(rule, today))
        )
    ).all()
    held_customers = set(db.session.scalars(_held_customers()))
    held_cases = set(db.session.scalars(_held_cases()))
    due = Due(rule)
    for case_id, customer_id, entry_id in rows:
        if customer_id in held_customers or case_id in held_cases:
            due.held += 1
        else:
            due.ids.append(entry_id)
    return due


def _due_former_customers(rule: RetentionRule, today: dt.date) -> Due:
    # A case anonymised in this same run no longer keeps its customer's details.
    cases_due = _due_cases(RULES["closed_cases"], today).ids
    still_kept = select(Case.customer_id).where(
        or_(Case.closed_at.is_(None), Case.summary != REMOVED), Case.id.not_in(cases_due)
    )
    rows = db.session.scalars(
        select(Customer.id).where(
            Customer.left_on.is_not(None),
            Customer.left_on < cutoff(rule, today),
            Customer.full_name != ANONYMOUS_NAME,
            Customer.id.not_in(still_kept),
        )
    ).all()
    held = set(db.session.scalars(_held_customers()))
    due = Due(rule)
    for customer_id in rows:
        if customer_id in held:
            due.held += 1
        else:
            due.ids.append(customer_id)
    return due


def _due_exports(rule: RetentionRule, today: dt.date) -> Due:
    ids = db.session.scalars(
        select(SubjectAccessRequest.id).where(
            SubjectAccessRequest.completed_at < _start_of(cutoff(rule, today)),
            SubjectAccessRequest.export_sha256.is_not(None),
        )
    ).all()
    return Due(rule, list(ids))


def _due_audit(rule: RetentionRule, today: dt.date) -> Due:
    ids = db.session.scalars(
        select(AuditEvent.id).where(AuditEvent.occurred_at < _start_of(cutoff(rule, today)))
    ).all()
    return Due(rule, list(ids))


FINDERS = {
    "closed_cases": _due_cases,
    "contact_log": _due_contacts,
    "former_customers": _due_former_customers,
    "subject_access_exports": _due_exports,
    "audit_trail": _due_audit,
}


def plan(today: dt.date) -> list[Due]:
    """The dry run: what each rule would remove today."""
    return [FINDERS[rule.key](rule, today) for rule in SCHEDULE]


def _blank_free_text(model, where) -> None:
    for column in sa.inspect(model).columns:
        if isinstance(column.type, sa.Text) and not column.primary_key:
            db.session.execute(
                update(model).where(where, column != "").values({column.key: REMOVED})
            )


def anonymise_cases(case_ids: list[int]) -> None:
    """Remove every word about the person from these cases; keep what the report counts."""
    if not case_ids:
        return
    restrictions = select(Restriction.id).where(Restriction.case_id.in_(case_ids))
    for model in CASE_RECORDS:
        _blank_free_text(model, model.case_id.in_(case_ids))
    _blank_free_text(Review, Review.restriction_id.in_(restrictions))
    _blank_free_text(RestrictionMeasure, RestrictionMeasure.restriction_id.in_(restrictions))
    _blank_free_text(Case, Case.id.in_(case_ids))
    # Summary marks the case as done even where it was empty.
    db.session.execute(update(Case).where(Case.id.in_(case_ids)).values(summary=REMOVED))
    for model in (Appeal, ReconsiderationRequest):
        _blank_free_text(model, model.restriction_id.in_(restrictions))
        refusals = select(ComplaintRefusal.id).where(ComplaintRefusal.case_id.in_(case_ids))
        _blank_free_text(model, model.complaint_refusal_id.in_(refusals))
    _remove_letters(Letter.case_id.in_(case_ids))
    # An evidence pack made within the hour quotes the case word for word.
    db.session.execute(delete(ReportExport).where(ReportExport.case_id.in_(case_ids)))
    _remove_files(Attachment.case_id.in_(case_ids))
    incidents = select(Incident.id).where(Incident.case_id.in_(case_ids))
    _remove_files(Attachment.incident_id.in_(incidents))
    db.session.execute(
        delete(ChallengeDraft).where(
            or_(
                ChallengeDraft.restriction_id.in_(restrictions),
                ChallengeDraft.complaint_refusal_id.in_(
                    select(ComplaintRefusal.id).where(ComplaintRefusal.case_id.in_(case_ids))
                ),
            )
        )
    )


def _remove_letters(where) -> None:
    # A correction points at the letter it replaced: unlink before deleting.
    letters = select(Letter.id).where(where)
    db.session.execute(
        update(Letter).where(Letter.supersedes_id.in_(letters)).values(supersedes_id=None)
    )
    # Their rendered copies hold the same personal data.
    render.forget_renders(select(Letter.content_sha256).where(where))
    db.session.execute(delete(Letter).where(where))


def _remove_files(where) -> None:
    attachments = list(db.session.scalars(select(Attachment).where(where)))
    uploads.discard([attachment.storage_key for attachment in attachments])
    for attachment in attachments:
        db.session.delete(attachment)


def anonymise_customers(customer_ids: list[int]) -> None:
    if not customer_ids:
        return
    db.session.execute(
        update(Customer)
        .where(Customer.id.in_(customer_ids))
        .values(
            full_name=ANONYMOUS_NAME,
            address="",
            email=None,
            phone=None,
            date_of_birth=None,
            support_needs="",
            finds_writing_difficult=False,
            cannot_use_telephone=False,
            needs_in_person_access=False,
        )
    )
    # The reference is the landlord's key; keep it unique but meaningless.
    for customer_id in customer_ids:
        db.session.execute(
            update(Customer)
            .where(Customer.id == customer_id)
            .values(reference=f"ANON-{customer_id}")
        )


def _delete_contacts(ids: list[int]) -> None:
    if ids:
        db.session.execute(delete(ContactLogEntry).where(ContactLogEntry.id.in_(ids)))


def _clear_exports(ids: list[int]) -> None:
    if ids:
        db.session.execute(
            update(SubjectAccessRequest)
            .where(SubjectAccessRequest.id.in_(ids))
            .values(export_zip=None, export_sha256=None)
        )


APPLIERS = {
    "closed_cases": anonymise_cases,
    "contact_log": _delete_contacts,
    "former_customers": anonymise_customers,
    "subject_access_exports": _clear_exports,
}


def apply(today: dt.date, *, actor=None) -> list[Due]:
    """Apply the schedule in one transaction, then audit the counts (not the data)."""
    done = plan(today)
    for due in done:
        if due.rule.applied_by_the_portal and due.ids:
            APPLIERS[due.rule.key](due.ids)
    audit.record(
        "retention_applied",
        actor=actor,
        object_type="retention_schedule",
        details={
            due.rule.key: {"applied": due.count if due.rule.applied_by_the_portal else 0,
                           "held": due.held}
            for due in done
        },
        commit=False,
    )  # fmt: skip
    db.session.commit()
    return done
