"""A hand-built data set for the reports (issue 8), every figure known in advance.

The reporting period is the financial year 1 April 2024 – 31 March 2025 (``PERIOD``); the
previous period is 1 April 2023 – 31 March 2024. ``EXPECTED`` lists what the annual report
must say; the equality figures are spelt out in tests/db/test_report_figures.py.

Customers (50): disability "yes" 10, "no" 30, "prefer_not_to_say" 3, "unsure" 2 (a group
too small to show), and 5 with nothing recorded. 16 of them have a case open in the period
and 10 a restriction in force: 5 of the "yes" group (rate 0.5 against 0.2 overall: ratio
2.5, flagged) and 5 of the "no" group (ratio 0.83).
"""

import datetime as dt
import itertools

from portal.extensions import db
from portal.models import (
    Appeal,
    Case,
    Escalation,
    Incident,
    NeedsConsideration,
    ProtectedCharacteristics,
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
    ContactChannel,
    EscalationKind,
    ReconsiderationDecision,
    ReconsiderationGround,
    ReferralKind,
    RestrictionOption,
    RestrictionStatus,
    ReviewFrequency,
    ReviewOutcome,
    Role,
)
from portal.reports.periods import Period
from tests.factories import make_customer, make_user

PERIOD = Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31))
AFTER = dt.date(2025, 6, 1)  # a day after PERIOD has ended: its figures are kept
_numbers = itertools.count(1)


def at(year, month, day) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=dt.UTC)


# (disability, sex, has a case in the period, restricted in the period, how many)
PEOPLE = [
    ("yes", "female", True, True, 5),
    ("yes", "female", True, False, 1),
    ("yes", "female", False, False, 2),
    ("yes", "male", False, False, 2),
    ("no", "female", True, True, 3),
    ("no", "male", True, True, 2),
    ("no", "female", True, False, 3),
    ("no", "female", False, False, 10),
    ("no", "male", False, False, 12),
    ("prefer_not_to_say", "male", True, False, 1),
    ("prefer_not_to_say", "male", False, False, 2),
    ("unsure", "male", True, False, 1),
    ("unsure", "male", False, False, 1),
    (None, None, False, False, 5),  # no characteristics row at all
]

# Restrictions in force in the period, in order: (starts_on, length in days, extra option).
RESTRICTIONS = [
    (dt.date(2024, 5, 1), 30, None),
    (dt.date(2024, 6, 1), 30, None),
    (dt.date(2024, 7, 1), 30, RestrictionOption.PREMISES_BARRED),
    (dt.date(2024, 5, 10), 90, None),
    (dt.date(2024, 8, 1), 90, None),
    (dt.date(2024, 9, 1), 90, RestrictionOption.PREMISES_BARRED),
    (dt.date(2024, 10, 1), 182, None),
    (dt.date(2024, 11, 1), 182, None),
    (dt.date(2024, 2, 1), 180, None),  # started in the previous period, runs into this one
    (dt.date(2024, 1, 15), 150, None),
]

EXPECTED = {
    "cases_applied": 16,
    "cases_opened": 12,
    "cases_closed": 3,
    "previous_cases_applied": 6,
    "previous_cases_opened": 6,
    "previous_cases_closed": 2,
    "restrictions_started": 8,
    "previous_restrictions_started": 2,
    "average_length_days": 90.5,
    "length_bands": {"up_to_1_month": 3, "1_to_3_months": 3, "3_to_6_months": 2},
}


def _case(customer, officer, opened_at, closed_at=None) -> Case:
    case = Case(
        customer_id=customer.id,
        reference=f"MB-R-{next(_numbers):05d}",
        opened_at=opened_at,
        opened_by_id=officer.id,
        case_officer_id=officer.id,
        closed_at=closed_at,
    )
    db.session.add(case)
    return case


def _needs(case, officer) -> NeedsConsideration:
    needs = NeedsConsideration(
        case=case, recorded_by_id=officer.id, recorded_at=at(2024, 1, 2), needs_summary="None."
    )
    db.session.add(needs)
    return needs


def _restriction(case, officer, approver, starts_on, days, extra, status=RestrictionStatus.ACTIVE):
    ends_on = starts_on + dt.timedelta(days=days)
    restriction = Restriction(
        case=case,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        review_frequency=ReviewFrequency.QUARTERLY,
        next_review_on=ends_on,
        reason="Test reason.",
        proposed_by_id=officer.id,
        proposed_at=at(starts_on.year, starts_on.month, starts_on.day),
        approved_by_id=approver.id if status != RestrictionStatus.PROPOSED else None,
        approved_at=(
            at(starts_on.year, starts_on.month, starts_on.day)
            if status != RestrictionStatus.PROPOSED
            else None
        ),
        ended_at=at(2025, 1, 5) if status == RestrictionStatus.LIFTED else None,
        needs_consideration=_needs(case, officer),
    )
    measures = [
        RestrictionMeasure(
            option=RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL
        )
    ]
    if extra == RestrictionOption.PREMISES_BARRED:
        measures.append(RestrictionMeasure(option=extra, barred_premises="Central office"))
    restriction.measures = measures
    db.session.add(restriction)
    return restriction


def _incident(case, officer, occurred_at, behaviours):
    incident = Incident(
        case=case,
        occurred_at=occurred_at,
        channel=ContactChannel.TELEPHONE,
        description="Something happened.",
        logged_by_id=officer.id,
    )
    incident.behaviour_rows = [IncidentBehaviour(behaviour=b) for b in behaviours]
    db.session.add(incident)


def _customers() -> tuple[list, list, list]:
    """The customers of PEOPLE: restricted, with a case only, and bystanders."""
    customers_with_case, restricted, bystanders = [], [], []
    for disability, sex, has_case, is_restricted, how_many in PEOPLE:
        for _ in range(how_many):
            customer = make_customer()
            if disability is not None:
                db.session.add(
                    ProtectedCharacteristics(
                        customer_id=customer.id, disability=disability, sex=sex
                    )
                )
            if is_restricted:
                restricted.append(customer)
            elif has_case:
                customers_with_case.append(customer)
            elif disability is not None:
                bystanders.append(customer)
    return restricted, customers_with_case, bystanders


def _cases(officer, restricted, customers_with_case, bystanders) -> list:
    # 16 cases open in the period: the 10 restricted customers and 6 others. Four were opened
    # in the previous period and carried over; three closed in the period.
    cases = []
    for number, customer in enumerate(restricted + customers_with_case):
        opened = at(2024, 1, 10) if number in (8, 9, 10, 11) else at(2024, 4, 20)
        closed = at(2025, 2, 1) if number in (12, 13, 14) else None
        cases.append(_case(customer, officer, opened, closed))
    # Two cases only in the previous period (opened and closed then), for customers with no
    # case in this period.
    for customer in bystanders[:2]:
        old = _case(customer, officer, at(2023, 6, 1), at(2023, 12, 1))
        _incident(old, officer, at(2023, 7, 1), [BehaviourType.HARASSMENT])
    db.session.flush()
    return cases


def _restrictions(cases, officer, manager, manager_2) -> list:
    restrictions = []
    for case, (starts_on, days, extra) in zip(cases[:10], RESTRICTIONS, strict=True):
        approver = manager_2 if len(restrictions) == 2 else manager
        restrictions.append(_restriction(case, officer, approver, starts_on, days, extra))
    # Neither of these counts: proposed only, and not approved.
    _restriction(
        cases[10], officer, manager, dt.date(2024, 6, 1), 60, None, RestrictionStatus.PROPOSED
    )
    rejected = _restriction(
        cases[11], officer, manager, dt.date(2024, 6, 1), 60, None, RestrictionStatus.PROPOSED
    )
    rejected.status, rejected.rejection_reason = RestrictionStatus.REJECTED, "Not needed."
    db.session.flush()
    return restrictions


def _incidents_and_escalations(cases, officer, manager) -> None:
    # Incidents in the period: two behaviour types on case 0, overload twice on case 1,
    # overload and demands on case 2.
    _incident(
        cases[0],
        officer,
        at(2024, 4, 25),
        [BehaviourType.VERBAL_ABUSE_OR_VIOLENCE, BehaviourType.OFFENSIVE_LANGUAGE],
    )
    _incident(cases[1], officer, at(2024, 5, 2), [BehaviourType.CONTACT_OVERLOAD])
    _incident(cases[1], officer, at(2024, 5, 3), [BehaviourType.CONTACT_OVERLOAD])
    _incident(
        cases[2],
        officer,
        at(2024, 6, 2),
        [BehaviourType.CONTACT_OVERLOAD, BehaviourType.UNREASONABLE_DEMANDS],
    )

    # Escalations: police and ending direct contact, in the period.
    for kind in (EscalationKind.POLICE, EscalationKind.END_DIRECT_CONTACT):
        db.session.add(
            Escalation(
                case=cases[0],
                kind=kind,
                reason="Serious threats.",
                proposed_by_id=officer.id,
                approved_by_id=manager.id,
                approved_at=at(2024, 7, 1),
                created_at=at(2024, 7, 1),
            )
        )


def _reviews(restrictions, manager) -> None:
    # Reviews held in the period: 3 on time, 2 late; lift 1, vary 1, keep 3; one not held.
    reviews = [
        (dt.date(2024, 8, 1), dt.date(2024, 7, 30), ReviewOutcome.LIFT),
        (dt.date(2024, 9, 1), dt.date(2024, 9, 1), ReviewOutcome.VARY),
        (dt.date(2024, 10, 1), dt.date(2024, 9, 20), ReviewOutcome.KEEP),
        (dt.date(2024, 11, 1), dt.date(2024, 11, 8), ReviewOutcome.KEEP),
        (dt.date(2024, 12, 1), dt.date(2024, 12, 20), ReviewOutcome.KEEP),
        (dt.date(2025, 3, 1), None, None),
    ]
    for restriction, (due_on, held_on, outcome) in zip(restrictions, reviews, strict=False):
        db.session.add(
            Review(
                restriction=restriction,
                due_on=due_on,
                held_on=held_on,
                reviewer_id=manager.id if held_on else None,
                behaviour_improved=(outcome == ReviewOutcome.LIFT) if held_on else None,
                outcome=outcome,
                explanation="Behaviour has not improved." if outcome == ReviewOutcome.KEEP else "",
                new_ends_on=dt.date(2025, 6, 1) if outcome == ReviewOutcome.KEEP else None,
            )
        )


def _challenges(restrictions, officer, director) -> None:
    # Appeals: three received and decided in the period; the overturned one was against
    # manager_2's approval. Two decided by the due date.
    appeals = [
        (restrictions[0], AppealDecision.UPHOLD, True),
        (restrictions[1], AppealDecision.VARY, False),
        (restrictions[2], AppealDecision.OVERTURN, True),
    ]
    for restriction, decision, sla_met in appeals:
        db.session.add(
            Appeal(
                reference=f"AP-R{next(_numbers):05d}",
                customer_id=restriction.case.customer_id,
                restriction=restriction,
                grounds="I disagree.",
                submitted_by_id=officer.id,
                submitted_at=at(2024, 9, 1),
                status=ChallengeStatus.DECIDED,
                due_on=dt.date(2024, 9, 30),
                decision=decision,
                decision_reasons="Considered.",
                decided_by_id=director.id,
                decided_at=at(2024, 9, 20),
                sla_met=sla_met,
            )
        )
    # Reconsiderations: two received and decided, one within 10 working days.
    for restriction, decision, sla_met in (
        (restrictions[3], ReconsiderationDecision.NO_CHANGE, True),
        (restrictions[4], ReconsiderationDecision.CHANGE_RESTRICTION, False),
    ):
        db.session.add(
            ReconsiderationRequest(
                reference=f"RC-R{next(_numbers):05d}",
                customer_id=restriction.case.customer_id,
                restriction=restriction,
                ground=ReconsiderationGround.CHANGE_IN_CIRCUMSTANCES,
                details="Things changed.",
                submitted_by_id=officer.id,
                submitted_at=at(2024, 10, 1),
                answer_due_on=dt.date(2024, 10, 15),
                status=ChallengeStatus.DECIDED,
                decision=decision,
                decision_reasons="Considered.",
                decided_by_id=director.id,
                decided_at=at(2024, 10, 10),
                sla_met=sla_met,
            )
        )


def _calls_and_referrals(cases, officer) -> None:
    # Calls ended by staff: three in the period (two after a warning), one before.
    for when, warned in (
        (at(2024, 5, 1), True),
        (at(2024, 6, 1), True),
        (at(2024, 7, 1), False),
        (at(2023, 7, 1), True),
    ):
        db.session.add(
            TerminatedCall(
                case=cases[0],
                ended_at=when,
                ended_by_id=officer.id,
                customer_warned_first=warned,
                reason="Abusive.",
            )
        )
    # Community Safety referrals: two in the period, one before; a support referral never
    # counts.
    for when, kind in (
        (at(2024, 4, 26), ReferralKind.COMMUNITY_SAFETY),
        (at(2024, 8, 1), ReferralKind.COMMUNITY_SAFETY),
        (at(2023, 7, 2), ReferralKind.COMMUNITY_SAFETY),
        (at(2024, 8, 1), ReferralKind.SUPPORT),
    ):
        db.session.add(
            Referral(
                case=cases[0],
                kind=kind,
                reason="Threats.",
                created_at=when,
                created_by_id=officer.id,
            )
        )


def build_report_world() -> dict:
    """Create the data set; returns the people and cases a test may need."""
    officer = make_user(Role.CASE_OFFICER)
    manager = make_user(Role.REVIEW_MANAGER, display_name="Morgan Approver")
    manager_2 = make_user(Role.REVIEW_MANAGER, display_name="Riley Approver")
    director = make_user(Role.APPEALS_DIRECTOR)
    cases = _cases(officer, *_customers())
    restrictions = _restrictions(cases, officer, manager, manager_2)
    _incidents_and_escalations(cases, officer, manager)
    _reviews(restrictions, manager)
    _challenges(restrictions, officer, director)
    _calls_and_referrals(cases, officer)
    db.session.commit()
    return {
        "officer": officer,
        "manager": manager,
        "manager_2": manager_2,
        "director": director,
        "cases": cases,
        "restrictions": restrictions,
    }
