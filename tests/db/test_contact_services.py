"""Contacts are checked against the restrictions in force, recorded, never dropped
(DESIGN.md "Beyond" 1)."""

import datetime as dt

import pytest

from portal.clock import LONDON
from portal.contacts import services as contacts
from portal.contacts.rules import ContactAttempt
from portal.models import RestrictionMeasure
from portal.models.types import utcnow
from portal.models.vocab import ContactChannel, ContactFinding, QuotaPeriod, RestrictionOption, Role
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user

TODAY = dt.datetime.now(LONDON).date()


@pytest.fixture
def restricted(app):
    officer, manager = make_user(Role.CASE_OFFICER), make_user(Role.REVIEW_MANAGER)
    customer = make_customer()
    case = make_ready_case(customer, officer)
    make_active_restriction(
        case,
        officer,
        manager,
        starts_on=TODAY - dt.timedelta(days=10),
        measures=[
            RestrictionMeasure(
                option=RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL
            ),
            RestrictionMeasure(
                option=RestrictionOption.CONTACT_LIMIT,
                contact_limit=2,
                limit_period=QuotaPeriod.WEEK,
            ),
            RestrictionMeasure(
                option=RestrictionOption.SINGLE_POINT_OF_CONTACT,
                single_point_of_contact_id=officer.id,
            ),
        ],
    )
    return customer, case, officer


def attempt(channel=ContactChannel.EMAIL, **fields):
    fields.setdefault("via_single_point_of_contact", True)
    return ContactAttempt(occurred_at=utcnow() - dt.timedelta(minutes=5), channel=channel, **fields)


def log(customer, officer, contact, case_id=None, **fields):
    return contacts.log_contact(
        customer,
        contact,
        summary="About the repair.",
        case_id=case_id,
        placed_on_file=fields.get("placed_on_file", False),
        logged_by=officer,
        local_day=TODAY,
        now=utcnow(),
    )


def test_a_telephone_call_breaks_an_email_only_restriction(restricted):
    customer, case, officer = restricted
    entry, checked = log(customer, officer, attempt(ContactChannel.TELEPHONE), case_id=case.id)
    assert entry.finding == ContactFinding.WRONG_CHANNEL
    assert entry.restriction_id is not None


def test_contact_over_the_weekly_limit_is_routed_to_the_single_point_of_contact(restricted):
    customer, case, officer = restricted
    for _ in range(2):
        entry, _checked = log(customer, officer, attempt())
        assert entry.finding == ContactFinding.WITHIN_RESTRICTION
    entry, checked = log(customer, officer, attempt())
    assert entry.finding == ContactFinding.OVER_LIMIT
    assert entry.routed_to_user_id == officer.id
    assert checked.assessment.accepted


@pytest.mark.parametrize(
    ("flag", "finding"),
    [
        ("is_emergency", ContactFinding.EMERGENCY),
        ("is_new_complaint", ContactFinding.NEW_COMPLAINT),
    ],
)
def test_emergencies_and_new_complaints_always_get_through(restricted, flag, finding):
    customer, case, officer = restricted
    entry, checked = log(
        customer,
        officer,
        attempt(ContactChannel.TELEPHONE, via_single_point_of_contact=False, **{flag: True}),
    )
    assert entry.finding == finding
    assert checked.assessment.breaches == ()
    assert entry.routed_to_user_id is None


def test_a_contact_for_another_customers_case_is_refused(restricted):
    customer, case, officer = restricted
    other = make_customer()
    with pytest.raises(contacts.WrongCustomer):
        log(other, officer, attempt(), case_id=case.id)


def test_a_customer_without_restrictions_is_not_restricted(app):
    officer = make_user(Role.CASE_OFFICER)
    entry, _checked = log(make_customer(), officer, attempt(ContactChannel.TELEPHONE))
    assert entry.finding == ContactFinding.NO_RESTRICTION and entry.restriction_id is None


def test_correspondence_placed_on_file_is_still_read(restricted):
    customer, case, officer = restricted
    entry, _checked = log(customer, officer, attempt(), placed_on_file=True)
    contacts.record_read(entry, reader=officer, now=utcnow())
    first = entry.read_for_new_information_at
    contacts.record_read(entry, reader=officer, now=utcnow() + dt.timedelta(hours=1))
    assert entry.read_for_new_information_at == first and entry.read_by_id == officer.id
