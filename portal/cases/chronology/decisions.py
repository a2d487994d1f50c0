"""Chronology events from the decisions on a case: restrictions with their approval, end and
reviews (s3.2–s3.5), and appeals (s3.4) and reconsideration requests (s4) about them."""

from sqlalchemy import or_, select

from portal.cases.chronology.entries import (
    Event,
    Summary,
    day_start,
    person_name,
    under_version,
    yes_no,
)
from portal.extensions import db
from portal.formatting import long_date
from portal.models import (
    Appeal,
    Case,
    ReconsiderationRequest,
    Restriction,
    Review,
)
from portal.models.vocab import (
    APPEAL_DECISION_LABELS,
    RECONSIDERATION_DECISION_LABELS,
    ReconsiderationGround,
    label,
)
from portal.plain_words import describe_restriction
from portal.translations import lazy_gettext as _l

GROUNDS = {
    ReconsiderationGround.CHANGE_IN_CIRCUMSTANCES: _l("A change in circumstances"),
    ReconsiderationGround.FACTUAL_ERROR: _l("A factual error in the decision"),
}


def _proposal(restriction: Restriction, term) -> Event:
    return Event(
        restriction.proposed_at,
        _l("Restriction proposed"),
        [
            (_l("Term"), term),
            (_l("What it means"), " ".join(describe_restriction(restriction))),
            (_l("Why"), restriction.reason),
            (_l("Reviewed"), label(restriction.review_frequency)),
            (
                _l("Why a clash with a recorded need is justified"),
                restriction.needs_conflict_justification,
            ),
            (_l("Proposed by"), person_name(restriction.proposed_by)),
            (_l("Status now"), label(restriction.status)),
            (_l("Reason not approved"), restriction.rejection_reason),
        ],
        Summary(
            restriction.proposed_at,
            _l("Restriction proposed"),
            restriction.reason,
            [label(restriction.status)],
        ),
    )


def _review(review: Review) -> Event:
    when = day_start(review.held_on)
    event = Event(
        when,
        _l("Review"),
        [
            (_l("Due"), long_date(review.due_on)),
            (_l("Held"), long_date(review.held_on)),
            (_l("Reviewed by"), person_name(review.reviewer)),
            (_l("Behaviour improved"), yes_no(review.behaviour_improved)),
            (_l("Outcome"), label(review.outcome) if review.outcome else ""),
            (_l("Explanation"), review.explanation),
            (_l("New end date"), long_date(review.new_ends_on)),
        ],
        Summary(
            when,
            _l("Review"),
            review.explanation,
            [label(review.outcome)] if review.outcome else [],
        ),
        is_decision=review.outcome is not None,
        date_only=True,
    )
    return under_version(event, review.policy_version_id)


def _one_restriction(restriction: Restriction) -> list[Event]:
    term = _l(
        "From %(start)s to %(end)s",
        start=long_date(restriction.starts_on),
        end=long_date(restriction.ends_on),
    )
    events = [_proposal(restriction, term)]
    if restriction.approved_at:
        approved = Event(
            restriction.approved_at,
            _l("Restriction approved"),
            [(_l("Approved by"), person_name(restriction.approved_by)), (_l("Term"), term)],
            Summary(restriction.approved_at, _l("Restriction approved")),
            is_decision=True,
        )
        events.append(under_version(approved, restriction.policy_version_id))
    if restriction.ended_at:
        events.append(
            Event(
                restriction.ended_at,
                _l("Restriction ended: %(status)s", status=label(restriction.status)),
                [(_l("Why"), restriction.end_reason)],
                Summary(restriction.ended_at, label(restriction.status), restriction.end_reason),
            )
        )
    return events + [_review(review) for review in restriction.reviews if review.held_on]


def restrictions(case: Case) -> list[Event]:
    return [event for restriction in case.restrictions for event in _one_restriction(restriction)]


def _challenges(model, case: Case):
    """The case's appeals or reconsideration requests, by the decisions they challenge: the
    case's restrictions and refusals are already loaded, so their ids are enough (issue 18:
    an OR across two outer joins read every challenge and every restriction)."""
    restriction_ids = [restriction.id for restriction in case.restrictions]
    refusal_ids = [refusal.id for refusal in case.complaint_refusals]
    if not restriction_ids and not refusal_ids:
        return []  # nothing decided yet, so nothing to challenge: no need to ask
    return db.session.scalars(
        select(model)
        .where(
            or_(
                model.restriction_id.in_(restriction_ids),
                model.complaint_refusal_id.in_(refusal_ids),
            )
        )
        .order_by(model.submitted_at)
    ).all()


def appeals(case: Case) -> list[Event]:
    events = []
    for appeal in _challenges(Appeal, case):
        events.append(
            Event(
                appeal.submitted_at,
                _l("Appeal received: %(reference)s", reference=appeal.reference),
                [(_l("Grounds"), appeal.grounds), (_l("Due"), long_date(appeal.due_on))],
                Summary(
                    appeal.submitted_at,
                    _l("Appeal received"),
                    appeal.grounds,
                    [label(appeal.status)],
                ),
            )
        )
        if appeal.decided_at:
            events.append(
                under_version(
                    Event(
                        appeal.decided_at,
                        _l("Appeal decided: %(reference)s", reference=appeal.reference),
                        [
                            (_l("Decision"), APPEAL_DECISION_LABELS[appeal.decision]),
                            (_l("Reasons"), appeal.decision_reasons),
                            (_l("Decided by"), person_name(appeal.decided_by)),
                            (_l("Decided by the due date"), yes_no(appeal.sla_met)),
                        ],
                        is_decision=True,
                    ),
                    appeal.policy_version_id,
                )
            )
    return events


def reconsiderations(case: Case) -> list[Event]:
    events = []
    for request in _challenges(ReconsiderationRequest, case):
        events.append(
            Event(
                request.submitted_at,
                _l("Reconsideration requested: %(reference)s", reference=request.reference),
                [
                    (_l("Ground"), GROUNDS[request.ground]),
                    (_l("Details"), request.details),
                    (_l("Answer due"), long_date(request.answer_due_on)),
                ],
                Summary(
                    request.submitted_at,
                    _l("Reconsideration requested"),
                    request.details,
                    [label(request.status)],
                ),
            )
        )
        if request.decided_at:
            events.append(
                under_version(
                    Event(
                        request.decided_at,
                        _l("Reconsideration decided: %(reference)s", reference=request.reference),
                        [
                            (_l("Decision"), RECONSIDERATION_DECISION_LABELS[request.decision]),
                            (_l("Reasons"), request.decision_reasons),
                            (_l("Decided by"), person_name(request.decided_by)),
                            (_l("Answered within 10 working days"), yes_no(request.sla_met)),
                        ],
                        is_decision=True,
                    ),
                    request.policy_version_id,
                )
            )
    return events
