"""A sent draft's id may come back (SQLite gives a new row the id of a deleted last row):
the next person's appeal from a draft with that id is still theirs, and still sent."""

import datetime as dt

from portal import clock
from portal.challenges import services as challenges
from portal.models.types import utcnow
from portal.models.vocab import Role
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user

TODAY = clock.today()


def customer_with_restriction(officer, manager):
    account = make_user(Role.CUSTOMER)
    case = make_ready_case(make_customer(account), officer)
    restriction = make_active_restriction(
        case, officer, manager, starts_on=TODAY - dt.timedelta(days=3)
    )
    return account, restriction


def send(account, restriction):
    draft = challenges.start_draft("appeal", restriction, author=account, now=utcnow())
    draft_id = draft.id
    challenges.save_answers(draft, {"reasons": "Too long."}, utcnow())
    appeal = challenges.submit(draft, submitter=account, now=utcnow(), today=TODAY)
    return draft_id, appeal


def test_a_reused_draft_id_sends_the_next_persons_appeal(app):
    officer, manager = make_user(Role.CASE_OFFICER), make_user(Role.REVIEW_MANAGER)
    first, first_restriction = customer_with_restriction(officer, manager)
    second, second_restriction = customer_with_restriction(officer, manager)
    first_draft, first_appeal = send(first, first_restriction)
    second_draft, second_appeal = send(second, second_restriction)
    assert second_appeal.id != first_appeal.id
    assert second_appeal.customer_id == second_restriction.case.customer_id
    assert second_appeal.restriction_id == second_restriction.id
    # A double click on Send finds each person's own appeal, never the other's.
    assert challenges.submitted_from(first_draft, first.id) == first_appeal
    assert challenges.submitted_from(second_draft, second.id) == second_appeal
    assert challenges.submitted_from(first_draft, second.id) in (None, second_appeal)
