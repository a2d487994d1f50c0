"""What the restriction page offers each viewer is decided once, in
portal/restrictions/page.py (s3.4: the proposer never decides on their own proposal)."""

from portal import clock
from portal.extensions import db
from portal.models import Review
from portal.models.vocab import RestrictionStatus, ReviewOutcome, Role
from portal.restrictions.page import viewer_may
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user


def _restriction():
    officer, manager = make_user(Role.CASE_OFFICER), make_user(Role.REVIEW_MANAGER)
    case = make_ready_case(make_customer(), officer)
    return make_active_restriction(case, officer, manager, starts_on=clock.today()), officer


def test_a_proposal_is_decided_by_another_review_manager(app):
    restriction, officer = _restriction()
    proposer = make_user(Role.REVIEW_MANAGER, Role.CASE_OFFICER)
    other_manager = make_user(Role.REVIEW_MANAGER)
    restriction.status, restriction.proposed_by_id = RestrictionStatus.PROPOSED, proposer.id
    db.session.commit()
    assert viewer_may(restriction, other_manager).decide
    own = viewer_may(restriction, proposer)
    assert not own.decide and own.decide_but_proposed_it
    assert not viewer_may(restriction, officer).decide
    assert not viewer_may(restriction, make_user(Role.APPEALS_DIRECTOR)).decide_but_proposed_it


def test_reviews_and_variations_are_offered_to_the_right_people(app):
    restriction, officer = _restriction()
    manager = make_user(Role.REVIEW_MANAGER)
    assert viewer_may(restriction, manager).review
    assert not viewer_may(restriction, officer).review
    assert not viewer_may(restriction, officer).propose_variation
    db.session.add(
        Review(
            restriction=restriction,
            due_on=clock.today(),
            held_on=clock.today(),
            reviewer_id=manager.id,
            behaviour_improved=False,
            outcome=ReviewOutcome.VARY,
            explanation="Needs a different channel.",
        )
    )
    db.session.commit()
    db.session.refresh(restriction)
    assert viewer_may(restriction, officer).propose_variation
    assert not viewer_may(restriction, manager).propose_variation
