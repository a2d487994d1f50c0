"""The database itself refuses records the policy forbids, on SQLite and PostgreSQL alike.

Relies only on the ``app`` fixture (app context pushed, empty migrated database). Setup rows
are committed so that rolling back an expected failure leaves them in place; references are
random so the tests do not depend on a fresh database.
"""

import datetime as dt
import types
import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import (
    Appeal,
    Attachment,
    Case,
    ComplaintRefusal,
    Customer,
    Incident,
    InformalStep,
    Letter,
    NeedsConsideration,
    ReconsiderationRequest,
    Restriction,
    RestrictionMeasure,
    Review,
    User,
)
from portal.models.letters import IssuedLetterChanged
from portal.models.vocab import (
    AppealDecision,
    BehaviourType,
    ChallengeStatus,
    ContactChannel,
    InformalStepKind,
    LetterFormat,
    LetterKind,
    LetterStatus,
    QuotaPeriod,
    ReconsiderationGround,
    RestrictionOption,
    RestrictionStatus,
    ReviewFrequency,
    ReviewOutcome,
)

START = dt.date(2026, 3, 2)
END = dt.date(2026, 9, 1)
FIRST_REVIEW = dt.date(2026, 6, 1)
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
REASON = "You called 40 times in one week."


def _token() -> str:
    return uuid.uuid4().hex[:8].upper()


def _user(name: str) -> User:
    return User(email=f"{name}-{_token().lower()}@example.org", display_name=name.title())


def _world() -> types.SimpleNamespace:
    """Staff, a customer, a case and a needs record, committed. Staff are plain ids: reading
    an expired attribute mid-test would autoflush half-built rows."""
    officer, manager, director = _user("officer"), _user("manager"), _user("director")
    customer = Customer(reference=f"C-{_token()}", full_name="Sam Tenant", postcode="BS1 4DJ")
    db.session.add_all([officer, manager, director, customer])
    db.session.flush()
    case = Case(customer=customer, reference=f"MB-{_token()}", opened_by_id=officer.id)
    needs = NeedsConsideration(
        case=case, recorded_by_id=officer.id, needs_summary="No relevant needs disclosed."
    )
    db.session.add_all([case, needs])
    db.session.commit()
    return types.SimpleNamespace(
        officer=officer.id,
        manager=manager.id,
        director=director.id,
        customer=customer,
        case=case,
        needs=needs,
    )


def _restriction(w, **changes) -> Restriction:
    values = dict(
        case=w.case,
        needs_consideration=w.needs,
        starts_on=START,
        ends_on=END,
        review_frequency=ReviewFrequency.QUARTERLY,
        next_review_on=FIRST_REVIEW,
        reason=REASON,
        proposed_by_id=w.officer,
    )
    return Restriction(**(values | changes))


def _active_restriction(w) -> Restriction:
    restriction = _restriction(
        w, status=RestrictionStatus.ACTIVE, approved_by_id=w.manager, approved_at=NOW
    )
    db.session.add(restriction)
    db.session.commit()
    return restriction


def _assert_refused(*rows) -> None:
    db.session.add_all(rows)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def _appeal(w, **changes) -> Appeal:
    values = dict(
        reference=f"AP-{_token()}",
        customer=w.customer,
        grounds="The calls were about an unrepaired leak.",
        submitted_by_id=w.officer,
    )
    return Appeal(**(values | changes))


MISSING_PARAMETERS = [
    pytest.param(dict(option=RestrictionOption.SINGLE_POINT_OF_CONTACT), id="spoc-unnamed"),
    pytest.param(dict(option=RestrictionOption.ADVOCATE_OFFERED), id="advocate-no-date"),
    pytest.param(dict(option=RestrictionOption.SINGLE_CHANNEL), id="channel-missing"),
    pytest.param(
        dict(option=RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.IN_PERSON),
        id="channel-not-restrictable",
    ),
    pytest.param(
        dict(
            option=RestrictionOption.SET_TIMES,
            permitted_from=dt.time(10),
            permitted_until=dt.time(12),
        ),
        id="times-no-weekdays",
    ),
    pytest.param(
        dict(option=RestrictionOption.SET_TIMES, permitted_weekdays="0", permitted_from=dt.time(9)),
        id="times-no-until",
    ),
    pytest.param(
        dict(
            option=RestrictionOption.SET_TIMES,
            permitted_weekdays="0,2",
            permitted_from=dt.time(14),
            permitted_until=dt.time(10),
        ),
        id="times-backwards",
    ),
    pytest.param(
        dict(option=RestrictionOption.CONTACT_LIMIT, limit_period=QuotaPeriod.WEEK), id="limit-none"
    ),
    pytest.param(
        dict(
            option=RestrictionOption.CONTACT_LIMIT, contact_limit=0, limit_period=QuotaPeriod.MONTH
        ),
        id="limit-zero",
    ),
    pytest.param(
        dict(option=RestrictionOption.CONTACT_LIMIT, contact_limit=2), id="limit-no-period"
    ),
    pytest.param(
        dict(option=RestrictionOption.COMPLAINT_DECLINED, declined_complaint_reference="CMP-1"),
        id="declined-no-reason",
    ),
    pytest.param(
        dict(option=RestrictionOption.COMPLAINT_DECLINED, declined_complaint_reason="Daily."),
        id="declined-no-reference",
    ),
    pytest.param(dict(option=RestrictionOption.PREMISES_BARRED), id="premises-unnamed"),
    pytest.param(
        dict(option=RestrictionOption.PREMISES_BARRED, barred_premises=""), id="premises-empty"
    ),
]


@pytest.mark.parametrize("measure", MISSING_PARAMETERS)
def test_a_measure_without_its_parameters_is_refused(app, measure):
    restriction = _restriction(_world())
    db.session.add(restriction)
    db.session.commit()
    _assert_refused(RestrictionMeasure(restriction_id=restriction.id, **measure))


def test_the_same_option_twice_in_one_restriction_is_refused(app):
    restriction = _restriction(_world())
    db.session.add(restriction)
    db.session.commit()
    limit = dict(option=RestrictionOption.CONTACT_LIMIT, limit_period=QuotaPeriod.MONTH)
    _assert_refused(
        RestrictionMeasure(restriction_id=restriction.id, contact_limit=4, **limit),
        RestrictionMeasure(restriction_id=restriction.id, contact_limit=8, **limit),
    )


@pytest.mark.parametrize("ends_on", [START, START - dt.timedelta(days=1)], ids=["same", "before"])
def test_a_restriction_must_end_after_it_starts(app, ends_on):
    w = _world()
    _assert_refused(_restriction(w, ends_on=ends_on, next_review_on=START))


@pytest.mark.parametrize(
    "review_on", [START - dt.timedelta(days=1), END + dt.timedelta(days=1)], ids=["before", "after"]
)
def test_the_next_review_falls_within_the_restriction(app, review_on):
    _assert_refused(_restriction(_world(), next_review_on=review_on))


def test_an_officer_cannot_approve_their_own_proposal(app):
    w = _world()
    _assert_refused(
        _restriction(w, status=RestrictionStatus.ACTIVE, approved_by_id=w.officer, approved_at=NOW)
    )


@pytest.mark.parametrize(
    "status", [RestrictionStatus.ACTIVE, RestrictionStatus.LIFTED, RestrictionStatus.EXPIRED]
)
def test_a_restriction_in_force_or_ended_must_have_been_approved(app, status):
    _assert_refused(_restriction(_world(), status=status, ended_at=NOW))


def test_a_rejection_needs_a_reason(app):
    _assert_refused(_restriction(_world(), status=RestrictionStatus.REJECTED))


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(dict(new_ends_on=END), id="no-explanation"),
        pytest.param(dict(explanation="Calls continued daily."), id="no-new-end"),
    ],
)
def test_keeping_a_restriction_needs_an_explanation_and_an_end(app, changes):
    w = _world()
    restriction = _active_restriction(w)
    review = Review(
        restriction=restriction,
        due_on=FIRST_REVIEW,
        held_on=FIRST_REVIEW,
        reviewer_id=w.manager,
        behaviour_improved=False,
        outcome=ReviewOutcome.KEEP,
        **changes,
    )
    _assert_refused(review)


def test_a_review_outcome_needs_a_held_date_and_a_reviewer(app):
    restriction = _active_restriction(_world())
    _assert_refused(
        Review(restriction=restriction, due_on=FIRST_REVIEW, outcome=ReviewOutcome.LIFT)
    )


def test_an_informal_step_needs_an_outcome(app):
    w = _world()
    _assert_refused(
        InformalStep(
            case=w.case,
            kind=InformalStepKind.CONVERSATION,
            taken_on=START,
            taken_by_id=w.officer,
            outcome="",
        )
    )


@pytest.mark.parametrize("both", [True, False], ids=["both", "neither"])
def test_a_challenge_is_against_exactly_one_decision(app, both):
    w = _world()
    restriction = _active_restriction(w)
    refusal = ComplaintRefusal(
        case=w.case,
        complaint_reference="CMP-9",
        reason="The same complaint, a fourth time.",
        decided_by_id=w.manager,
        decided_on=START,
    )
    db.session.add(refusal)
    db.session.commit()
    targets = dict(restriction_id=restriction.id, complaint_refusal_id=refusal.id) if both else {}
    _assert_refused(_appeal(w, **targets))
    _assert_refused(
        ReconsiderationRequest(
            reference=f"RC-{_token()}",
            customer=w.customer,
            ground=ReconsiderationGround.FACTUAL_ERROR,
            details="I was in hospital on the day of the second call.",
            submitted_by_id=w.officer,
            answer_due_on=START + dt.timedelta(days=14),
            **targets,
        )
    )


def test_one_open_appeal_per_restriction(app):
    w = _world()
    restriction = _active_restriction(w)
    first = _appeal(w, restriction_id=restriction.id)
    db.session.add(first)
    db.session.commit()

    _assert_refused(_appeal(w, restriction_id=restriction.id))

    first.status = ChallengeStatus.DECIDED
    first.decision = AppealDecision.UPHOLD
    first.decision_reasons = "The restriction is proportionate."
    first.decided_by_id = w.director
    first.decided_at = NOW
    db.session.commit()
    db.session.add(_appeal(w, restriction_id=restriction.id))
    db.session.commit()
    assert len(db.session.get(Restriction, restriction.id).appeals) == 2


def test_a_decision_needs_a_decider_and_reasons(app):
    w = _world()
    restriction = _active_restriction(w)
    _assert_refused(
        _appeal(
            w,
            restriction_id=restriction.id,
            status=ChallengeStatus.DECIDED,
            decision=AppealDecision.OVERTURN,
            decided_at=NOW,
        )
    )


def _letter(w, **changes) -> Letter:
    values = dict(
        reference=f"L-{_token()}",
        customer=w.customer,
        case=w.case,
        kind=LetterKind.RESTRICTION_NOTICE,
        locale="en",
        requested_format=LetterFormat.HTML,
        content={"reason": REASON},
        created_by_id=w.officer,
    )
    return Letter(**(values | changes))


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(dict(status=LetterStatus.ISSUED, content_sha256="0" * 64), id="no-issued-at"),
        pytest.param(dict(status=LetterStatus.ISSUED, issued_at=NOW), id="no-hash"),
        pytest.param(dict(issued_at=NOW, content_sha256="0" * 64), id="draft-with-issue"),
    ],
)
def test_an_issued_letter_is_sealed(app, changes):
    _assert_refused(_letter(_world(), **changes))


def test_an_issued_letters_content_cannot_change(app):
    w = _world()
    letter = _letter(w)
    db.session.add(letter)
    db.session.commit()
    letter.status, letter.issued_at, letter.content_sha256 = LetterStatus.ISSUED, NOW, "a" * 64
    db.session.commit()

    letter.content = {"reason": "Something else."}
    with pytest.raises(IssuedLetterChanged):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Letter, letter.id).content == {"reason": REASON}


def test_an_attachment_must_belong_to_something(app):
    w = _world()
    _assert_refused(
        Attachment(
            storage_key=uuid.uuid4().hex,
            original_filename="photo.jpg",
            media_type="image/jpeg",
            size_bytes=1024,
            sha256="f" * 64,
            uploaded_by_id=w.officer,
        )
    )


def test_a_full_case_saves_and_reloads(app):
    w = _world()
    incident = Incident(
        case=w.case,
        occurred_at=NOW - dt.timedelta(days=20),
        channel=ContactChannel.TELEPHONE,
        description="Shouted and swore at the call handler.",
        reported_by="Contact centre",
        logged_by_id=w.officer,
    )
    db.session.add(incident)
    incident.behaviours = {BehaviourType.VERBAL_ABUSE_OR_VIOLENCE, BehaviourType.CONTACT_OVERLOAD}
    step = InformalStep(
        case=w.case,
        kind=InformalStepKind.WARNING,
        taken_on=START - dt.timedelta(days=10),
        taken_by_id=w.officer,
        outcome="Calls continued.",
    )
    restriction = _restriction(
        w, status=RestrictionStatus.ACTIVE, approved_by_id=w.manager, approved_at=NOW
    )
    restriction.incidents.append(incident)
    restriction.measures = [
        RestrictionMeasure(
            option=RestrictionOption.SINGLE_POINT_OF_CONTACT,
            single_point_of_contact_id=w.officer,
        ),
        RestrictionMeasure(
            option=RestrictionOption.SET_TIMES,
            permitted_weekdays="1,3",
            permitted_from=dt.time(10),
            permitted_until=dt.time(12, 30),
        ),
    ]
    review = Review(
        restriction=restriction,
        due_on=FIRST_REVIEW,
        held_on=FIRST_REVIEW,
        reviewer_id=w.manager,
        behaviour_improved=False,
        outcome=ReviewOutcome.KEEP,
        explanation="Calls still daily; kept for three more months.",
        new_ends_on=END,
    )
    db.session.add_all([incident, step, restriction, review])
    db.session.commit()
    case_id, restriction_id = w.case.id, restriction.id
    db.session.expunge_all()

    case = db.session.get(Case, case_id)
    assert case.incidents[0].behaviours == {
        BehaviourType.VERBAL_ABUSE_OR_VIOLENCE,
        BehaviourType.CONTACT_OVERLOAD,
    }
    assert case.incidents[0].occurred_at == NOW - dt.timedelta(days=20)
    assert case.informal_steps[0].outcome == "Calls continued."
    restriction = db.session.get(Restriction, restriction_id)
    assert restriction in case.restrictions
    assert restriction.needs_consideration.case_id == case_id
    assert [i.id for i in restriction.incidents] == [case.incidents[0].id]
    assert {m.option for m in restriction.measures} == {
        RestrictionOption.SINGLE_POINT_OF_CONTACT,
        RestrictionOption.SET_TIMES,
    }
    times = next(m for m in restriction.measures if m.option == RestrictionOption.SET_TIMES)
    assert (times.permitted_from, times.permitted_until) == (dt.time(10), dt.time(12, 30))
    assert restriction.reviews[0].outcome == ReviewOutcome.KEEP
    assert restriction.reviews[0].new_ends_on == END
    assert restriction.version_id == 1
