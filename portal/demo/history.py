"""A synthetic history for the demo, so the leadership reports (the annual report, s5.1;
equality monitoring, s6.3) show realistic figures rather than zeros.

About 300 customers (:mod:`portal.demo.history_people`), 40 of whom had a case opened in
the last financial year or the one before: behaviour (s3.1), informal steps and needs
(s3.2, s6.1), restrictions approved by a review manager, reviews on time and late (s3.4),
escalations (s3.3), calls ended, Community Safety referrals, appeals and reconsideration
requests with the SLA recorded (s3.4, s4). Disabled customers are restricted more often
than others, on purpose, so that the equality view has a disproportion to flag.

All of it is over before ``today``: every restriction ended, challenge decided, referral
and case closed, and the work was done by the history's own staff, so today's queues,
dashboards and caseloads are those of :mod:`portal.demo.personas`. Only ``flask demo load`` calls
this (tests and the browser suite load the small demo alone). Idempotent: staff, customers
and cases are found by email or reference first. Rows are inserted directly: the services
refuse dates in the past, and direct inserts write no audit events.
"""

import datetime as dt

from sqlalchemy import func, select

from portal.dates import add_months
from portal.demo.history_people import (
    Plan,
    case_reference,
    ensure_customers,
    ensure_staff,
    plans,
)
from portal.demo.history_records import DAY, HistoryRecords, at
from portal.demo.history_scenarios import PATTERNS, SCENARIOS
from portal.extensions import db
from portal.models import (
    Appeal,
    Case,
    Escalation,
    InformalStep,
    ReconsiderationRequest,
)
from portal.models.vocab import (
    AppealDecision,
    ReconsiderationDecision,
    ReferralKind,
)
from portal.models.vocab import InformalStepKind as Step
from portal.models.vocab import RestrictionStatus as Status
from portal.models.vocab import ReviewFrequency as Frequency
from portal.models.vocab import ReviewOutcome as Outcome


class _History(HistoryRecords):
    """The story of each case: opened, worked, perhaps restricted, closed."""

    def case(self, number: int, plan: Plan, customer_id: int) -> None:
        scenario = SCENARIOS[number % len(SCENARIOS)]
        officer = self.officers[number % len(self.officers)]
        opened = plan.opened_on
        case = self.add(
            Case(
                reference=case_reference(number),
                customer_id=customer_id,
                opened_at=at(opened, 9),
                opened_by_id=officer.id,
                case_officer_id=officer.id,
                summary=scenario.summary,
            )
        )
        told = scenario.incidents if plan.restricted else scenario.incidents[:2]
        incidents = [
            self.incident(case, officer, scenario, opened + dt.timedelta(days=day), *told[i])
            for i, day in enumerate((2, 12, 35)[: len(told)])
        ]
        step_on = opened + dt.timedelta(days=25)
        self.add(
            InformalStep(
                case=case,
                kind=scenario.step,
                taken_on=step_on,
                taken_by_id=officer.id,
                description=scenario.step_text,
                outcome="The behaviour continued."
                if plan.restricted
                else "Contact returned to a normal level; no restriction was needed.",
                support_organisation="Tenancy Sustainment Team"
                if scenario.step == Step.SUPPORT_REFERRAL
                else None,
            )
        )
        if scenario.step == Step.SUPPORT_REFERRAL:
            self.referral(case, officer, None, ReferralKind.SUPPORT, step_on)
        if plan.restricted:
            needs = self.needs(case, officer, opened + dt.timedelta(days=40), plan.customer)
            finished = self.restriction_story(number, plan, case, officer, needs, incidents)
        elif plan.turn % 4 == 1:  # proposed, but the review manager did not agree
            needs = self.needs(case, officer, opened + dt.timedelta(days=30), plan.customer)
            self.proposal(case, officer, needs, incidents, scenario, opened + 45 * DAY)
            finished = opened + dt.timedelta(days=45)
        else:
            finished = step_on + dt.timedelta(days=30)
        case.closed_at = at(min(finished + dt.timedelta(days=21), self.last_day), 16)

    def restriction_story(self, number, plan, case, officer, needs, incidents) -> dt.date:
        """The restriction from approval to its end; returns the day the last thing happened."""
        scenario = SCENARIOS[number % len(SCENARIOS)]
        starts = plan.opened_on + 50 * DAY
        pattern = list(PATTERNS)[plan.turn % len(PATTERNS)]
        months, days = PATTERNS[pattern]
        if add_months(starts, months) + days * DAY > self.last_day:
            pattern = "short"
        manager = self.managers[plan.turn % len(self.managers)]
        reviewer = self.managers[(plan.turn + 1) % len(self.managers)]
        met = (plan.turn // len(PATTERNS)) % 2 == 0
        length = {"short": 0, "overturned_on_appeal": 3}.get(pattern, 6)
        story = (scenario.reason, scenario.measures)
        made = self.restriction(case, officer, manager, needs, incidents, story, starts, length)
        if pattern == "varied_on_appeal":  # reviewed six-monthly, so only at its end
            made.review_frequency, made.next_review_on = Frequency.SIX_MONTHLY, made.ends_on
        if scenario.escalation and number % 2:
            self.add(
                Escalation(
                    case=case,
                    kind=scenario.escalation,
                    reason=scenario.reason,
                    proposed_by_id=officer.id,
                    approved_by_id=manager.id,
                    approved_at=at(starts + 12 * DAY),
                    decided_on=starts + 12 * DAY,
                    created_at=at(starts + 10 * DAY),
                )
            )
        due_on = made.next_review_on
        held_on = due_on - 2 * DAY if met else due_on + 9 * DAY
        customer_id = case.customer_id
        if pattern == "lifted_at_review":
            change = number % 2 == 1
            self.challenge(
                number,
                ReconsiderationRequest,
                made,
                customer_id,
                starts + 20 * DAY,
                ReconsiderationDecision.CHANGE_RESTRICTION
                if change
                else ReconsiderationDecision.NO_CHANGE,
                met,
            )
            if change:
                made.ends_on = add_months(starts, 4)
            made.next_review_on = due_on
            self.review(made, reviewer, due_on, held_on, Outcome.LIFT, "Contact is back to normal.")
            return self.end(made, Status.LIFTED, held_on, "Lifted at review.")
        if pattern == "kept_then_expired":
            self.challenge(
                number, Appeal, made, customer_id, starts + 14 * DAY, AppealDecision.UPHOLD, met
            )
            self.review(
                made,
                reviewer,
                due_on,
                held_on,
                Outcome.KEEP,
                "The behaviour has not improved; kept to its end date.",
                new_ends_on=made.ends_on,
            )
            return self.expire(made, reviewer)
        if pattern == "short":
            held_on = made.ends_on - DAY
            made.next_review_on = made.ends_on
            self.review(made, reviewer, made.ends_on, held_on, Outcome.LIFT, "No further contact.")
            return self.end(made, Status.LIFTED, held_on, "Lifted at review.")
        if pattern == "varied_at_review":
            held_on = due_on  # on time
            self.review(
                made, reviewer, due_on, held_on, Outcome.VARY, "Better, but still some contact."
            )
            self.end(made, Status.SUPERSEDED, held_on + DAY, "Replaced by a lighter restriction.")
            story = (scenario.reason, scenario.varied_measures)
            lighter = self.restriction(
                case, officer, manager, needs, incidents, story, held_on + DAY, 3
            )
            lighter.supersedes = made
            lighter.proposed_at, lighter.approved_at = at(held_on), at(held_on, 16)
            return self.expire(lighter, reviewer)
        decided_on = self.challenge(
            number,
            Appeal,
            made,
            customer_id,
            starts + 7 * DAY,
            AppealDecision.OVERTURN if pattern == "overturned_on_appeal" else AppealDecision.VARY,
            met,
        )
        if pattern == "overturned_on_appeal":
            return self.end(made, Status.OVERTURNED, decided_on, "Overturned on appeal.")
        made.ends_on = add_months(starts, 3)  # varied on appeal: shortened
        return self.expire(made, reviewer)


def _rows() -> int:
    return sum(
        db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    )


def load_demo_history(today: dt.date) -> int:
    """Create what is missing of the history; returns how many rows were created."""
    before = _rows()
    history = _History(today, ensure_staff())
    every_plan = plans(today)
    customers = ensure_customers(every_plan[0].opened_on - 5 * DAY)
    wanted = [case_reference(n) for n in range(len(every_plan))]
    existing = set(db.session.scalars(select(Case.reference).where(Case.reference.in_(wanted))))
    for number, plan in enumerate(every_plan):
        if case_reference(number) not in existing:
            history.case(number, plan, customers[plan.customer])
    db.session.commit()
    return _rows() - before
