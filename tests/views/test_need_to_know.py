"""Health and support notes only for staff who need them, each view audited (issue 14
item 9; portal.special_category; UK GDPR Art. 9; ASVS 8.2.3)."""

import datetime as dt

import pytest
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import AuditEvent, NeedsConsideration
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.special_category import SPECIAL_CATEGORY_VIEW, may_see_special_category
from tests.factories import make_active_restriction, make_case, make_customer, make_user
from tests.helpers import check_page, main_text, parse, sign_in, sign_out, text_of, url

SUPPORT_NOTE = "Canary: epilepsy, seizures when stressed"
NEEDS_SUMMARY = "Canary: bipolar disorder, in crisis since March"
MEDICAL_NOTE = "Canary: medication review pending"


@pytest.fixture
def world(app):
    """A customer with health notes, an open case worked by one officer, a restriction."""
    officer = make_user(Role.CASE_OFFICER)
    manager = make_user(Role.REVIEW_MANAGER)
    customer = make_customer(support_needs=SUPPORT_NOTE, cannot_use_telephone=True)
    case = make_case(customer, officer)
    db.session.add(
        NeedsConsideration(
            case=case,
            recorded_by_id=officer.id,
            recorded_at=utcnow(),
            needs_summary=NEEDS_SUMMARY,
            medical_or_support_considerations=MEDICAL_NOTE,
            advocate_considered=True,
        )
    )
    db.session.commit()
    restriction = make_active_restriction(
        case, officer, manager, starts_on=clock.today() - dt.timedelta(days=10)
    )
    return {
        "officer": officer,
        "manager": manager,
        "customer_id": customer.id,
        "case_id": case.id,
        "restriction_id": restriction.id,
    }


def pages(world) -> dict[str, str]:
    return {
        "customer_record": url("customer_records.record", customer_id=world["customer_id"]),
        "case": url("cases.show", case_id=world["case_id"]),
        "restriction": url("restrictions.show", restriction_id=world["restriction_id"]),
    }


def views_recorded(user_id: int) -> list[str]:
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == SPECIAL_CATEGORY_VIEW, AuditEvent.actor_user_id == user_id
        )
    )
    return sorted(event.details["page"] for event in events)


def read(client, page_url: str):
    response = client.get(page_url, query_string={"lang": "en"})
    assert response.status_code == 200
    return response, check_page(response.get_data(as_text=True))


def anywhere_on(response) -> str:
    """The page's text and every attribute value: wherever a note could be shown or hidden."""
    page = parse(response)
    return " ".join([text_of(page), *(v for e in page.iter() for v in e.attrib.values())])


@pytest.mark.parametrize("who", ["community_safety", "officer_without_a_case"])
def test_staff_without_a_need_do_not_see_health_notes(client, world, who):
    role = Role.COMMUNITY_SAFETY if who == "community_safety" else Role.CASE_OFFICER
    viewer = make_user(role)
    sign_in(client, viewer.email)
    for page_url in pages(world).values():
        response, page = read(client, page_url)
        for note in (SUPPORT_NOTE, NEEDS_SUMMARY, MEDICAL_NOTE):
            assert note not in anywhere_on(response), page_url
        assert "support-needs" not in page.ids and "needs-considered" not in page.ids
        # How to reach the customer is for everyone who may contact them.
        assert "Cannot use the telephone" in main_text(response)
    # The restriction (the last page read) says why.
    assert "see what was recorded about the customer" in main_text(response)
    assert views_recorded(viewer.id) == []


def test_the_customers_case_officer_sees_them_and_each_view_is_audited(client, world):
    sign_in(client, world["officer"].email)
    urls = pages(world)
    record, record_page = read(client, urls["customer_record"])
    assert SUPPORT_NOTE in main_text(record) and "support-needs" in record_page.ids
    case, _page = read(client, urls["case"])
    assert NEEDS_SUMMARY in main_text(case) and SUPPORT_NOTE in main_text(case)
    restriction, restriction_page = read(client, urls["restriction"])
    assert NEEDS_SUMMARY in main_text(restriction)
    assert "needs-considered" in restriction_page.ids
    assert views_recorded(world["officer"].id) == ["case", "customer_record", "restriction"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == SPECIAL_CATEGORY_VIEW))
    assert event.customer_id == world["customer_id"] and event.remote_addr


def test_the_review_manager_sees_them_while_the_case_is_open_only(client, world):
    manager = world["manager"]
    sign_in(client, manager.email)
    response, _page = read(client, pages(world)["restriction"])
    assert NEEDS_SUMMARY in main_text(response)
    sign_out(client)
    from portal.models import Case

    db.session.get(Case, world["case_id"]).closed_at = utcnow()
    db.session.commit()
    sign_in(client, manager.email)
    response, _page = read(client, pages(world)["case"])
    assert NEEDS_SUMMARY not in anywhere_on(response) and SUPPORT_NOTE not in anywhere_on(response)
    assert views_recorded(manager.id) == ["restriction"]


def test_the_rule_itself(app, world):
    """One function answers for every page (portal.special_category)."""
    officer, manager = world["officer"], world["manager"]
    customer_id = world["customer_id"]
    director = make_user(Role.APPEALS_DIRECTOR)
    both = make_user(Role.COMMUNITY_SAFETY, Role.CASE_OFFICER)
    assert may_see_special_category(officer, customer_id)
    assert may_see_special_category(manager, customer_id)
    assert may_see_special_category(director, customer_id)
    assert not may_see_special_category(both, customer_id)  # no case of theirs
    for role in (Role.LEADERSHIP, Role.ADMIN, Role.DATA_STEWARD, Role.COMMUNITY_SAFETY):
        assert not may_see_special_category(make_user(role), customer_id)
    other = make_customer()
    assert not may_see_special_category(officer, other.id)  # not this officer's customer
