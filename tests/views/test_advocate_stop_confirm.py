"""Stopping an advocate is confirmed first, and the customer can change what the advocate
may do instead (issue 15 item 12; DESIGN.md "Scoped advocates")."""

from portal.extensions import db
from portal.models import AdvocateAuthority
from portal.models.vocab import Role
from tests.factories import make_customer, make_user
from tests.helpers import csrf_token, parse, sign_in, text_of, url


def world():
    user = make_user(Role.CUSTOMER)
    customer = make_customer(user, full_name="Ada Lovelace")
    authority = AdvocateAuthority(
        customer_id=customer.id,
        advocate_name="Carol Jones",
        advocate_email="carol@example.com",
        relationship_to_customer="friend",
        can_view=True,
        can_act=True,
        receives_letter_copies=True,
    )
    db.session.add(authority)
    db.session.commit()
    return user, authority


def test_the_list_only_links_to_a_confirm_page_which_stops_them(app, client):
    user, authority = world()
    sign_in(client, user.email)
    listing = parse(client.get(url("my.advocates_list")))
    revoke = url("my.revoke", authority_id=authority.id)
    assert listing.cssselect(f'form[action="{revoke}"]') == []  # no one-click stop
    stop = url("my.stop_advocate", authority_id=authority.id)
    assert listing.cssselect(f'main a[href="{stop}"]')

    confirm = parse(client.get(stop))
    assert text_of(confirm.cssselect("h1")[0]) == "Stop Carol Jones acting for you?"
    [button] = confirm.cssselect(f'form[action="{revoke}"] button')
    assert text_of(button) == "Yes, stop them acting for me"
    response = client.post(revoke, data={"csrf_token": csrf_token(client, stop)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(AdvocateAuthority, authority.id).revoked_at is not None


def test_the_customer_can_narrow_the_scope_instead(app, client):
    user, authority = world()
    sign_in(client, user.email)
    stop = url("my.stop_advocate", authority_id=authority.id)
    page = parse(client.get(stop))
    checked = {box.get("value") for box in page.cssselect("input[name=scope][checked]")}
    assert checked == {"act", "copies"}
    [legend] = [text_of(x) for x in page.cssselect("fieldset legend")]
    assert legend == "What can they do for you?"
    response = client.post(
        url("my.change_advocate_scope", authority_id=authority.id),
        data={"csrf_token": csrf_token(client, stop), "scope": ["copies"]},
    )
    assert response.status_code == 303
    db.session.expire_all()
    changed = db.session.get(AdvocateAuthority, authority.id)
    assert (changed.can_view, changed.can_act, changed.receives_letter_copies) == (
        True,
        False,
        True,
    )
    assert changed.revoked_at is None
