"""Proposing, approving, reviewing and ending restrictions (s3.2–s3.5, s6).

Rules come from ``portal.restrictions.rules``; this module applies them to the database,
audits each change in the same transaction and commits.
"""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from portal import audit
from portal.clock import day_of
from portal.database import lock_row
from portal.extensions import db
from portal.models import Case, Customer, Incident, NeedsConsideration, Restriction, Review
from portal.models.restrictions import RestrictionMeasure
from portal.models.vocab import RestrictionStatus, ReviewFrequency, ReviewOutcome
from portal.notices import events as notify
from portal.policy import versions
from portal.restrictions import needs_conflicts, rules


@dataclass
class Proposal:
    starts_on: dt.date
    ends_on: dt.date
    review_frequency: ReviewFrequency
    reason: str
    measures: list[rules.MeasureSpec]
    incident_ids: list[int] = field(default_factory=list)
    needs_conflict_justification: str = ""
    replaces_id: int | None = None


class NotAllowedNow(Exception):
    """The restriction is not in a state where this can happen (e.g. approving twice)."""


def customer_needs(customer: Customer) -> needs_conflicts.CustomerNeeds:
    return needs_conflicts.CustomerNeeds(
        finds_writing_difficult=customer.finds_writing_difficult,
        cannot_use_telephone=customer.cannot_use_telephone,
        needs_in_person_access=customer.needs_in_person_access,
    )


def needs_conflicts_of(customer: Customer, measures) -> list[needs_conflicts.NeedsConflict]:
    """s6.1, DESIGN.md "Beyond" 2: the measures that clash with the customer's recorded
    needs. The one place they are worked out, for proposing, showing and deciding."""
    return needs_conflicts.needs_conflicts(customer_needs(customer), measures)


def conflicts_of(restriction: Restriction) -> list[needs_conflicts.NeedsConflict]:
    return needs_conflicts_of(restriction.case.customer, [spec_of(m) for m in restriction.measures])


def spec_of(measure: RestrictionMeasure) -> rules.MeasureSpec:
    weekdays = frozenset(int(d) for d in (measure.permitted_weekdays or "").split(",") if d)
    return rules.MeasureSpec(
        option=measure.option,
        single_point_of_contact_id=measure.single_point_of_contact_id,
        permitted_channel=measure.permitted_channel,
        permitted_weekdays=weekdays,
        permitted_from=measure.permitted_from,
        permitted_until=measure.permitted_until,
        contact_limit=measure.contact_limit,
        limit_period=measure.limit_period,
        declined_complaint_reference=measure.declined_complaint_reference,
        declined_complaint_reason=measure.declined_complaint_reason,
        barred_premises=measure.barred_premises,
        advocate_offered_on=measure.advocate_offered_on,
    )


def _measure_from(spec: rules.MeasureSpec) -> RestrictionMeasure:
    return RestrictionMeasure(
        option=spec.option,
        single_point_of_contact_id=spec.single_point_of_contact_id,
        permitted_channel=spec.permitted_channel,
        permitted_weekdays=",".join(str(d) for d in sorted(spec.permitted_weekdays)) or None,
        permitted_from=spec.permitted_from,
        permitted_until=spec.permitted_until,
        contact_limit=spec.contact_limit,
        limit_period=spec.limit_period,
        declined_complaint_reference=spec.declined_complaint_reference,
        declined_complaint_reason=spec.declined_complaint_reason,
        barred_premises=spec.barred_premises,
        advocate_offered_on=spec.advocate_offered_on,
    )


def latest_needs_consideration(case: Case) -> NeedsConsideration | None:
    return db.session.scalar(
        select(NeedsConsideration)
        .where(NeedsConsideration.case_id == case.id)
        .order_by(NeedsConsideration.recorded_at.desc())
        .limit(1)
    )


def propose_restriction(
    case: Case, proposal: Proposal, *, proposed_by, today: dt.date, now: dt.datetime
) -> Restriction:
    """A proposal, waiting for a review manager who did not propose it (s3.4)."""
    restriction, conflicts = _new_restriction(case, proposal, proposed_by, today, now)
    db.session.flush()
    notify.proposal_waiting(restriction)
    audit.save_change(
        "restriction_propose",
        restriction,
        actor=proposed_by,
        object_type="restriction",
        customer_id=case.customer_id,
        details={
            "options": sorted(s.option.value for s in proposal.measures),
            "needs_conflicts": [c.need for c in conflicts],
        },
    )
    return restriction


def _new_restriction(case: Case, proposal: Proposal, proposed_by, today, now):
    """A proposed restriction added to the session, and its clashes with recorded needs.
    Every rule is checked before anything is written: informal step first (s3.2, s3.3),
    needs considered and tailored to (s6.1–6.2), at most six months (s3.5), a review
    frequency and date (s3.4), measures complete (s3.2)."""
    rules.check_period(proposal.starts_on, proposal.ends_on, today=today)
    rules.check_measures(proposal.measures)
    needs = latest_needs_consideration(case)
    conflicts = needs_conflicts_of(case.customer, proposal.measures)
    rules.check_can_propose(
        informal_step_count=len(case.informal_steps),
        has_needs_consideration=needs is not None,
        conflicts=conflicts,
        conflict_justification=proposal.needs_conflict_justification,
    )
    incidents = (
        db.session.scalars(
            select(Incident).where(
                Incident.case_id == case.id, Incident.id.in_(proposal.incident_ids)
            )
        ).all()
        if proposal.incident_ids
        else []
    )
    restriction = Restriction(
        case=case,
        status=RestrictionStatus.PROPOSED,
        starts_on=proposal.starts_on,
        ends_on=proposal.ends_on,
        review_frequency=proposal.review_frequency,
        next_review_on=rules.next_review_on(
            proposal.starts_on, proposal.review_frequency, proposal.ends_on
        ),
        reason=proposal.reason,
        proposed_by_id=proposed_by.id,
        proposed_at=now,
        needs_consideration=needs,
        needs_conflict_justification=proposal.needs_conflict_justification.strip(),
        supersedes_id=proposal.replaces_id,
        incidents=list(incidents),
    )
    restriction.measures = [_measure_from(spec) for spec in proposal.measures]
    db.session.add(restriction)
    return restriction, conflicts


def approve_restriction(restriction: Restriction, *, approver, now: dt.datetime) -> Restriction:
    """s3.4: the review manager approves; never the person who proposed it. A restriction
    that replaces another (a variation) ends the one it replaces."""
    if restriction.status != RestrictionStatus.PROPOSED:
        raise NotAllowedNow
    rules.check_approver(restriction.proposed_by_id, approver.id)
    restriction.status = RestrictionStatus.ACTIVE
    restriction.approved_by_id = approver.id
    restriction.approved_at = now
    restriction.policy_version_id = versions.id_in_force(day_of(now))
    replaced = restriction.supersedes
    if replaced is not None and replaced.status == RestrictionStatus.ACTIVE:
        replaced.status = RestrictionStatus.SUPERSEDED
        replaced.ended_at = now
        replaced.end_reason = "Replaced by a varied restriction."
    notify.proposal_decided(restriction, approved=True)
    audit.record(
        "restriction_approve",
        actor=approver,
        object_type="restriction",
        object_id=restriction.id,
        customer_id=restriction.case.customer_id,
        commit=False,
    )
    db.session.commit()
    return restriction


def reject_restriction(
    restriction: Restriction, *, approver, reason: str, now: dt.datetime
) -> Restriction:
    if restriction.status != RestrictionStatus.PROPOSED:
        raise NotAllowedNow
    rules.check_approver(restriction.proposed_by_id, approver.id)
    restriction.status = RestrictionStatus.REJECTED
    restriction.rejection_reason = reason
    notify.proposal_decided(restriction, approved=False)
    audit.record(
        "restriction_reject",
        actor=approver,
        object_type="restriction",
        object_id=restriction.id,
        customer_id=restriction.case.customer_id,
        commit=False,
    )
    db.session.commit()
    return restriction


REVIEWABLE = (RestrictionStatus.ACTIVE, RestrictionStatus.EXPIRED)


def open_review(restriction: Restriction) -> Review | None:
    """A review flagged but not yet held (e.g. created when the restriction expired)."""
    return next((r for r in restriction.reviews if r.held_on is None), None)


def record_review(
    restriction: Restriction,
    *,
    reviewer,
    behaviour_improved: bool,
    outcome: ReviewOutcome,
    explanation: str,
    new_ends_on: dt.date | None,
    today: dt.date,
    now: dt.datetime,
) -> Review:
    """s3.4: if behaviour improved, consider lifting; if kept, explain why and for how long
    (a new end at most six months on, s3.5). "Vary" is decided here but held only when the
    reviewer has written the changed restriction (:func:`vary_at_review`): until then the
    review stays open and the restriction stays due, so nothing is half-done."""
    # Two reviewers recording at once must not both add a review: lock the restriction.
    lock_row(Restriction, restriction.id)
    if restriction.status not in REVIEWABLE:
        raise NotAllowedNow
    reviewer_id = reviewer.id  # read before any row is half-changed (autoflush)
    if outcome == ReviewOutcome.KEEP:
        rules.check_keep(explanation, new_ends_on, review_held_on=today)
    elif not explanation.strip():
        raise rules.KeepNeedsExplanation
    review = open_review(restriction)
    if review is None:
        review = Review(due_on=restriction.next_review_on)  # read before the review joins
        review.restriction = restriction
        db.session.add(review)  # SQLAlchemy 2 does not cascade along the backref
    review.held_on = None if outcome == ReviewOutcome.VARY else today
    review.reviewer_id = reviewer_id
    review.behaviour_improved = behaviour_improved
    review.outcome = outcome
    review.explanation = explanation
    review.new_ends_on = new_ends_on if outcome == ReviewOutcome.KEEP else None
    review.policy_version_id = versions.id_in_force(today)
    db.session.add(review)
    if outcome == ReviewOutcome.LIFT:
        restriction.status = RestrictionStatus.LIFTED
        restriction.ended_at = now
        restriction.end_reason = explanation
    elif outcome == ReviewOutcome.KEEP:
        restriction.status = RestrictionStatus.ACTIVE
        restriction.ended_at = None
        restriction.ends_on = new_ends_on
        restriction.next_review_on = rules.next_review_on(
            today, restriction.review_frequency, new_ends_on
        )
    audit.save_change(
        "restriction_review",
        restriction,
        actor=reviewer,
        object_type="restriction",
        customer_id=restriction.case.customer_id,
        details={"outcome": outcome.value, "behaviour_improved": behaviour_improved},
    )
    return review


def variation_started(restriction: Restriction) -> Review | None:
    """The open review in which a review manager decided to change this restriction and
    has not yet written the change (s3.4)."""
    review = open_review(restriction)
    if review is not None and review.outcome == ReviewOutcome.VARY:
        return review
    return None


def vary_at_review(
    replaced: Restriction, proposal: Proposal, *, reviewer, today: dt.date, now: dt.datetime
) -> Restriction:
    """s3.4: the review manager holds the review and decides the change, so the changed
    restriction takes effect as their decision — no second approval, as when they keep a
    restriction with a new end date. The review is held, the new restriction is in place
    and the old one ends, in one transaction; every rule of a proposal is checked first."""
    review = variation_started(replaced)
    if replaced.status not in REVIEWABLE or review is None:
        raise NotAllowedNow
    reviewer_id = reviewer.id
    restriction, conflicts = replace_restriction(
        replaced, proposal, decided_by=reviewer, today=today, now=now, why="Changed at review."
    )
    review.held_on = today
    review.reviewer_id = reviewer_id
    audit.save_change(
        "restriction_vary_at_review",
        restriction,
        actor=reviewer,
        object_type="restriction",
        customer_id=replaced.case.customer_id,
        details={
            "replaces": replaced.id,
            "options": sorted(s.option.value for s in proposal.measures),
            "needs_conflicts": [c.need for c in conflicts],
        },
    )
    return restriction


def replace_restriction(
    replaced: Restriction, proposal: Proposal, *, decided_by, today: dt.date, now: dt.datetime, why
):
    """The changed restriction in place as the decider's own decision, the replaced one
    ended; every rule of a proposal checked first (s3.2, s3.5, s6.1). For a review manager
    at a review and the appeals director on appeal (s3.4). Not committed: the caller
    audits and commits. Returns the new restriction and its clashes with recorded needs."""
    decider_id = decided_by.id
    proposal.replaces_id = replaced.id
    restriction, conflicts = _new_restriction(replaced.case, proposal, decided_by, today, now)
    restriction.status = RestrictionStatus.ACTIVE
    restriction.approved_by_id = decider_id
    restriction.approved_at = now
    if replaced.status == RestrictionStatus.ACTIVE:
        replaced.status = RestrictionStatus.SUPERSEDED
        replaced.ended_at = now
        replaced.end_reason = why
    db.session.flush()
    notify.letter_waiting(restriction)  # the case officer issues the changed restriction's letter
    return restriction, conflicts


def expire_restrictions(*, today: dt.date, now: dt.datetime) -> list[Restriction]:
    """s3.5: a restriction lapses at its end date unless renewed; each one ended here is
    flagged for the review manager. Running twice ends nothing twice."""
    expired = db.session.scalars(
        select(Restriction).where(
            Restriction.status == RestrictionStatus.ACTIVE, Restriction.ends_on < today
        )
    ).all()
    for restriction in expired:
        restriction.status = RestrictionStatus.EXPIRED
        restriction.ended_at = now
        restriction.end_reason = "Reached its end date."
        if open_review(restriction) is None:
            db.session.add(Review(restriction=restriction, due_on=restriction.ends_on))
        db.session.flush()
        audit.record(
            "restriction_expire",
            object_type="restriction",
            object_id=restriction.id,
            customer_id=restriction.case.customer_id,
            commit=False,
        )
    db.session.commit()
    return list(expired)
