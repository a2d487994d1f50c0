"""The annual report's figures (policy s5.1, with the breakdowns of DESIGN.md rule 11).

Policy sections: s5.1 "reporting the number of cases where this policy has been applied
annually to our leadership team"; s3.1 behaviour types; s3.2 restriction options, calls
ended by staff and Community Safety referrals; s3.3 escalations; s3.4 reviews and appeals;
s3.5 restriction lengths; s4 reconsiderations answered within 10 working days.

Every figure is an aggregate SQL query (GROUP BY and COUNT on the database), never a loop
over cases in Python, so the report takes the same few queries for 20 or 20,000 cases.
Definitions, for a period of London calendar days with both ends included:

* a case "where the policy was applied" was open at some time in the period;
* behaviour types count incidents that happened in the period, and the cases they are on;
* restrictions count those approved that started in the period (their length is the
  planned length from start to end date);
* reviews count those held in the period, on time when held on or before the due date;
* appeals and reconsideration requests count those received in the period, and the
  decisions made in the period.
"""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, distinct, func, or_, select

from portal.extensions import db
from portal.models import (
    Appeal,
    Case,
    Escalation,
    Incident,
    ReconsiderationRequest,
    Referral,
    Restriction,
    RestrictionMeasure,
    Review,
    TerminatedCall,
)
from portal.models.cases import IncidentBehaviour
from portal.models.vocab import (
    AppealDecision,
    BehaviourType,
    ChallengeStatus,
    EscalationKind,
    ReconsiderationDecision,
    ReferralKind,
    RestrictionOption,
    ReviewOutcome,
)
from portal.policy.feedback import counts_in as feedback_counts_in
from portal.reports.periods import Period
from portal.reports.population import IN_FORCE_STATUSES, open_during

# Planned length bands in days (s3.5: never more than six calendar months, 184 days).
LENGTH_BANDS = (("up_to_1_month", 31), ("1_to_3_months", 92), ("3_to_6_months", None))


@dataclass
class PeriodFigures:
    period: Period
    cases_applied: int = 0
    cases_opened: int = 0
    cases_closed: int = 0
    behaviour_cases: dict = field(default_factory=dict)  # BehaviourType -> cases
    behaviour_incidents: dict = field(default_factory=dict)  # BehaviourType -> incidents
    restrictions_started: int = 0
    restricted_cases: int = 0
    restriction_options: dict = field(default_factory=dict)  # RestrictionOption -> count
    escalations: dict = field(default_factory=dict)  # EscalationKind -> count
    reviews_on_time: int = 0
    reviews_late: int = 0
    reviews_not_held: int = 0  # due in the period, not held by its end
    review_outcomes: dict = field(default_factory=dict)  # ReviewOutcome -> count
    length_bands: dict = field(default_factory=dict)  # band key -> count
    average_length_days: float | None = None
    appeals_received: int = 0
    appeal_decisions: dict = field(default_factory=dict)  # AppealDecision -> count
    appeals_decided_by_due_date: int = 0
    reconsiderations_received: int = 0
    reconsideration_decisions: dict = field(default_factory=dict)
    reconsiderations_within_10_working_days: int = 0
    calls_terminated: int = 0
    calls_terminated_warned_first: int = 0
    community_safety_referrals: int = 0
    # s5.3: feedback on the policy itself, and how much of it the owner has considered.
    policy_feedback_received: int = 0
    policy_feedback_considered: int = 0

    @property
    def appeals_decided(self) -> int:
        return sum(self.appeal_decisions.values())

    @property
    def reconsiderations_decided(self) -> int:
        return sum(self.reconsideration_decisions.values())


@dataclass
class AnnualReport:
    current: PeriodFigures
    previous: PeriodFigures
    # When the oldest of its kept figures was worked out (portal.reports.annual.kept);
    # None when every figure was worked out now.
    worked_out_at: dt.datetime | None = None


def _scalar(statement) -> int:
    return db.session.scalar(statement) or 0


def _counts(statement, vocabulary) -> dict:
    """{member: count} for every member of the vocabulary, zero where none."""
    found = {vocabulary(key): count for key, count in db.session.execute(statement)}
    return {member: found.get(member, 0) for member in vocabulary}


def days_between(start, end):
    """``end - start`` in days, in SQL, on either database."""
    if db.engine.dialect.name == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return end - start  # PostgreSQL: date - date is an integer number of days


def _in(column, period: Period):
    return and_(column >= period.starts_at, column < period.ends_before)


def _on_days(column, period: Period):
    return column.between(period.start, period.end)


def _cases(figures: PeriodFigures, period: Period) -> None:
    figures.cases_applied = _scalar(select(func.count(Case.id)).where(open_during(period)))
    figures.cases_opened = _scalar(select(func.count(Case.id)).where(_in(Case.opened_at, period)))
    figures.cases_closed = _scalar(select(func.count(Case.id)).where(_in(Case.closed_at, period)))


def _behaviours(figures: PeriodFigures, period: Period) -> None:
    rows = db.session.execute(
        select(
            IncidentBehaviour.behaviour,
            func.count(distinct(Incident.case_id)),
            func.count(Incident.id),
        )
        .join(Incident, IncidentBehaviour.incident_id == Incident.id)
        .where(_in(Incident.occurred_at, period))
        .group_by(IncidentBehaviour.behaviour)
    ).all()
    found = {BehaviourType(b): (cases, incidents) for b, cases, incidents in rows}
    figures.behaviour_cases = {b: found.get(b, (0, 0))[0] for b in BehaviourType}
    figures.behaviour_incidents = {b: found.get(b, (0, 0))[1] for b in BehaviourType}


def _started(period: Period):
    return and_(Restriction.status.in_(IN_FORCE_STATUSES), _on_days(Restriction.starts_on, period))


def _restrictions(figures: PeriodFigures, period: Period) -> None:
    length = days_between(Restriction.starts_on, Restriction.ends_on)
    band = case(
        (length <= LENGTH_BANDS[0][1], LENGTH_BANDS[0][0]),
        (length <= LENGTH_BANDS[1][1], LENGTH_BANDS[1][0]),
        else_=LENGTH_BANDS[2][0],
    )
    row = db.session.execute(
        select(
            func.count(Restriction.id),
            func.count(distinct(Restriction.case_id)),
            func.avg(length),
        ).where(_started(period))
    ).one()
    figures.restrictions_started, figures.restricted_cases = row[0] or 0, row[1] or 0
    figures.average_length_days = float(row[2]) if row[2] is not None else None
    bands = dict(
        db.session.execute(
            select(band.label("band"), func.count(Restriction.id))
            .where(_started(period))
            .group_by("band")
        ).all()
    )
    figures.length_bands = {key: bands.get(key, 0) for key, _limit in LENGTH_BANDS}
    figures.restriction_options = _counts(
        select(RestrictionMeasure.option, func.count(RestrictionMeasure.id))
        .join(Restriction, RestrictionMeasure.restriction_id == Restriction.id)
        .where(_started(period))
        .group_by(RestrictionMeasure.option),
        RestrictionOption,
    )


def _escalations(figures: PeriodFigures, period: Period) -> None:
    figures.escalations = _counts(
        select(Escalation.kind, func.count(Escalation.id))
        .where(_in(Escalation.created_at, period))
        .group_by(Escalation.kind),
        EscalationKind,
    )


def _reviews(figures: PeriodFigures, period: Period) -> None:
    held = _on_days(Review.held_on, period)
    on_time, late = db.session.execute(
        select(
            func.count(case((Review.held_on <= Review.due_on, 1))),
            func.count(case((Review.held_on > Review.due_on, 1))),
        ).where(held)
    ).one()
    figures.reviews_on_time, figures.reviews_late = on_time or 0, late or 0
    figures.reviews_not_held = _scalar(
        select(func.count(Review.id)).where(
            _on_days(Review.due_on, period),
            or_(Review.held_on.is_(None), Review.held_on > period.end),
        )
    )
    figures.review_outcomes = _counts(
        select(Review.outcome, func.count(Review.id))
        .where(held, Review.outcome.is_not(None))
        .group_by(Review.outcome),
        ReviewOutcome,
    )


def _challenges(figures: PeriodFigures, period: Period) -> None:
    figures.appeals_received = _scalar(
        select(func.count(Appeal.id)).where(_in(Appeal.submitted_at, period))
    )
    decided = and_(Appeal.status == ChallengeStatus.DECIDED, _in(Appeal.decided_at, period))
    figures.appeal_decisions = _counts(
        select(Appeal.decision, func.count(Appeal.id)).where(decided).group_by(Appeal.decision),
        AppealDecision,
    )
    figures.appeals_decided_by_due_date = _scalar(
        select(func.count(Appeal.id)).where(decided, Appeal.sla_met.is_(True))
    )
    request = ReconsiderationRequest
    figures.reconsiderations_received = _scalar(
        select(func.count(request.id)).where(_in(request.submitted_at, period))
    )
    decided = and_(request.status == ChallengeStatus.DECIDED, _in(request.decided_at, period))
    figures.reconsideration_decisions = _counts(
        select(request.decision, func.count(request.id)).where(decided).group_by(request.decision),
        ReconsiderationDecision,
    )
    figures.reconsiderations_within_10_working_days = _scalar(
        select(func.count(request.id)).where(decided, request.sla_met.is_(True))
    )


def _calls_and_referrals(figures: PeriodFigures, period: Period) -> None:
    total, warned = db.session.execute(
        select(
            func.count(TerminatedCall.id),
            func.count(case((TerminatedCall.customer_warned_first.is_(True), 1))),
        ).where(_in(TerminatedCall.ended_at, period))
    ).one()
    figures.calls_terminated, figures.calls_terminated_warned_first = total or 0, warned or 0
    figures.community_safety_referrals = _scalar(
        select(func.count(Referral.id)).where(
            Referral.kind == ReferralKind.COMMUNITY_SAFETY, _in(Referral.created_at, period)
        )
    )


def period_figures(period: Period) -> PeriodFigures:
    """Every figure of the annual report for one period (s5.1)."""
    figures = PeriodFigures(period)
    for section in (_cases, _behaviours, _restrictions, _escalations, _reviews, _challenges):
        section(figures, period)
    _calls_and_referrals(figures, period)
    received, considered = feedback_counts_in(period.starts_at, period.ends_before)
    figures.policy_feedback_received, figures.policy_feedback_considered = received, considered
    return figures


def build_annual_report(period: Period) -> AnnualReport:
    """The annual report for a period, with the period before it for comparison (s5.1)."""
    return AnnualReport(period_figures(period), period_figures(period.previous()))
