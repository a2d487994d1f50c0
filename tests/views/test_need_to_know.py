"""Health and support notes only for staff who need them, each view audited (issue 14
item 9; portal.special_category; UK GDPR Art. 9; ASVS 8.2.3)."""

import datetime as dt

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, NeedsConsideration
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.special_category import SPECIAL_CATEGORY_VIEW, may_see_special_category
from tests.factories import make_active_restriction, make_case, make_customer, make_user
from tests.helpers import check_page, sign_in, sign_out

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
        case, officer, manager, starts_on=dt.date.today() - dt.timedelta(days=10)
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
        "customer_record": f"/staff/customers/{world['customer_id']}",
        "case": f"/staff/cases/{world['case_id']}",
        "restriction": f"/staff/restrictions/{world['restriction_id']}",
    }


def views_recorded(user_id: int) -> list[str]:
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == SPECIAL_CATEGORY_VIEW, AuditEvent.actor_user_id == user_id
        )
    )
    return sorted(event.details["page"] for event in events)


def read(client, url: str):
    response = client.get(url + "?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html, check_page(html)


@pytest.mark.parametrize("who", ["community_safety", "officer_without_a_case"])
def test_staff_without_a_need_do_not_see_health_notes(client, world, who):
    role = Role.COMMUNITY_SAFETY if who == "community_safety" else Role.CASE_OFFICER
    viewer = make_user(role)
    sign_in(client, viewer.email)
    for url in pages(world).values():
        html, page = read(client, url)
        for note in (SUPPORT_NOTE, NEEDS_SUMMARY, MEDICAL_NOTE):
            assert note not in html, url
        assert "support-needs" not in page.ids and "needs-considered" not in page.ids
        # How to reach the customer is for everyone who may contact them.
        assert "Cannot use the telephone" in html
    assert "see what was recorded about the customer" in html  # the restriction says why
    assert views_recorded(viewer.id) == []


def test_the_customers_case_officer_sees_them_and_each_view_is_audited(client, world):
    sign_in(client, world["officer"].email)
    urls = pages(world)
    record, record_page = read(client, urls["customer_record"])
    assert SUPPORT_NOTE in record and "support-needs" in record_page.ids
    case, _page = read(client, urls["case"])
    assert NEEDS_SUMMARY in case and SUPPORT_NOTE in case
    restriction, restriction_page = read(client, urls["restriction"])
    assert NEEDS_SUMMARY in restriction and "needs-considered" in restriction_page.ids
    assert views_recorded(world["officer"].id) == ["case", "customer_record", "restriction"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == SPECIAL_CATEGORY_VIEW))
    assert event.customer_id == world["customer_id"] and event.remote_addr


def test_the_review_manager_sees_them_while_the_case_is_open_only(client, world):
    manager = world["manager"]
    sign_in(client, manager.email)
    html, _page = read(client, pages(world)["restriction"])
    assert NEEDS_SUMMARY in html
    sign_out(client)
    from portal.models import Case

    db.session.get(Case, world["case_id"]).closed_at = utcnow()
    db.session.commit()
    sign_in(client, manager.email)
    html, _page = read(client, pages(world)["case"])
    assert NEEDS_SUMMARY not in html and SUPPORT_NOTE not in html
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
