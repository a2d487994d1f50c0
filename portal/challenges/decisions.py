"""The appeals director's decisions on appeals (s3.4) and reconsideration requests (s4):
the queue, the independence rule, and each decision with its reasons and letter."""

import datetime as dt

from sqlalchemy import select

from portal import audit
from portal.challenges import rules
from portal.challenges.refusals import (
    AlreadyDecided,
    NewEndDateMissing,
    NewEndDateOutOfRange,
    NoRestrictionToChange,
    NotARefusedComplaint,
    NotIndependent,
    ReasonsMissing,
    RefusalCannotBeVaried,
)
from portal.challenges.services import OPEN
from portal.extensions import db
from portal.models import (
    Appeal,
    Letter,
    ReconsiderationRequest,
    Restriction,
    User,
)
from portal.models.vocab import (
    AppealDecision,
    ChallengeStatus,
    LetterKind,
    ReconsiderationDecision,
    RestrictionStatus,
)
from portal.policy import versions
from portal.translations import lazy_gettext as _l


def open_for_director():
    """Appeals and requests not yet decided, overdue and oldest first."""
    appeals = db.session.scalars(
        select(Appeal).where(Appeal.status.in_(OPEN)).order_by(Appeal.due_on, Appeal.submitted_at)
    ).all()
    requests = db.session.scalars(
        select(ReconsiderationRequest)
        .where(ReconsiderationRequest.status.in_(OPEN))
        .order_by(ReconsiderationRequest.answer_due_on, ReconsiderationRequest.submitted_at)
    ).all()
    return appeals, requests


CONFLICT_SENTENCES = {
    "proposed": _l("You proposed the restriction being challenged."),
    "approved": _l("You approved the restriction being challenged."),
    "reviewed": _l("You carried out the last review of the restriction being challenged."),
    "refused the complaint": _l("You refused the complaint being challenged."),
}


def check_independence(challenge, decider: User) -> None:
    """DESIGN "Beyond" 4, s3.4: the decider must be independent of the decision."""
    conflicts = rules.conflicts_of_interest(
        decider.id, challenge.restriction, challenge.complaint_refusal
    )
    if conflicts:
        reasons = " ".join(str(CONFLICT_SENTENCES[c]) for c in conflicts)
        raise NotIndependent(
            _l(
                "You cannot decide this. %(reasons)s Another appeals director must decide it "
                "(policy section 3.4).",
                reasons=reasons,
            )
        )


def record_declined(challenge, *, decider: User) -> None:
    """DESIGN "Beyond" 4: a director who may not decide records that, with the reason, so
    the trail shows why another director decided it."""
    audit.record(
        "challenge_decision_declined",
        actor=decider,
        object_type="appeal" if isinstance(challenge, Appeal) else "reconsideration_request",
        object_id=challenge.id,
        customer_id=challenge.customer_id,
        details={
            "conflicts": rules.conflicts_of_interest(
                decider.id, challenge.restriction, challenge.complaint_refusal
            )
        },
    )


def _shorten(restriction: Restriction, new_ends_on: dt.date | None, today: dt.date) -> None:
    if new_ends_on is None:
        raise NewEndDateMissing
    if not today <= new_ends_on < restriction.ends_on:
        raise NewEndDateOutOfRange
    restriction.ends_on = new_ends_on
    restriction.next_review_on = min(restriction.next_review_on, new_ends_on)


def _end(restriction: Restriction, now: dt.datetime, reason: str) -> None:
    restriction.status = RestrictionStatus.OVERTURNED
    restriction.ended_at = now
    restriction.end_reason = reason


def decide_appeal(
    appeal: Appeal,
    *,
    decider: User,
    decision: AppealDecision,
    reasons: str,
    new_ends_on: dt.date | None,
    now: dt.datetime,
    today: dt.date,
) -> Letter:
    """s3.4: uphold, vary (a shorter restriction) or overturn, with reasons; the decision
    letter is drafted, for the director to read before issuing it (issue 15 item 6)."""
    if appeal.status not in OPEN:
        raise AlreadyDecided(_l("This appeal has already been decided."))
    check_independence(appeal, decider)
    if not reasons.strip():
        raise ReasonsMissing
    restriction = appeal.restriction
    if decision == AppealDecision.VARY:
        if restriction is None:
            raise RefusalCannotBeVaried
        _shorten(restriction, new_ends_on, today)
    if decision == AppealDecision.OVERTURN and restriction is not None:
        _end(restriction, now, "Overturned on appeal.")
    record_appeal_decision(appeal, decision, reasons, decider, now=now, today=today)
    return draft_decision_letter(appeal, LetterKind.APPEAL_DECISION, "appeal", decider, now)


def record_appeal_decision(
    appeal: Appeal,
    decision: AppealDecision,
    reasons: str,
    decider: User,
    *,
    now: dt.datetime,
    today: dt.date,
    **audit_details,
) -> None:
    """The appeal decided, with its reasons, whether the 10-working-day answer was on time
    (s3.4), and the audit event; one home for every kind of appeal decision."""
    decider_id = decider.id
    appeal.status = ChallengeStatus.DECIDED
    appeal.decision = decision
    appeal.decision_reasons = reasons
    appeal.decided_by_id = decider_id
    appeal.decided_at = now
    appeal.sla_met = rules.sla_met(today, appeal.due_on)
    appeal.policy_version_id = versions.id_in_force(today)
    audit.save_change(
        "appeal_decide",
        appeal,
        actor=decider,
        object_type="appeal",
        customer_id=appeal.customer_id,
        details={"decision": decision.value, "sla_met": appeal.sla_met, **audit_details},
    )


def decide_reconsideration(
    request: ReconsiderationRequest,
    *,
    decider: User,
    decision: ReconsiderationDecision,
    reasons: str,
    new_ends_on: dt.date | None,
    now: dt.datetime,
    today: dt.date,
) -> Letter:
    """s4: change the restriction, route the complaint to the complaints process, or no
    change; answered within 10 working days (the SLA is recorded). The decision letter is
    drafted, for the director to read before issuing it."""
    if request.status not in OPEN:
        raise AlreadyDecided(_l("This request has already been decided."))
    check_independence(request, decider)
    if not reasons.strip():
        raise ReasonsMissing
    if decision == ReconsiderationDecision.CHANGE_RESTRICTION:
        if request.restriction is None:
            raise NoRestrictionToChange
        _shorten(request.restriction, new_ends_on, today)
    if (
        decision == ReconsiderationDecision.ROUTE_TO_COMPLAINTS
        and request.complaint_refusal is None
    ):
        raise NotARefusedComplaint
    decider_id = decider.id
    request.status = ChallengeStatus.DECIDED
    request.decision = decision
    request.decision_reasons = reasons
    request.decided_by_id = decider_id
    request.decided_at = now
    request.sla_met = rules.sla_met(today, request.answer_due_on)
    request.policy_version_id = versions.id_in_force(today)
    audit.save_change(
        "reconsideration_decide",
        request,
        actor=decider,
        object_type="reconsideration",
        customer_id=request.customer_id,
        details={"decision": decision.value, "sla_met": request.sla_met},
    )
    return draft_decision_letter(
        request, LetterKind.RECONSIDERATION_DECISION, "reconsideration", decider, now
    )


def draft_decision_letter(challenge, kind, source, decider, now) -> Letter:
    """The decision in writing (s3.2), drafted in the customer's language; the director
    previews it and issues it on the letter's issue page (issue 15 item 6)."""
    from portal.letters import services as letters

    case = (challenge.restriction or challenge.complaint_refusal).case
    possible = letters.PossibleLetter(kind, source, challenge.id, challenge.reference)
    return letters.draft_letter(case, possible, created_by=decider, now=now)
