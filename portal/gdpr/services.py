"""Subject access requests and legal holds: recording them, making the export, delivering
it, each step in the audit trail (issue 13 items 6 and 7)."""

import datetime as dt

from sqlalchemy import select

from portal import audit
from portal import jobs as queue
from portal.database import release_before_slow_work
from portal.extensions import db
from portal.gdpr import export, subject_access
from portal.models import Case, Customer, LegalHold, SubjectAccessRequest, User

# UK GDPR Art. 12(3): answer within one month of receipt.
ANSWER_WITHIN_MONTHS = 1
# The job that makes the export (portal/gdpr/jobs.py): slow work, never in the request.
SUBJECT_ACCESS_EXPORT = "gdpr.subject_access_export"


class GdprRuleBroken(Exception):
    """Base of the refusals below; each names the rule it enforces."""


class ReceivedInFuture(GdprRuleBroken):
    """A request cannot have been received after today."""


class HoldReasonMissing(GdprRuleBroken):
    """A legal hold is placed or lifted only with a reason, for the audit trail."""


class CaseOfAnotherCustomer(GdprRuleBroken):
    """A hold on a case must be on one of this customer's cases."""


class HoldAlreadyLifted(GdprRuleBroken):
    """A lifted hold stays lifted; place a new one if needed."""


def record_request(
    customer: Customer, *, received_on: dt.date, actor: User, today: dt.date
) -> SubjectAccessRequest:
    """Record the request and queue the job that makes its export, saved together."""
    if received_on > today:
        raise ReceivedInFuture
    request = SubjectAccessRequest(
        customer_id=customer.id, received_on=received_on, requested_by_id=actor.id
    )
    db.session.add(request)
    db.session.flush()
    queue.enqueue(SUBJECT_ACCESS_EXPORT, {"request_id": request.id})
    audit.save_change(
        "sar_requested",
        request,
        actor=actor,
        object_type="subject_access_request",
        customer_id=customer.id,
        details={"received_on": received_on.isoformat()},
    )
    return request


def make_export(request_id: int, now: dt.datetime) -> SubjectAccessRequest:
    """Collect and package everything held; safe to run again (it replaces the export)."""
    request = db.session.get(SubjectAccessRequest, request_id)
    data = subject_access.collect(request.customer_id)
    parts, redactions = export.prepare(data, now), len(data.redactions)
    release_before_slow_work()
    payload, digest = export.build_zip(parts)
    request = db.session.get(SubjectAccessRequest, request_id)
    request.export_zip = payload
    request.export_sha256 = digest
    request.redaction_count = redactions
    request.completed_at = now
    audit.save_change(
        "sar_export_made",
        request,
        actor=None,
        object_type="subject_access_request",
        customer_id=request.customer_id,
        details={"sha256": digest, "redactions": redactions},
    )
    return request


def deliver(request: SubjectAccessRequest, *, actor: User, now: dt.datetime) -> bytes:
    """The ZIP, for the data steward to send; the first delivery is dated."""
    if request.delivered_at is None:
        actor_id = actor.id
        request.delivered_at, request.delivered_by_id = now, actor_id
    audit.save_change(
        "sar_delivered",
        request,
        actor=actor,
        object_type="subject_access_request",
        customer_id=request.customer_id,
        details={"sha256": request.export_sha256},
    )
    return request.export_zip


def requests_of(customer_id: int) -> list[SubjectAccessRequest]:
    return list(
        db.session.scalars(
            select(SubjectAccessRequest)
            .where(SubjectAccessRequest.customer_id == customer_id)
            .order_by(SubjectAccessRequest.requested_at.desc())
        )
    )


def open_requests() -> list[SubjectAccessRequest]:
    """Requests not yet delivered, oldest first: the one-month clock runs on them."""
    return list(
        db.session.scalars(
            select(SubjectAccessRequest)
            .where(SubjectAccessRequest.delivered_at.is_(None))
            .order_by(SubjectAccessRequest.received_on, SubjectAccessRequest.id)
        )
    )


def place_hold(customer: Customer, *, case_id: int | None, reason: str, actor: User) -> LegalHold:
    if not reason.strip():
        raise HoldReasonMissing
    if case_id is not None:
        case = db.session.get(Case, case_id)
        if case is None or case.customer_id != customer.id:
            raise CaseOfAnotherCustomer
    hold = LegalHold(
        customer_id=customer.id, case_id=case_id, reason=reason.strip(), placed_by_id=actor.id
    )
    db.session.add(hold)
    audit.save_change(
        "legal_hold_placed",
        hold,
        actor=actor,
        object_type="legal_hold",
        customer_id=customer.id,
        details={"case_id": case_id},
    )
    return hold


def lift_hold(hold: LegalHold, *, reason: str, actor: User, now: dt.datetime) -> None:
    if hold.lifted_at is not None:
        raise HoldAlreadyLifted
    if not reason.strip():
        raise HoldReasonMissing
    actor_id = actor.id  # read first: loading it may flush, and the three go together
    hold.lifted_at, hold.lifted_by_id, hold.lift_reason = now, actor_id, reason.strip()
    audit.save_change(
        "legal_hold_lifted",
        hold,
        actor=actor,
        object_type="legal_hold",
        customer_id=hold.customer_id,
    )


def holds_of(customer_id: int) -> list[LegalHold]:
    return list(
        db.session.scalars(
            select(LegalHold)
            .where(LegalHold.customer_id == customer_id)
            .order_by(LegalHold.placed_at.desc())
        )
    )


def active_holds() -> list[LegalHold]:
    return list(
        db.session.scalars(
            select(LegalHold).where(LegalHold.lifted_at.is_(None)).order_by(LegalHold.placed_at)
        )
    )


def find_customer(reference: str) -> Customer | None:
    return db.session.scalar(
        select(Customer).where(Customer.reference == reference.strip().upper())
    )


def cases_of(customer_id: int) -> list[Case]:
    return list(
        db.session.scalars(select(Case).where(Case.customer_id == customer_id).order_by(Case.id))
    )
