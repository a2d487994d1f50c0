"""Recording what happens on a case. Each function audits its change in the same
transaction and commits, so a change is never saved without its audit event."""

import datetime as dt
import uuid

from sqlalchemy import select

from portal import audit, uploads
from portal.cases.references import case_reference
from portal.cases.refusals import (
    CallEndInFuture,
    DecisionInFuture,
    EscalationApproverNotSenior,
    EscalationSelfApproved,
    IncidentInFuture,
    NoBehaviourChosen,
    OtherAgenciesMissing,
    ReferralOutcomeMissing,
    StepInFuture,
    SupportOrganisationMissing,
    UnmetNeedUnstated,
)
from portal.extensions import db
from portal.models import (
    Case,
    ComplaintRefusal,
    Customer,
    Escalation,
    Incident,
    InformalStep,
    NeedsConsideration,
    Referral,
    TerminatedCall,
    User,
)
from portal.models.vocab import (
    COMMUNITY_SAFETY_BEHAVIOURS,
    BehaviourType,
    ContactChannel,
    EscalationKind,
    InformalStepKind,
    ReferralKind,
    ReferralStatus,
    Role,
)
from portal.policy import versions


def open_case(customer: Customer, officer: User, *, now: dt.datetime) -> Case:
    case = Case(
        customer_id=customer.id,
        reference=f"tmp-{uuid.uuid4().hex[:12]}",
        opened_at=now,
        opened_by_id=officer.id,
        case_officer_id=officer.id,
    )
    db.session.add(case)
    db.session.flush()
    case.reference = case_reference(now.year, case.id)  # readable, and unique by the id
    audit.record(
        "case_open",
        actor=officer,
        object_type="case",
        object_id=case.id,
        customer_id=customer.id,
        commit=False,
    )
    db.session.commit()
    return case


def log_incident(
    case: Case,
    *,
    occurred_at: dt.datetime,
    channel: ContactChannel,
    behaviours: list[BehaviourType],
    description: str,
    reported_by: str,
    logged_by: User,
    now: dt.datetime,
    files: list[uploads.CheckedFile] = (),
) -> tuple[Incident, Referral | None]:
    """Record an incident of one or more s3.1 behaviours, with any evidence files. Verbal
    abuse, threats or violence are passed to the Community Safety Team at once (s3.2)."""
    if not behaviours:
        raise NoBehaviourChosen
    if occurred_at > now:
        raise IncidentInFuture
    uploads.check_room(list(files))  # the form's limits, again where the files are kept
    incident = Incident(
        case=case,
        occurred_at=occurred_at,
        channel=channel,
        description=description,
        reported_by=reported_by,
        logged_by_id=logged_by.id,
        logged_at=now,
    )
    incident.behaviours = frozenset(behaviours)
    db.session.add(incident)
    referral = None
    if COMMUNITY_SAFETY_BEHAVIOURS & set(behaviours):
        referral = Referral(
            case=case,
            incident=incident,
            kind=ReferralKind.COMMUNITY_SAFETY,
            reason=description,
            created_by_id=logged_by.id,
            created_at=now,
        )
        db.session.add(referral)
    stored = [
        uploads.store(checked, uploaded_by_id=logged_by.id, case=case, incident=incident)
        for checked in files
    ]
    db.session.add_all(stored)
    try:
        audit.save_change(
            "incident_log",
            incident,
            actor=logged_by,
            object_type="incident",
            customer_id=case.customer_id,
            details={
                "behaviours": sorted(b.value for b in behaviours),
                "community_safety_referral": referral is not None,
                "attachments": [a.sha256 for a in stored],
            },
        )
    except Exception:
        db.session.rollback()  # nothing half-saved: the files go with their rows
        raise
    return incident, referral


def record_informal_step(
    case: Case,
    *,
    kind: InformalStepKind,
    taken_on: dt.date,
    description: str,
    outcome: str,
    support_organisation: str | None,
    taken_by: User,
    today: dt.date,
) -> InformalStep:
    """s3.2–s3.3: a conversation, warning or support referral, with its outcome."""
    if taken_on > today:
        raise StepInFuture
    if kind == InformalStepKind.SUPPORT_REFERRAL and not (support_organisation or "").strip():
        raise SupportOrganisationMissing
    step = InformalStep(
        case=case,
        kind=kind,
        taken_on=taken_on,
        taken_by_id=taken_by.id,
        description=description,
        outcome=outcome,
        support_organisation=(support_organisation or None),
    )
    db.session.add(step)
    audit.save_change(
        "informal_step_record",
        step,
        actor=taken_by,
        object_type="informal_step",
        customer_id=case.customer_id,
    )
    return step


def record_needs_consideration(
    case: Case, *, recorded_by: User, now: dt.datetime, **fields
) -> NeedsConsideration:
    """s6.1–6.2: needs, medical and support considerations, advocate, multi-agency."""
    if fields.get("multi_agency_needed") and not (fields.get("multi_agency_notes") or "").strip():
        raise OtherAgenciesMissing
    if fields.get("could_be_unmet_need") and not (fields.get("unmet_need_notes") or "").strip():
        raise UnmetNeedUnstated
    consideration = NeedsConsideration(
        case=case, recorded_by_id=recorded_by.id, recorded_at=now, **fields
    )
    db.session.add(consideration)
    audit.save_change(
        "needs_consideration_record",
        consideration,
        actor=recorded_by,
        object_type="needs_consideration",
        customer_id=case.customer_id,
    )
    return consideration


def log_terminated_call(
    case: Case,
    *,
    ended_at: dt.datetime,
    customer_warned_first: bool,
    reason: str,
    ended_by: User,
    now: dt.datetime,
) -> TerminatedCall:
    """s3.2: a call ended by staff, and whether the customer was told why first."""
    if ended_at > now:
        raise CallEndInFuture
    call = TerminatedCall(
        case=case,
        ended_at=ended_at,
        ended_by_id=ended_by.id,
        customer_warned_first=customer_warned_first,
        reason=reason,
    )
    db.session.add(call)
    audit.save_change(
        "terminated_call_log",
        call,
        actor=ended_by,
        object_type="terminated_call",
        customer_id=case.customer_id,
    )
    return call


APPROVER_ROLES = (Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR)


def escalation_approvers() -> list[User]:
    users = db.session.scalars(
        select(User).where(User.is_enabled.is_(True)).order_by(User.display_name)
    ).all()
    return [user for user in users if user.has_role(*APPROVER_ROLES)]


def record_escalation(
    case: Case,
    *,
    kind: EscalationKind,
    reason: str,
    approver: User,
    decided_on: dt.date,
    proposed_by: User,
    now: dt.datetime,
) -> Escalation:
    """s3.3 extreme steps: recorded with the reason and a senior approver other than the
    person proposing it."""
    if approver.id == proposed_by.id:
        raise EscalationSelfApproved
    if not approver.has_role(*APPROVER_ROLES):
        raise EscalationApproverNotSenior
    escalation = Escalation(
        case=case,
        kind=kind,
        reason=reason,
        proposed_by_id=proposed_by.id,
        approved_by_id=approver.id,
        approved_at=now,
        decided_on=decided_on,
        created_at=now,
    )
    db.session.add(escalation)
    audit.save_change(
        "escalation_record",
        escalation,
        actor=proposed_by,
        object_type="escalation",
        customer_id=case.customer_id,
        details={"kind": kind.value, "approver_id": approver.id},
    )
    return escalation


def audit_history(case: Case):
    """Every audited change and staff view touching this case's customer, newest first
    (DESIGN.md rule 12; the review manager sees it), as a statement shown a page at a time
    (portal.pagination): nothing is cut off unseen (issue 15 item 9)."""
    from portal.models import AuditEvent

    return (
        select(AuditEvent, User.display_name)
        .outerjoin(User, AuditEvent.actor_user_id == User.id)
        .where(AuditEvent.customer_id == case.customer_id)
        .order_by(AuditEvent.id.desc())
    )


class ReferralNotOpen(Exception):
    """The referral has already moved on (accepted, or closed) — e.g. a second click."""


def accept_referral(referral: Referral, *, accepted_by: User) -> Referral:
    """Community Safety takes on a referral of verbal abuse, threats or violence (s3.2)."""
    if referral.status != ReferralStatus.OPEN:
        raise ReferralNotOpen
    referral.accepted_by_id = accepted_by.id
    referral.status = ReferralStatus.ACCEPTED
    audit.save_change(
        "referral_accept",
        referral,
        actor=accepted_by,
        object_type="referral",
        customer_id=referral.case.customer_id,
    )
    return referral


def close_referral(
    referral: Referral, *, outcome: str, closed_by: User, now: dt.datetime
) -> Referral:
    """Close a referral with what Community Safety did (s3.2). An open referral is accepted
    by whoever closes it, so every closed referral names who dealt with it."""
    if referral.status == ReferralStatus.CLOSED:
        raise ReferralNotOpen
    if not outcome.strip():
        raise ReferralOutcomeMissing
    if referral.accepted_by_id is None:
        referral.accepted_by_id = closed_by.id
    referral.status = ReferralStatus.CLOSED
    referral.closed_at = now
    referral.outcome = outcome
    audit.save_change(
        "referral_close",
        referral,
        actor=closed_by,
        object_type="referral",
        customer_id=referral.case.customer_id,
    )
    return referral


def refuse_complaint(
    case: Case,
    *,
    complaint_reference: str,
    reason: str,
    decided_on: dt.date,
    decided_by: User,
    today: dt.date,
) -> ComplaintRefusal:
    """s3.2: decline to further consider a complaint pursued unreasonably. The decision is
    appealable (s3.4) and open to reconsideration (s4), and calls for a letter (s3.2)."""
    if decided_on > today:
        raise DecisionInFuture
    refusal = ComplaintRefusal(
        case=case,
        complaint_reference=complaint_reference.strip(),
        reason=reason.strip(),
        decided_by_id=decided_by.id,
        decided_on=decided_on,
        policy_version_id=versions.id_in_force(decided_on),
    )
    db.session.add(refusal)
    audit.save_change(
        "complaint_refusal",
        refusal,
        actor=decided_by,
        object_type="complaint_refusal",
        customer_id=case.customer_id,
    )
    return refusal
