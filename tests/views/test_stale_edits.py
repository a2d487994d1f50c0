"""Issue 14 item 11c: two people save the same needs page; the second is told, not
silently overwritten onto the first (SECURITY.md §5, optimistic concurrency)."""

import pytest
from sqlalchemy import func, select

from portal.clock import today
from portal.customer_side.services import (
    Needs,
    StaleNeedsEdit,
    needs_version,
    update_needs,
)
from portal.extensions import db
from portal.models import AdvocateAuthority, AuditEvent, Customer
from portal.models.types import utcnow
from portal.models.vocab import AdvocateRelationship, Role
from tests.factories import make_customer, make_user
from tests.helpers import check_page, error_summary, parse, sign_in, summary_list, url

STALE = "Someone else changed these needs after you opened this page"


def open_form(client, url) -> dict:
    """Load the needs page as a browser would and keep its hidden fields."""
    page = client.get(url)
    assert page.status_code == 200
    hidden = {
        field.get("name"): field.get("value", "")
        for field in parse(page).cssselect('main form input[type="hidden"]')
        if field.get("name") in {"csrf_token", "version"}
    }
    assert set(hidden) == {"csrf_token", "version"}, hidden
    return hidden


def answers(support_needs: str, **more) -> dict:
    return {"locale": "en", "letter_format": "html", "support_needs": support_needs, **more}


@pytest.fixture
def customer_and_advocate(app):
    customer_user = make_user(Role.CUSTOMER)
    customer = make_customer(customer_user, full_name="Jordan Ellis")
    advocate = make_user(Role.ADVOCATE)
    db.session.add(
        AdvocateAuthority(
            customer_id=customer.id,
            advocate_user_id=advocate.id,
            advocate_name="Sam Ellis",
            advocate_email=advocate.email,
            relationship_to_customer=AdvocateRelationship.FAMILY_MEMBER,
            can_view=True,
            can_act=True,
        )
    )
    db.session.commit()
    return customer, customer_user, advocate


def saved_support_needs(customer_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Customer, customer_id).support_needs


def test_the_second_of_two_saves_is_refused_clearly_and_the_first_kept(app, customer_and_advocate):
    customer, customer_user, advocate = customer_and_advocate
    own_url = url("my.needs")
    advocate_url = url("advocate.customer_needs", customer_id=customer.id)
    first, second = app.test_client(), app.test_client()
    sign_in(first, customer_user.email)
    sign_in(second, advocate.email)
    first_form = open_form(first, own_url)
    second_form = open_form(second, advocate_url)

    saved = first.post(own_url, data={**first_form, **answers("I use a wheelchair.")})
    assert saved.status_code == 303
    refused = second.post(
        advocate_url, data={**second_form, **answers("Jordan is deaf.", channel="email")}
    )

    assert refused.status_code == 409
    check_page(refused.get_data(as_text=True))
    assert [message for message in error_summary(refused) if message.startswith(STALE)]
    # What the second person typed is kept, beside what is saved now.
    page = parse(refused)
    assert page.get_element_by_id("support_needs").text_content().strip() == "Jordan is deaf."
    assert "I use a wheelchair." in summary_list(refused).values()
    assert saved_support_needs(customer.id) == "I use a wheelchair."
    events = db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "needs_updated")
    )
    assert events == 1


def test_after_seeing_the_message_a_deliberate_second_save_goes_through(app, customer_and_advocate):
    customer, customer_user, _advocate = customer_and_advocate
    needs_url = url("my.needs")
    first, second = app.test_client(), app.test_client()
    sign_in(first, customer_user.email)
    sign_in(second, customer_user.email)  # the same person on a phone and a laptop
    first_form, second_form = open_form(first, needs_url), open_form(second, needs_url)
    assert (
        first.post(needs_url, data={**first_form, **answers("From the phone.")}).status_code == 303
    )
    refused = second.post(needs_url, data={**second_form, **answers("From the laptop.")})
    assert refused.status_code == 409
    # The refused page carries the version now saved: saving again is a choice made
    # having seen the other change, so it goes through.
    [version] = [
        field.get("value")
        for field in parse(refused).cssselect('input[type="hidden"][name="version"]')
    ]
    assert version != second_form["version"]
    again = second.post(
        needs_url, data={**second_form, "version": version, **answers("From the laptop.")}
    )
    assert again.status_code == 303
    assert saved_support_needs(customer.id) == "From the laptop."


def test_the_service_refuses_a_stale_version(app, customer_and_advocate):
    customer, customer_user, _advocate = customer_and_advocate
    seen = needs_version(customer)
    first = Needs.of(customer)
    first.support_needs = "Large print please."
    update_needs(
        customer, first, actor=customer_user, now=utcnow(), today=today(), seen_version=seen
    )
    second = Needs.of(customer)
    second.support_needs = "Phone calls only in the morning."
    with pytest.raises(StaleNeedsEdit):
        update_needs(
            customer, second, actor=customer_user, now=utcnow(), today=today(), seen_version=seen
        )
    db.session.rollback()
    assert saved_support_needs(customer.id) == "Large print please."


def test_a_letter_choice_made_meanwhile_is_not_undone_by_an_open_needs_form(
    app, customer_and_advocate
):
    """The letter page's language and format choice changes the same needs."""
    from portal.letters import services as letters
    from portal.models.vocab import LetterFormat

    customer, customer_user, _advocate = customer_and_advocate
    client = app.test_client()
    sign_in(client, customer_user.email)
    form = open_form(client, url("my.needs"))
    letters.remember_choice(
        db.session.get(Customer, customer.id),
        locale="cy",
        letter_format=LetterFormat.PDF,
        actor=customer_user,
        today=today(),
    )
    refused = client.post(url("my.needs"), data={**form, **answers("")})
    assert refused.status_code == 409
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).preferred_locale == "cy"
