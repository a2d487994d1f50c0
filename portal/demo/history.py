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
    is_disabled,
    plans,
)
from portal.demo.history_scenarios import PATTERNS, SCENARIOS, measure
from portal.extensions import db
from portal.models import (
    Appeal,
    Case,
    Escalation,
    Incident,
    InformalStep,
    NeedsConsideration,
    ReconsiderationRequest,
    Referral,
    Restriction,
    Review,
    TerminatedCall,
)
from portal.models.cases import IncidentBehaviour
from portal.models.vocab import (
    COMMUNITY_SAFETY_BEHAVIOURS,
    AppealDecision,
    ReconsiderationDecision,
    ReconsiderationGround,
    ReferralKind,
    ReferralStatus,
)
from portal.models.vocab import ChallengeStatus as Challenge
from portal.models.vocab import ContactChannel as Channel
from portal.models.vocab import InformalStepKind as Step
from portal.models.vocab import RestrictionStatus as Status
from portal.models.vocab import ReviewFrequency as Frequency
from portal.models.vocab import ReviewOutcome as Outcome

DAY = dt.timedelta(days=1)


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)


class _History:
    def __init__(self, today: dt.date, staff: dict):
        self.last_day = today - DAY
        self.officers = [staff["officer1"], staff["officer2"], staff["officer3"]]
        self.managers = [staff["manager1"], staff["manager2"], staff["manager3"]]
        self.directors = [staff["director1"], staff["director2"]]
        self.safety = staff["safety1"]

    @staticmethod
    def add(obj):
        db.session.add(obj)
        return obj

    def case(self, number: int, plan: Plan, customer_id: int) -> None:
        scenario = SCENARIOS[number % len(SCENARIOS)]
        officer = self.officers[number % len(self.officers)]
        opened = plan.opened_on
        case = self.add(
            Case(
                reference=case_reference(number),
                customer_id=customer_id,
                opened_at=_at(opened, 9),
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
        case.closed_at = _at(min(finished + dt.timedelta(days=21), self.last_day), 16)

    def incident(self, case, officer, scenario, day, behaviours, description) -> Incident:
        occurred = _at(day, 10)
        incident = self.add(
            Incident(
                case=case,
                occurred_at=occurred,
                channel=scenario.channel,
                description=description,
                reported_by="Customer Services",
                logged_by_id=officer.id,
                logged_at=occurred + dt.timedelta(hours=2),
            )
        )
        incident.behaviour_rows = [IncidentBehaviour(behaviour=b) for b in behaviours]
        if scenario.channel == Channel.TELEPHONE:
            self.add(
                TerminatedCall(
                    case=case,
                    incident=incident,
                    ended_at=occurred + dt.timedelta(minutes=12),
                    ended_by_id=officer.id,
                    customer_warned_first=(day.toordinal() % 4 != 0),
                    reason="The caller would not stop shouting after being asked twice.",
                )
            )
        if COMMUNITY_SAFETY_BEHAVIOURS & set(behaviours) and not case.referrals:
            self.referral(case, officer, incident, ReferralKind.COMMUNITY_SAFETY, day + DAY)
        return incident

    def referral(self, case, officer, incident, kind, day) -> None:
        self.add(
            Referral(
                case=case,
                kind=kind,
                status=ReferralStatus.CLOSED,
                reason="Threats or abuse towards staff."
                if kind == ReferralKind.COMMUNITY_SAFETY
                else "Support to manage the tenancy.",
                incident=incident,
                created_at=_at(day, 11),
                created_by_id=officer.id,
                accepted_by_id=self.safety.id if kind == ReferralKind.COMMUNITY_SAFETY else None,
                closed_at=_at(day + dt.timedelta(days=20), 15),
                outcome="Reviewed and closed; no further action.",
            )
        )

    def needs(self, case, officer, day, customer: int) -> NeedsConsideration:
        disabled = is_disabled(customer)
        return self.add(
            NeedsConsideration(
                case=case,
                recorded_by_id=officer.id,
                recorded_at=_at(day),
                needs_summary="Has told us of a disability; support needs discussed."
                if disabled
                else "No communication or support needs known.",
                advocate_considered=True,
                advocate_notes="An advocate was offered.",
                could_be_unmet_need=disabled,
                unmet_need_notes="Considered whether the contact reflects an unmet support need."
                if disabled
                else "",
                adjustments_made="Letters in large print; one named contact." if disabled else "",
            )
        )

    def proposal(self, case, officer, needs, incidents, scenario, starts_on) -> None:
        self.add(
            Restriction(
                case=case,
                status=Status.REJECTED,
                starts_on=starts_on,
                ends_on=add_months(starts_on, 3),
                review_frequency=Frequency.QUARTERLY,
                next_review_on=add_months(starts_on, 3),
                reason=scenario.reason,
                proposed_by_id=officer.id,
                proposed_at=_at(starts_on - 5 * DAY),
                rejection_reason="The informal steps are working; a restriction is not needed.",
                needs_consideration=needs,
                incidents=incidents,
            )
        )

    def restriction(self, case, officer, approver, needs, incidents, story, starts_on, months):
        """Approved by a review manager, in force from ``starts_on`` for ``months`` (30 days
        for 0), reviewed quarterly; ``story`` is (reason, measure keys)."""
        reason, measures = story
        ends_on = add_months(starts_on, months) if months else starts_on + 30 * DAY
        restriction = self.add(
            Restriction(
                case=case,
                status=Status.ACTIVE,
                starts_on=starts_on,
                ends_on=ends_on,
                review_frequency=Frequency.QUARTERLY,
                next_review_on=min(add_months(starts_on, 3), ends_on),
                reason=reason,
                proposed_by_id=officer.id,
                proposed_at=_at(starts_on - 6 * DAY),
                approved_by_id=approver.id,
                approved_at=_at(starts_on - 2 * DAY, 15),
                needs_consideration=needs,
                incidents=incidents,
            )
        )
        restriction.measures = [measure(key, officer.id, starts_on) for key in measures]
        return restriction

    def review(self, restriction, reviewer, due_on, held_on, outcome, explanation, **fields):
        self.add(
            Review(
                restriction=restriction,
                due_on=due_on,
                held_on=held_on,
                reviewer_id=reviewer.id,
                behaviour_improved=outcome != Outcome.KEEP,
                outcome=outcome,
                explanation=explanation,
                created_at=_at(min(held_on, due_on + DAY), 9),
                **fields,
            )
        )

    @staticmethod
    def end(restriction, status, day, reason) -> dt.date:
        restriction.status, restriction.end_reason = status, reason
        restriction.ended_at = _at(day, 17)
        return day

    def expire(self, restriction, reviewer) -> dt.date:
        """s3.5: it lapsed at its end date and the flagged review was then held."""
        ends_on = restriction.ends_on
        self.end(restriction, Status.EXPIRED, ends_on + DAY, "Reached its end date.")
        restriction.next_review_on = ends_on
        held_on = ends_on + 3 * DAY
        self.review(
            restriction,
            reviewer,
            ends_on,
            held_on,
            Outcome.LIFT,
            "Reached its end date; "
            "the behaviour has not returned, so no new restriction is needed.",
        )
        return held_on

    def challenge(self, number, kind, restriction, customer_id, submitted_on, decision, met):
        """An appeal (s3.4) or reconsideration request (s4), recorded by the case officer from
        the customer's letter and decided by an appeals director; returns the decision day."""
        from portal.challenges.rules import answer_due_on, appeal_due_on  # a blueprint package

        due_on = (appeal_due_on if kind is Appeal else answer_due_on)(submitted_on)
        decided_on = due_on - DAY if met else due_on + 6 * DAY
        fields = dict(
            reference=f"{'AP' if kind is Appeal else 'RC'}-H{number + 1:04d}",
            customer_id=customer_id,
            restriction=restriction,
            submitted_by_id=restriction.proposed_by_id,
            submitted_at=_at(submitted_on, 14),
            status=Challenge.DECIDED,
            decision=decision,
            decision_reasons={
                AppealDecision.UPHOLD: "The restriction was needed and in proportion.",
                AppealDecision.VARY: "Needed, but for a shorter time than set.",
                AppealDecision.OVERTURN: "The informal steps had not been given enough time.",
                ReconsiderationDecision.NO_CHANGE: "Nothing new changes the decision.",
                ReconsiderationDecision.CHANGE_RESTRICTION: "New support is in place; shortened.",
            }[decision],
            decided_by_id=self.directors[number % len(self.directors)].id,
            decided_at=_at(decided_on, 15),
            sla_met=decided_on <= due_on,
        )
        if kind is Appeal:
            fields.update(grounds="I was not given a fair chance to explain.", due_on=due_on)
        else:
            fields.update(
                ground=ReconsiderationGround.CHANGE_IN_CIRCUMSTANCES,
                details="I now have a support worker helping me with my contact.",
                answer_due_on=due_on,
            )
        self.add(kind(**fields))
        return decided_on

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
                    approved_at=_at(starts + 12 * DAY),
                    decided_on=starts + 12 * DAY,
                    created_at=_at(starts + 10 * DAY),
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
            lighter.proposed_at, lighter.approved_at = _at(held_on), _at(held_on, 16)
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
