"""An advocate's authority counts only while valid (s3.2, s6.1; DESIGN.md "Beyond" 6)."""

import datetime as dt

from portal.advocate.services import valid_authorities_for
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
