"""Issue 6, items 5–8 through the real pages: a customer nominates an advocate, who accepts
the emailed invitation by creating an account, acts, and loses access at once when the
customer revokes it; staff record an advocate only with evidence of consent; the customer's
needs reach the case officer; the public pages and the session-timeout extension."""

import datetime as dt

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import AdvocateAuthority, AuditEvent, Customer, User
from portal.models.vocab import ContactChannel, LetterFormat, Role
from tests.factories import make_case, make_customer, make_user
from tests.helpers import (
    check_page,
    csrf_token,
    date_fields,
    error_summary,
    link_in_newest_email,
    parse,
    sign_in,
    sign_out,
    text_of,
    texts,
    token_link_prefix,
    url,
)


def post_form(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def invitation_link(app, to: str) -> str:
    """The advocate invitation link in the newest email to ``to``."""
    return link_in_newest_email(app, to, token_link_prefix("advocate.invitation"))


def customer_with_account():
    user = make_user(Role.CUSTOMER)
    return make_customer(user, full_name="Ada Lovelace"), user


def test_nomination_invitation_acceptance_and_revocation(app, client):
    customer, user = customer_with_account()
    sign_in(client, user.email)
    nominate = url("my.nominate")
    page = client.get(nominate)
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))

    # Bad input: a clear error on each field, what was typed kept, nothing saved.
    bad = post_form(
        client,
        url("my.nominate"),
        {"name": "Grace Hopper", "email": "not-an-email", "relationship": "friend"},
    )
    assert bad.status_code == 400
    check_page(bad.get_data(as_text=True))
    assert error_summary(bad) == [
        "Enter an email address like name@example.com",
        "Choose what this person can do for you",
    ]
    assert parse(bad).get_element_by_id("name").get("value") == "Grace Hopper"
    assert db.session.scalar(select(AdvocateAuthority.id)) is None

    response = post_form(
        client,
        url("my.nominate"),
        {
            "name": "Grace Hopper",
            "email": "Grace@Example.com",
            "relationship": "support_worker",
            "scope": ["view", "act"],
        },
    )
    assert response.status_code == 303
    authority = db.session.scalar(select(AdvocateAuthority))
    assert (authority.advocate_email, authority.can_act, authority.receives_letter_copies) == (
        "grace@example.com",
        True,
        False,
    )
    assert authority.advocate_user_id is None
    listing = client.get(url("my.advocates_list"))
    assert "Invitation sent, not accepted yet" in texts(listing, "main .govuk-tag")
    # The same person twice is refused.
    again = post_form(
        client,
        url("my.nominate"),
        {"name": "G", "email": "grace@example.com", "relationship": "friend", "scope": ["view"]},
    )
    assert again.status_code == 400
    assert error_summary(again) == ["This person is already your advocate"]
    sign_out(client)

    # The invited person opens the link, creates an account, and is an advocate.
    link = invitation_link(app, "grace@example.com")
    invite = client.get(link)
    assert invite.status_code == 200
    check_page(invite.get_data(as_text=True))
    assert texts(invite, "h1") == ["Become an advocate for Ada Lovelace"]
    mismatch = post_form(
        client, link, {"display_name": "Grace", "password": "short", "confirm": "x"}
    )
    assert mismatch.status_code == 400
    assert "Your password must be at least 15 characters" in error_summary(mismatch)
    created = post_form(
        client,
        link,
        {"display_name": "Grace", "password": "a-long-passphrase", "confirm": "a-long-passphrase"},
    )
    assert created.status_code == 303
    advocate = db.session.scalar(select(User).where(User.email == "grace@example.com"))
    assert advocate.has_role(Role.ADVOCATE)
    # The link works once.
    used = client.get(link)
    assert used.status_code == 404
    assert texts(used, "h1") == ["This link does not work"]

    sign_in(client, "grace@example.com", "a-long-passphrase")
    their_customer = url("advocate.customer", customer_id=customer.id)
    their_needs = url("advocate.customer_needs", customer_id=customer.id)
    customers = parse(client.get(url("advocate.home"))).cssselect(
        f'main a[href="{their_customer}"]'
    )
    assert [text_of(a) for a in customers] == ["Ada Lovelace"]
    assert client.get(their_customer).status_code == 200
    needs = client.get(their_needs)
    assert needs.status_code == 200
    check_page(needs.get_data(as_text=True))

    # The customer revokes: the advocate loses access on the very next request.
    other = app.test_client()
    sign_in(other, user.email)
    revoke_url = url("my.revoke", authority_id=authority.id)
    token = csrf_token(other, url("my.advocates_list"))
    assert other.post(revoke_url, data={"csrf_token": token}).status_code == 303
    assert client.get(their_customer).status_code == 404
    assert client.get(their_needs).status_code == 404
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"advocate_nominated", "advocate_invitation_accepted", "advocate_revoked"} <= actions


def test_a_customer_cannot_revoke_or_see_another_customers_advocate(app, client):
    _ada, ada_user = customer_with_account()
    bob = make_customer(full_name="Bob")
    authority = AdvocateAuthority(
        customer_id=bob.id,
        advocate_name="Carol",
        advocate_email="carol@example.com",
        relationship_to_customer="friend",
    )
    db.session.add(authority)
    db.session.commit()
    sign_in(client, ada_user.email)
    listing = client.get(url("my.advocates_list"))
    assert listing.status_code == 200 and "Carol" not in text_of(parse(listing))
    token = csrf_token(client, url("my.advocates_list"))
    revoke = url("my.revoke", authority_id=authority.id)
    response = client.post(revoke, data={"csrf_token": token})
    assert response.status_code == 404
    assert db.session.get(AdvocateAuthority, authority.id).revoked_at is None


def test_an_invitation_for_another_address_is_refused_to_a_signed_in_person(app, client):
    customer, user = customer_with_account()
    sign_in(client, user.email)
    post_form(
        client,
        url("my.nominate"),
        {"name": "Dan", "email": "dan@example.com", "relationship": "friend", "scope": ["view"]},
    )
    link = invitation_link(app, "dan@example.com")
    someone = make_user(Role.ADVOCATE, email="eve@example.com")
    sign_out(client)
    sign_in(client, someone.email)
    response = post_form(client, link, {})
    assert response.status_code == 400
    assert error_summary(response) == [
        "This invitation was sent to another email address. Sign out, then open the link again."
    ]
    assert db.session.scalar(select(AdvocateAuthority.advocate_user_id)) is None


def test_staff_record_an_advocate_only_with_evidence_of_consent(app, client):
    officer = make_user(Role.CASE_OFFICER)
    customer = make_customer(full_name="Fay")
    sign_in(client, officer.email)
    record_advocate = url("customer_records.record_advocate", customer_id=customer.id)
    data = {
        "name": "Gus",
        "email": "gus@example.com",
        "relationship": "family_member",
        "scope": ["view", "copies"],
    }
    refused = post_form(client, record_advocate, data)
    assert refused.status_code == 400
    assert error_summary(refused) == ["Say what shows the customer agreed to this advocate"]
    assert db.session.scalar(select(AdvocateAuthority.id)) is None
    evidence = {"consent_evidence": "Signed form received 3 March."}
    saved = post_form(client, record_advocate, {**data, **evidence})
    assert saved.status_code == 303
    authority = db.session.scalar(select(AdvocateAuthority))
    assert authority.recorded_by_id == officer.id
    assert authority.consent_evidence == "Signed form received 3 March."
    assert authority.receives_letter_copies and not authority.can_act
    record = client.get(url("customer_records.record", customer_id=customer.id))
    assert "Invitation not accepted yet" in texts(record, "main li .govuk-tag")


def test_an_expiry_in_the_past_is_refused(app, client):
    _customer, user = customer_with_account()
    sign_in(client, user.email)
    response = post_form(
        client,
        url("my.nominate"),
        {
            "name": "Hal",
            "email": "hal@example.com",
            "relationship": "friend",
            "scope": ["view"],
            **date_fields("expires_on", clock.today() - dt.timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    assert error_summary(response) == ["The end date must be in the future"]


def test_the_customers_needs_reach_the_case_officer(app, client):
    customer, user = customer_with_account()
    sign_in(client, user.email)
    page = client.get(url("my.needs"))
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    response = post_form(
        client,
        url("my.needs"),
        {
            "locale": "pl",
            "letter_format": "large-print",
            "channel": "email",
            "cannot_use_telephone": "y",
            "support_needs": "I use a text relay service.",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(Customer, customer.id)
    assert saved.preferred_locale == "pl"
    assert saved.preferred_letter_format == LetterFormat.LARGE_PRINT
    assert saved.preferred_channel == ContactChannel.EMAIL
    assert saved.cannot_use_telephone and not saved.finds_writing_difficult
    assert saved.needs_updated_by_id == user.id
    sign_out(client)
    officer = make_user(Role.CASE_OFFICER)
    make_case(saved, officer)  # support notes are for the customer's case officer (issue 14)
    sign_in(client, officer.email)
    record = client.get(url("customer_records.record", customer_id=customer.id, lang="en"))
    needs = parse(record).cssselect('[aria-labelledby="needs-title"]')[0]
    assert "Cannot use the telephone" in [text_of(li) for li in needs.cssselect("li")]
    paragraphs = [text_of(p) for p in needs.cssselect("p")]
    assert "I use a text relay service." in paragraphs
    assert paragraphs[-1].endswith("Changed by the customer.")


def test_an_unknown_language_on_the_needs_form_is_an_error_not_a_crash(app, client):
    _customer, user = customer_with_account()
    sign_in(client, user.email)
    response = post_form(client, url("my.needs"), {"locale": "xx", "letter_format": "pdf"})
    assert response.status_code == 400
    check_page(response.get_data(as_text=True))


def test_public_pages_and_the_translation_notice(client):
    for endpoint, words in [
        ("public.policy", "assertive or determined"),
        ("public.rights", "10 working days"),
        ("public.complaints", "03000 120 120"),
    ]:
        response = client.get(url(endpoint, lang="en"))
        assert response.status_code == 200
        check_page(response.get_data(as_text=True))
        assert any(words in text for text in texts(response, "main p, main li")), endpoint
        assert not parse(response).cssselect(".portal-translation-notice")
    polish = parse(client.get(url("public.rights", lang="pl")))
    notice_links = polish.cssselect(".portal-translation-notice a")
    assert [a.get("href") for a in notice_links] == [url("public.rights", lang="en")]
    urdu = parse(client.get(url("public.rights", lang="ur")))
    assert (urdu.get("dir"), urdu.get("lang")) == ("rtl", "ur")


def test_stay_signed_in_extends_the_session_with_and_without_javascript(app, client):
    _customer, user = customer_with_account()
    sign_in(client, user.email)
    home = client.get(url("my.home"))
    warning = parse(home).get_element_by_id("session-timeout-warning")
    assert warning.tag == "dialog" and warning.get("data-idle-seconds") == "1800"
    token = csrf_token(client, url("my.home"))
    extend = url("auth.extend_session")
    with_js = client.post(extend, data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert with_js.status_code == 204
    without_js = client.post(extend, data={"csrf_token": token, "next": url("my.needs")})
    assert without_js.status_code == 303 and without_js.headers["Location"] == url("my.needs")
    # A hostile "next" (another site) is refused: the literal is the point.
    offsite = client.post(extend, data={"csrf_token": token, "next": "//evil.example"})
    assert offsite.headers["Location"] == url("my.home")
