"""The staff to-do list (issue 15 item 7) on both databases: each role's items, nothing
for a role the person does not hold, and a constant number of SQL statements."""

import datetime as dt

import pytest

from portal import clock
from portal.extensions import db
from portal.models import Letter, Referral
from portal.models.types import utcnow
from portal.models.vocab import (
    LetterFormat,
    LetterKind,
    LetterStatus,
    ReferralKind,
    RestrictionStatus,
    Role,
)
from portal.notices import to_do
from portal.notices.to_do import letters_to_issue_query, to_do_for
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user
from tests.helpers import statements_while

TODAY = clock.today()


@pytest.fixture
def staff(app):
    return {
        "officer": make_user(Role.CASE_OFFICER),
        "manager": make_user(Role.REVIEW_MANAGER),
        "director": make_user(Role.APPEALS_DIRECTOR),
        "safety": make_user(Role.COMMUNITY_SAFETY),
    }


def restriction_in_place(staff, *, next_review_on=None):
    case = make_ready_case(make_customer(), staff["officer"])
    return make_active_restriction(
        case,
        staff["officer"],
        staff["manager"],
        starts_on=TODAY - dt.timedelta(days=100),
        next_review_on=next_review_on,
    )


def proposed(staff):
    restriction = restriction_in_place(staff)
    restriction.status = RestrictionStatus.PROPOSED
    restriction.approved_by_id = restriction.approved_at = None
    db.session.commit()
    return restriction


def issue_notice(restriction, officer):
    db.session.add(
        Letter(
            reference=f"L-{restriction.id:06d}",
            customer_id=restriction.case.customer_id,
            case_id=restriction.case_id,
            kind=LetterKind.RESTRICTION_NOTICE,
            status=LetterStatus.ISSUED,
            locale="en",
            requested_format=LetterFormat.HTML,
            content={"title": "Notice"},
            restriction_id=restriction.id,
            created_by_id=officer.id,
            issued_by_id=officer.id,
            issued_at=utcnow(),
            content_sha256="0" * 64,
        )
    )
    db.session.commit()


def letters_to_issue(officer_id: int) -> list:
    return db.session.execute(letters_to_issue_query(officer_id)).all()


def texts(user):
    return [(item.text, item.endpoint, item.values) for item in to_do_for(user, TODAY)]


def test_the_case_officer_sees_each_letter_waiting_after_approval(staff):
    waiting = restriction_in_place(staff)
    issued = restriction_in_place(staff)
    issue_notice(issued, staff["officer"])
    assert [row[0] for row in letters_to_issue(staff["officer"].id)] == [waiting.id]
    assert texts(staff["officer"]) == [
        (
            f"Issue the letter for the restriction approved on case {waiting.case.reference}",
            "letters.new",
            {"case_id": waiting.case_id},
        )
    ]
    assert texts(staff["director"]) == []  # not theirs


def test_the_review_manager_sees_proposals_and_overdue_reviews(staff):
    proposed(staff)
    proposed(staff)
    restriction_in_place(staff, next_review_on=TODAY - dt.timedelta(days=1))
    assert texts(staff["manager"]) == [
        ("2 proposed restrictions are waiting for your approval", "staff.reviews", {}),
        ("1 review is overdue", "staff.reviews", {}),
    ]


def test_a_managers_own_proposal_is_not_on_their_list(staff):
    both = make_user(Role.CASE_OFFICER, Role.REVIEW_MANAGER)
    restriction = proposed(staff)
    restriction.proposed_by_id = both.id
    db.session.commit()
    assert all("approval" not in text for text, _e, _v in texts(both))


def test_community_safety_sees_referrals_waiting_to_be_accepted(staff):
    case = make_ready_case(make_customer(), staff["officer"])
    db.session.add(
        Referral(
            case_id=case.id,
            kind=ReferralKind.COMMUNITY_SAFETY,
            reason="Threats.",
            created_by_id=staff["officer"].id,
        )
    )
    db.session.commit()
    assert texts(staff["safety"]) == [
        ("1 referral is waiting to be accepted", "staff.community_safety", {})
    ]


def count_statements(user) -> int:
    return len(statements_while(lambda: to_do_for(user, TODAY)))


def test_the_list_takes_the_same_number_of_statements_however_long(staff):
    everything = make_user(
        Role.CASE_OFFICER, Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR, Role.COMMUNITY_SAFETY
    )
    staff["officer"] = everything
    restriction_in_place(staff)
    few = count_statements(everything)
    for _ in range(5):
        restriction_in_place(staff)
        proposed(staff)
    db.session.expire_all()
    assert count_statements(everything) == few
    assert len(letters_to_issue(everything.id)) == 6
    # Five letters named, one item for the sixth, one for the approvals.
    assert len(to_do_for(everything, TODAY)) == to_do.LETTERS_NAMED + 1 + 1


def test_the_oldest_letters_are_named_and_the_rest_lead_to_the_whole_list(staff):
    """However many letters wait, the list names the oldest few and counts the rest in one
    item leading to the letters-to-issue page (issue 18)."""
    waiting = [restriction_in_place(staff) for _ in range(to_do.LETTERS_NAMED + 2)]
    items = to_do_for(staff["officer"], TODAY)
    named = [item for item in items if item.endpoint == "letters.new"]
    assert [item.values["case_id"] for item in named] == [
        r.case_id for r in waiting[: to_do.LETTERS_NAMED]
    ]
    assert items[-1] == to_do.ToDoItem(
        "2 more restrictions are waiting for their letters", "staff.letters_to_issue"
    )
    issue_notice(waiting[-1], staff["officer"])
    assert to_do_for(staff["officer"], TODAY)[-1].text == (
        "1 more restriction is waiting for its letter"
    )
