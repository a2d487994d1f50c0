"""The reviews queue's "ended, awaiting review" list (s3.5) and its count: restrictions
that lapsed at their end date with a review not yet held, oldest end first. On PostgreSQL
the not-held reviews are gathered into an array first (issue 18); both databases."""

import datetime as dt

from portal.extensions import db
from portal.models import Review
from portal.models.vocab import RestrictionStatus, ReviewOutcome, Role
from portal.pagination import counted
from portal.staff import services as staff
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user

START = dt.date(2026, 1, 5)


def _restriction(officer, proposer, manager, *, status, ends_on, review_held_on=...):
    case = make_ready_case(make_customer(), officer)
    restriction = make_active_restriction(
        case, proposer, manager, starts_on=START, ends_on=ends_on, next_review_on=ends_on
    )
    restriction.status = status
    if status != RestrictionStatus.ACTIVE:
        restriction.ended_at = dt.datetime.combine(ends_on, dt.time(), tzinfo=dt.UTC)
    if review_held_on is not ...:
        review = Review(restriction_id=restriction.id, due_on=ends_on, held_on=review_held_on)
        if review_held_on is not None:
            review.reviewer_id = manager.id
            review.behaviour_improved = True
            review.outcome = ReviewOutcome.LIFT
        db.session.add(review)
    db.session.commit()
    return restriction


def test_only_ended_restrictions_with_a_review_not_held_are_listed_oldest_end_first(app):
    officer, proposer = make_user(Role.CASE_OFFICER), make_user(Role.CASE_OFFICER)
    manager = make_user(Role.REVIEW_MANAGER)

    def make(**fields):
        return _restriction(officer, proposer, manager, **fields)

    later = make(status=RestrictionStatus.EXPIRED, ends_on=dt.date(2026, 6, 1), review_held_on=None)
    sooner = make(
        status=RestrictionStatus.EXPIRED, ends_on=dt.date(2026, 5, 1), review_held_on=None
    )
    make(status=RestrictionStatus.EXPIRED, ends_on=dt.date(2026, 4, 1), review_held_on=START)
    make(status=RestrictionStatus.EXPIRED, ends_on=dt.date(2026, 3, 1))  # never flagged
    make(status=RestrictionStatus.ACTIVE, ends_on=dt.date(2026, 12, 1), review_held_on=None)
    make(status=RestrictionStatus.LIFTED, ends_on=dt.date(2026, 2, 1), review_held_on=None)

    rows = staff.ended_awaiting_review()
    assert [restriction.id for restriction, _case, _customer in rows] == [sooner.id, later.id]
    assert [case.id for _restriction, case, _customer in rows] == [sooner.case_id, later.case_id]
    assert counted(staff.ended_awaiting_review_ids()) == (2, False)
