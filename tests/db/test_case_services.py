"""Case and restriction services against a real database: every rule of issue 4, every
refusal saving nothing, every change audited (s3.1–s3.5, s6)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from portal import clock
from portal.cases import refusals as case_refusals
from portal.cases import services as cases
from portal.dates import add_months
from portal.extensions import db
from portal.models import AuditEvent, Referral, Restriction, Review
from portal.models.types import utcnow
from portal.models.vocab import (
    BehaviourType,
    ContactChannel,
    EscalationKind,
    InformalStepKind,
    QuotaPeriod,
    RestrictionOption,
    RestrictionStatus,
    ReviewFrequency,
    ReviewOutcome,
    Role,
)
from portal.restrictions import rules
from portal.restrictions import services as restrictions
from tests.factories import (
    make_active_restriction,
    make_case,
    make_customer,
    make_ready_case,
    make_user,
)

TODAY = clock.today()
EMAIL_ONLY = [
    rules.MeasureSpec(RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL)
]


@pytest.fixture
def staff(app):
    return {
        "officer": make_user(Role.CASE_OFFICER),
        "manager": make_user(Role.REVIEW_MANAGER),
        "director": make_user(Role.APPEALS_DIRECTOR),
    }


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def proposal(**overrides) -> restrictions.Proposal:
    fields = {
        "starts_on": TODAY,
        "ends_on": add_months(TODAY, 6),
        "review_frequency": ReviewFrequency.QUARTERLY,
        "reason": "Repeated calls.",
        "measures": EMAIL_ONLY,
    }
    fields.update(overrides)
    return restrictions.Proposal(**fields)


# --- incidents and informal steps -------------------------------------------------------


@pytest.mark.parametrize(
    ("behaviour", "referred"),
    [
        (BehaviourType.VERBAL_ABUSE_OR_VIOLENCE, True),
        (BehaviourType.OFFENSIVE_LANGUAGE, True),
        (BehaviourType.CONTACT_OVERLOAD, False),
    ],
)
def test_abuse_threats_or_violence_go_to_community_safety(staff, behaviour, referred):
    case = make_case(make_customer(), staff["officer"])
    incident, referral = cases.log_incident(
        case,
        occurred_at=utcnow() - dt.timedelta(hours=1),
        channel=ContactChannel.TELEPHONE,
        behaviours=[behaviour],
        description="What happened.",
        reported_by="Repairs",
        logged_by=staff["officer"],
        now=utcnow(),
    )
    assert (referral is not None) is referred
    assert count(Referral) == (1 if referred else 0)
    assert incident.behaviours == frozenset({behaviour})
    assert "incident_log" in actions()


def test_an_incident_in_the_future_is_refused_and_nothing_saved(staff):
    case = make_case(make_customer(), staff["officer"])
    with pytest.raises(case_refusals.IncidentInFuture) as refusal:
        cases.log_incident(
            case,
            occurred_at=utcnow() + dt.timedelta(days=1),
            channel=ContactChannel.EMAIL,
            behaviours=[BehaviourType.HARASSMENT],
            description="x",
            reported_by="y",
            logged_by=staff["officer"],
            now=utcnow(),
        )
    from portal.cases.routes import FIELD_OF

    assert FIELD_OF[type(refusal.value)] == "occurred_at"
    db.session.rollback()
    assert actions() == []


def test_a_support_referral_must_name_the_organisation(staff):
    case = make_case(make_customer(), staff["officer"])
    with pytest.raises(case_refusals.CaseRuleBroken):
        cases.record_informal_step(
            case,
            kind=InformalStepKind.SUPPORT_REFERRAL,
            taken_on=TODAY,
            description="Referred.",
            outcome="Waiting.",
            support_organisation="  ",
            taken_by=staff["officer"],
            today=TODAY,
        )


def test_an_escalation_needs_a_senior_approver_other_than_the_proposer(staff):
    case = make_case(make_customer(), staff["officer"])
    with pytest.raises(case_refusals.CaseRuleBroken):
        cases.record_escalation(
            case,
            kind=EscalationKind.POLICE,
            reason="Threats to kill.",
            approver=staff["officer"],
            decided_on=TODAY,
            proposed_by=staff["officer"],
            now=utcnow(),
        )
    escalation = cases.record_escalation(
        case,
        kind=EscalationKind.POLICE,
        reason="Threats to kill.",
        approver=staff["director"],
        decided_on=TODAY,
        proposed_by=staff["officer"],
        now=utcnow(),
    )
    assert escalation.approved_by_id == staff["director"].id


# --- proposing ---------------------------------------------------------------------------


def test_no_restriction_without_an_informal_step(staff):
    case = make_case(make_customer(), staff["officer"])
    with pytest.raises(rules.InformalStepMissing):
        restrictions.propose_restriction(
            case, proposal(), proposed_by=staff["officer"], today=TODAY, now=utcnow()
        )
    db.session.rollback()
    assert count(Restriction) == 0


def test_no_restriction_without_the_needs_consideration(staff):
    case = make_case(make_customer(), staff["officer"])
    cases.record_informal_step(
        case,
        kind=InformalStepKind.WARNING,
        taken_on=TODAY,
        description="Warned.",
        outcome="Continued.",
        support_organisation=None,
        taken_by=staff["officer"],
        today=TODAY,
    )
    with pytest.raises(rules.NeedsConsiderationMissing):
        restrictions.propose_restriction(
            case, proposal(), proposed_by=staff["officer"], today=TODAY, now=utcnow()
        )


@pytest.mark.parametrize(
    ("overrides", "refusal"),
    [
        ({"ends_on": add_months(TODAY, 6) + dt.timedelta(days=1)}, rules.RestrictionTooLong),
        ({"ends_on": add_months(TODAY, 7)}, rules.RestrictionTooLong),
        ({"ends_on": TODAY - dt.timedelta(days=1)}, rules.EndNotAfterStart),
        ({"starts_on": TODAY - dt.timedelta(days=1)}, rules.StartInPast),
        ({"measures": []}, rules.NoMeasures),
        (
            {
                "measures": [
                    rules.MeasureSpec(
                        RestrictionOption.CONTACT_LIMIT,
                        contact_limit=0,
                        limit_period=QuotaPeriod.WEEK,
                    )
                ]
            },
            rules.ContactLimitInvalid,
        ),
        (
            {
                "measures": [
                    rules.MeasureSpec(
                        RestrictionOption.CONTACT_LIMIT,
                        contact_limit=-2,
                        limit_period=QuotaPeriod.WEEK,
                    )
                ]
            },
            rules.ContactLimitInvalid,
        ),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_saved(staff, overrides, refusal):
    case = make_ready_case(make_customer(), staff["officer"])
    with pytest.raises(refusal) as raised:
        restrictions.propose_restriction(
            case, proposal(**overrides), proposed_by=staff["officer"], today=TODAY, now=utcnow()
        )
    assert raised.value.section.startswith("s3.")
    db.session.rollback()
    assert count(Restriction) == 0
    assert "restriction_propose" not in actions()


def test_a_clash_with_a_recorded_need_needs_a_justification(staff):
    deaf = make_customer(cannot_use_telephone=True)
    case = make_ready_case(deaf, staff["officer"])
    phone_only = [
        rules.MeasureSpec(
            RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.TELEPHONE
        )
    ]
    with pytest.raises(rules.NeedsConflictUnjustified) as refusal:
        restrictions.propose_restriction(
            case,
            proposal(measures=phone_only),
            proposed_by=staff["officer"],
            today=TODAY,
            now=utcnow(),
        )
    assert [c.need for c in refusal.value.conflicts] == ["cannot_use_telephone"]
    db.session.rollback()
    restriction = restrictions.propose_restriction(
        case,
        proposal(measures=phone_only, needs_conflict_justification="Text relay agreed."),
        proposed_by=staff["officer"],
        today=TODAY,
        now=utcnow(),
    )
    assert restriction.needs_conflict_justification == "Text relay agreed."


def test_a_proposal_gets_its_review_date_and_waits_for_approval(staff):
    case = make_ready_case(make_customer(), staff["officer"])
    restriction = restrictions.propose_restriction(
        case, proposal(), proposed_by=staff["officer"], today=TODAY, now=utcnow()
    )
    assert restriction.status == RestrictionStatus.PROPOSED
    assert restriction.next_review_on == add_months(TODAY, 3)
    assert restriction.needs_consideration_id is not None
    with pytest.raises(rules.SelfApproval):
        restrictions.approve_restriction(restriction, approver=staff["officer"], now=utcnow())
    restrictions.approve_restriction(restriction, approver=staff["manager"], now=utcnow())
    assert restriction.status == RestrictionStatus.ACTIVE
    assert actions()[-2:] == ["restriction_propose", "restriction_approve"]
    with pytest.raises(restrictions.NotAllowedNow):
        restrictions.approve_restriction(restriction, approver=staff["manager"], now=utcnow())


def test_an_approved_variation_replaces_the_old_restriction(staff):
    case = make_ready_case(make_customer(), staff["officer"])
    old = make_active_restriction(case, staff["officer"], staff["manager"], starts_on=TODAY)
    new = restrictions.propose_restriction(
        case, proposal(replaces_id=old.id), proposed_by=staff["officer"], today=TODAY, now=utcnow()
    )
    restrictions.approve_restriction(new, approver=staff["manager"], now=utcnow())
    assert old.status == RestrictionStatus.SUPERSEDED and old.ended_at is not None


# --- reviews and expiry ------------------------------------------------------------------


def test_keeping_needs_an_explanation_and_a_new_end_within_six_months(staff):
    case = make_ready_case(make_customer(), staff["officer"])
    restriction = make_active_restriction(
        case, staff["officer"], staff["manager"], starts_on=TODAY - dt.timedelta(days=90)
    )
    with pytest.raises(rules.KeepNeedsExplanation):
        restrictions.record_review(
            restriction,
            reviewer=staff["manager"],
            behaviour_improved=False,
            outcome=ReviewOutcome.KEEP,
            explanation="",
            new_ends_on=None,
            today=TODAY,
            now=utcnow(),
        )
    db.session.rollback()
    with pytest.raises(rules.RestrictionTooLong):
        restrictions.record_review(
            restriction,
            reviewer=staff["manager"],
            behaviour_improved=False,
            outcome=ReviewOutcome.KEEP,
            explanation="Still calling daily.",
            new_ends_on=add_months(TODAY, 7),
            today=TODAY,
            now=utcnow(),
        )
    db.session.rollback()
    assert count(Review) == 0
    review = restrictions.record_review(
        restriction,
        reviewer=staff["manager"],
        behaviour_improved=False,
        outcome=ReviewOutcome.KEEP,
        explanation="Still calling daily.",
        new_ends_on=add_months(TODAY, 4),
        today=TODAY,
        now=utcnow(),
    )
    assert review.held_on == TODAY
    assert restriction.ends_on == add_months(TODAY, 4)
    assert restriction.next_review_on == add_months(TODAY, 3)


def test_lifting_ends_the_restriction(staff):
    case = make_ready_case(make_customer(), staff["officer"])
    restriction = make_active_restriction(
        case, staff["officer"], staff["manager"], starts_on=TODAY - dt.timedelta(days=90)
    )
    restrictions.record_review(
        restriction,
        reviewer=staff["manager"],
        behaviour_improved=True,
        outcome=ReviewOutcome.LIFT,
        explanation="Much better.",
        new_ends_on=None,
        today=TODAY,
        now=utcnow(),
    )
    assert restriction.status == RestrictionStatus.LIFTED


def test_expiry_ends_and_flags_restrictions_once(staff):
    case = make_ready_case(make_customer(), staff["officer"])
    past = make_active_restriction(
        case,
        staff["officer"],
        staff["manager"],
        starts_on=TODAY - dt.timedelta(days=200),
        ends_on=TODAY - dt.timedelta(days=1),
        next_review_on=TODAY - dt.timedelta(days=100),
    )
    current = make_active_restriction(case, staff["officer"], staff["manager"], starts_on=TODAY)
    assert [r.id for r in restrictions.expire_restrictions(today=TODAY, now=utcnow())] == [past.id]
    assert restrictions.expire_restrictions(today=TODAY, now=utcnow()) == []
    db.session.expire_all()
    assert db.session.get(Restriction, past.id).status == RestrictionStatus.EXPIRED
    assert db.session.get(Restriction, current.id).status == RestrictionStatus.ACTIVE
    flagged = db.session.scalars(sa.select(Review)).all()
    assert len(flagged) == 1 and flagged[0].held_on is None
