"""A restriction that calls for a notice, with everything a notice needs (issue 5)."""

import datetime as dt

from portal.extensions import db
from portal.models import Incident
from portal.models.cases import IncidentBehaviour
from portal.models.types import utcnow
from portal.models.vocab import BehaviourType, ContactChannel, Role
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user

STARTS_ON = dt.date(2026, 9, 2)


def make_notice_world(*, with_director=True, with_incident=True, **customer_fields):
    """(case, restriction, officer, customer): a case officer's active restriction for a
    customer with an account, and (by default) an appeals director and a logged incident."""
    officer = make_user(Role.CASE_OFFICER, display_name="Olivia Carter")
    manager = make_user(Role.REVIEW_MANAGER, display_name="Ravi Shah")
    if with_director:
        make_user(Role.APPEALS_DIRECTOR, display_name="Helen Price")
    customer_user = make_user(Role.CUSTOMER)
    fields = {
        "full_name": "Jordan Ellis",
        "address": "14 Clift Road, Bristol",
        "email": "jordan@example.com",
    } | customer_fields
    customer = make_customer(customer_user, **fields)
    case = make_ready_case(customer, officer)
    if with_incident:
        incident = Incident(
            case=case,
            occurred_at=utcnow() - dt.timedelta(days=90),
            channel=ContactChannel.TELEPHONE,
            description="Eleven calls in one day.",
            reported_by="Customer Services",
            logged_by_id=officer.id,
        )
        incident.behaviour_rows = [IncidentBehaviour(behaviour=BehaviourType.CONTACT_OVERLOAD)]
        db.session.add(incident)
        db.session.commit()
    restriction = make_active_restriction(case, officer, manager, starts_on=STARTS_ON)
    return case, restriction, officer, customer
