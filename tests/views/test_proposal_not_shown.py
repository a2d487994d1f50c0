"""A proposed restriction is not a decision: the customer is told nothing about it until
the review manager approves it, then by letter (s3.2, s3.4; issue 15 item 12)."""

from portal.extensions import db
from portal.models.vocab import RestrictionStatus
from tests.helpers import main_text, parse, sign_in, url
from tests.letter_fixtures import make_notice_world


def test_the_customer_is_told_nothing_of_a_proposal_until_it_is_approved(app, client):
    case, restriction, _officer, customer = make_notice_world()
    approved = restriction.approved_by_id, restriction.approved_at
    restriction.status = RestrictionStatus.PROPOSED
    restriction.approved_by_id = restriction.approved_at = None
    restriction.reason = "Eleven calls in one day, proposal only."
    db.session.commit()

    sign_in(client, customer.user.email)
    home = client.get(url("my.home"))
    assert parse(home).cssselect("main .govuk-summary-card") == []
    words = main_text(home)
    assert "There are no restrictions on how you contact us." in words
    assert "proposal only" not in words and "propos" not in words.lower()

    restriction.approved_by_id, restriction.approved_at = approved
    restriction.status = RestrictionStatus.ACTIVE
    db.session.commit()
    assert "There are no restrictions on how you contact us." not in main_text(
        client.get(url("my.home"))
    )
