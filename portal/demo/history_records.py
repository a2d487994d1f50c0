"""How the demo history writes each kind of record (see :mod:`portal.demo.history`):
incidents, referrals, needs, proposals, restrictions, reviews, endings and challenges."""

import datetime as dt

from portal.dates import add_months
from portal.demo.history_people import (
    is_disabled,
)
from portal.demo.history_scenarios import measure
from portal.extensions import db
from portal.models import (
    Appeal,
    Incident,
    NeedsConsideration,
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
from portal.models.vocab import RestrictionStatus as Status
from portal.models.vocab import ReviewFrequency as Frequency
from portal.models.vocab import ReviewOutcome as Outcome

DAY = dt.timedelta(days=1)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)


class HistoryRecords:
    """Writes one record of each kind, as the staff of the demo history did."""

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

    def incident(self, case, officer, scenario, day, behaviours, description) -> Incident:
        occurred = at(day, 10)
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
                created_at=at(day, 11),
                created_by_id=officer.id,
                accepted_by_id=self.safety.id if kind == ReferralKind.COMMUNITY_SAFETY else None,
                closed_at=at(day + dt.timedelta(days=20), 15),
                outcome="Reviewed and closed; no further action.",
            )
        )

    def needs(self, case, officer, day, customer: int) -> NeedsConsideration:
        disabled = is_disabled(customer)
        return self.add(
            NeedsConsideration(
                case=case,
                recorded_by_id=officer.id,
                recorded_at=at(day),
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
                proposed_at=at(starts_on - 5 * DAY),
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
                proposed_at=at(starts_on - 6 * DAY),
                approved_by_id=approver.id,
                approved_at=at(starts_on - 2 * DAY, 15),
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
                created_at=at(min(held_on, due_on + DAY), 9),
                **fields,
            )
        )

    @staticmethod
    def end(restriction, status, day, reason) -> dt.date:
        restriction.status, restriction.end_reason = status, reason
        restriction.ended_at = at(day, 17)
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
            submitted_at=at(submitted_on, 14),
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
            decided_at=at(decided_on, 15),
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
