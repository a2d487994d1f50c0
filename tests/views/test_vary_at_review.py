"""A review manager changes a restriction at its review, end to end (issue 15 item 1; s3.4).

Choosing "Change the restriction" used to save the review and land on a 403 at the
new-restriction form, with the restriction still overdue on both queues. Now the review
manager writes the change; saving it holds the review, puts the changed restriction in
place, ends the old one and leads to its letters.
"""

import datetime as dt

import sqlalchemy as sa

from portal import clock
from portal.dates import add_months
from portal.extensions import db
from portal.letters import services as letters
from portal.models import Restriction, Review
from portal.models.types import utcnow
from portal.models.vocab import LetterKind, RestrictionStatus, ReviewOutcome, Role
from portal.staff import services as queues
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user
from tests.helpers import check_page, csrf_token, date_fields, error_summary, parse, sign_in, url

TODAY = clock.today()


def overdue_restriction():
    officer, manager = make_user(Role.CASE_OFFICER), make_user(Role.REVIEW_MANAGER)
    case = make_ready_case(make_customer(), officer)
    restriction = make_active_restriction(
        case,
        officer,
        make_user(Role.REVIEW_MANAGER),
        starts_on=TODAY - dt.timedelta(days=100),
        next_review_on=TODAY - dt.timedelta(days=8),
    )
    db.session.commit()
    return case, restriction, manager


def post(client, path: str, data: dict):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def decide_to_vary(client, restriction_id: int):
    return post(
        client,
        url("restrictions.review", restriction_id=restriction_id),
        {
            "behaviour_improved": "yes",
            "outcome": ReviewOutcome.VARY.value,
            "explanation": "Calls are fewer; email only is now enough.",
        },
    )


CHANGE = {
    **date_fields("starts_on", TODAY),
    **date_fields("ends_on", add_months(TODAY, 3)),
    "review_frequency": "quarterly",
    "reason": "Fewer calls; email keeps a record for both sides.",
    "measures": "single_channel",
    "permitted_channel": "email",
    "single_point_of_contact_id": "0",
}


def test_a_review_manager_changes_a_restriction_at_review_and_is_led_to_its_letters(app, client):
    case, restriction, manager = overdue_restriction()
    old_id = restriction.id
    sign_in(client, manager.email)

    response = decide_to_vary(client, old_id)
    assert response.status_code == 303
    change_url = response.headers["Location"]
    assert change_url == url("restrictions.propose", case_id=case.id, replaces=old_id)
    page = client.get(change_url)
    assert page.status_code == 200  # was 403
    check_page(page.get_data(as_text=True))
    # Decided but not yet written: nothing is half-done, the review is still due.
    review = db.session.scalar(sa.select(Review).where(Review.restriction_id == old_id))
    assert review.outcome == ReviewOutcome.VARY and review.held_on is None
    assert [r.id for r, *_ in queues.reviews_due(TODAY)] == [old_id]

    response = post(client, change_url, CHANGE)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    assert response.headers["Location"] == url("letters.new", case_id=case.id)
    letters_page = client.get(response.headers["Location"])
    assert letters_page.status_code == 200  # the review manager may write the letters

    db.session.expire_all()
    old = db.session.get(Restriction, old_id)
    new = db.session.scalar(sa.select(Restriction).where(Restriction.supersedes_id == old_id))
    assert old.status == RestrictionStatus.SUPERSEDED
    assert new.status == RestrictionStatus.ACTIVE and new.approved_by_id == manager.id
    assert new.ends_on == add_months(TODAY, 3)
    review = db.session.scalar(sa.select(Review).where(Review.restriction_id == old_id))
    assert review.held_on == TODAY and review.reviewer_id == manager.id
    assert queues.reviews_due(TODAY) == []  # off the overdue queue
    kinds = {
        (p.kind, p.source_id) for p in letters.possible_letters(db.session.get(type(case), case.id))
    }
    assert (LetterKind.REVIEW_OUTCOME, review.id) in kinds
    assert (LetterKind.RESTRICTION_NOTICE, new.id) in kinds
    # The review outcome letter tells the customer why, in the reviewer's words.
    outcome = next(
        p
        for p in letters.possible_letters(db.session.get(type(case), case.id))
        if p.kind == LetterKind.REVIEW_OUTCOME
    )
    draft = letters.draft_letter(case, outcome, created_by=manager, now=utcnow())
    _facts, _checklist, document = letters.preview(draft, signatory=manager, today=TODAY)
    said = [
        p["text"] if isinstance(p, dict) else p
        for s in document["sections"]
        for p in s["paragraphs"]
    ]
    assert "Calls are fewer; email only is now enough." in said


def test_a_change_that_breaks_a_rule_is_refused_with_the_form_kept_and_nothing_saved(app, client):
    case, restriction, manager = overdue_restriction()
    sign_in(client, manager.email)
    change_url = decide_to_vary(client, restriction.id).headers["Location"]
    response = post(client, change_url, CHANGE | date_fields("ends_on", add_months(TODAY, 7)))
    assert response.status_code == 400
    assert [
        m for m in error_summary(response) if "no more than six months (policy section 3.5)" in m
    ]
    # The form keeps what was typed.
    reason = parse(response).cssselect('textarea[name="reason"]')[0].text_content().strip()
    assert reason == CHANGE["reason"]
    db.session.expire_all()
    assert db.session.get(Restriction, restriction.id).status == RestrictionStatus.ACTIVE
    assert db.session.scalar(sa.select(sa.func.count(Restriction.id))) == 1
    review = db.session.scalar(sa.select(Review).where(Review.restriction_id == restriction.id))
    assert review.held_on is None


def test_a_review_manager_may_not_propose_restrictions_otherwise(app, client):
    case, restriction, manager = overdue_restriction()
    sign_in(client, manager.email)
    assert client.get(url("restrictions.propose", case_id=case.id)).status_code == 404
    varying = url("restrictions.propose", case_id=case.id, replaces=restriction.id)
    assert client.get(varying).status_code == 404  # no review decided "change"
