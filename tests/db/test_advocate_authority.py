"""An advocate's authority counts only while valid (s3.2, s6.1; DESIGN.md "Beyond" 6)."""

import datetime as dt

from portal.authority import valid_authorities_for
from portal.extensions import db
from portal.models import AdvocateAuthority
from portal.models.types import utcnow
from portal.models.vocab import AdvocateRelationship, Role
from tests.factories import make_customer, make_user

TODAY = dt.date(2026, 11, 25)


def grant(advocate, customer, **fields):
    authority = AdvocateAuthority(
        customer=customer,
        advocate_user=advocate,
        advocate_name=advocate.display_name,
        advocate_email=advocate.email,
        relationship_to_customer=AdvocateRelationship.FRIEND,
        **fields,
    )
    db.session.add(authority)
    db.session.commit()
    return authority


def test_only_current_unrevoked_authorities_count(app):
    advocate = make_user(Role.ADVOCATE)
    current = grant(advocate, make_customer())
    grant(advocate, make_customer(), expires_on=TODAY - dt.timedelta(days=1))
    grant(advocate, make_customer(), revoked_at=utcnow())
    last_day = grant(advocate, make_customer(), expires_on=TODAY)
    grant(make_user(Role.ADVOCATE), make_customer())  # someone else's
    assert {a.id for a in valid_authorities_for(advocate.id, TODAY)} == {current.id, last_day.id}
    assert current.is_valid_on(TODAY)
    assert last_day.is_valid_on(TODAY) and not last_day.is_valid_on(TODAY + dt.timedelta(days=1))


def test_one_module_answers_who_may_see_act_and_read_letters(app):
    """portal.authority (s6.1): the customer themself; an advocate only within a valid
    authority's scope; nobody for another customer."""
    from portal import authority

    customer_user = make_user(Role.CUSTOMER)
    customer = make_customer(customer_user)
    viewer, actor, copies_only = (make_user(Role.ADVOCATE) for _ in range(3))
    grant(viewer, customer, can_view=True)
    grant(actor, customer, can_view=True, can_act=True)
    grant(copies_only, customer, can_view=True, receives_letter_copies=True)
    expired = make_user(Role.ADVOCATE)
    grant(expired, customer, can_act=True, expires_on=TODAY - dt.timedelta(days=1))
    stranger = make_customer(make_user(Role.CUSTOMER))

    assert authority.customers_viewable_by(customer_user, TODAY) == {customer.id}
    assert authority.customers_actable_by(customer_user, TODAY) == {customer.id}
    assert authority.customers_viewable_by(viewer, TODAY) == {customer.id}
    assert authority.customers_actable_by(viewer, TODAY) == set()
    assert authority.customers_actable_by(actor, TODAY) == {customer.id}
    assert authority.customers_viewable_by(expired, TODAY) == set()
    assert authority.authority_for(actor, customer.id, TODAY, to_act=True) is not None
    assert authority.authority_for(viewer, customer.id, TODAY, to_act=True) is None
    assert authority.authority_for(customer_user, customer.id, TODAY) is None  # not an advocate
    for user in (customer_user, viewer, copies_only):
        assert authority.may_read_letters_of(user, customer.id, TODAY)
    assert not authority.may_read_letters_of(expired, customer.id, TODAY)
    assert not authority.may_read_letters_of(viewer, stranger.id, TODAY)
    assert not authority.may_read_letters_of(customer_user, stranger.id, TODAY)
