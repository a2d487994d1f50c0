"""Issue 6, items 5–8 through the real pages: a customer nominates an advocate, who accepts
the emailed invitation by creating an account, acts, and loses access at once when the
customer revokes it; staff record an advocate only with evidence of consent; the customer's
needs reach the case officer; the public pages and the session-timeout extension."""

import datetime as dt
import email
import email.policy
import re
from pathlib import Path

from sqlalchemy import select

from portal.extensions import db
from portal.models import AdvocateAuthority, AuditEvent, Customer, User
from portal.models.vocab import ContactChannel, LetterFormat, Role
from tests.factories import make_case, make_customer, make_user
from tests.helpers import check_page, csrf_token, sign_in, sign_out


def post_form(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def invitation_link(app, to: str) -> str:
    """The link in the newest email to ``to`` in the development outbox."""
    mails = sorted(
        Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"), key=lambda p: p.stat().st_mtime
    )
    for path in reversed(mails):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == to:
            body = message.get_content()
            return re.search(r"https?://[^/\s]+(/advocate/invitations/\S+)", body).group(1)
    raise AssertionError(f"no email to {to}")


def customer_with_account():
    user = make_user(Role.CUSTOMER)
    return make_customer(user, full_name="Ada Lovelace"), user


def test_nomination_invitation_acceptance_and_revocation(app, client):
    customer, user = customer_with_account()
    sign_in(client, user.email)
    page = client.get("/my/advocates/new")
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))

    # Bad input: a clear error on each field, what was typed kept, nothing saved.
    bad = post_form(
        client,
        "/my/advocates/new",
        {"name": "Grace Hopper", "email": "not-an-email", "relationship": "friend"},
    )
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    check_page(text)
    assert "Enter an email address like name@example.com" in text
    assert "Choose what this person can do for you" in text
    assert 'value="Grace Hopper"' in text
    assert db.session.scalar(select(AdvocateAuthority.id)) is None

    response = post_form(
        client,
        "/my/advocates/new",
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
    listing = client.get("/my/advocates").get_data(as_text=True)
    assert "Invitation sent, not accepted yet" in listing
    # The same person twice is refused.
    again = post_form(
        client,
        "/my/advocates/new",
        {"name": "G", "email": "grace@example.com", "relationship": "friend", "scope": ["view"]},
    )
    assert again.status_code == 400
    assert "already your advocate" in again.get_data(as_text=True)
    sign_out(client)

    # The invited person opens the link, creates an account, and is an advocate.
    link = invitation_link(app, "grace@example.com")
    invite = client.get(link)
    assert invite.status_code == 200
    check_page(invite.get_data(as_text=True))
    assert "Ada Lovelace" in invite.get_data(as_text=True)
    mismatch = post_form(
        client, link, {"display_name": "Grace", "password": "short", "confirm": "x"}
    )
    assert mismatch.status_code == 400
    assert "at least 15 characters" in mismatch.get_data(as_text=True)
    created = post_form(
        client,
        link,
        {"display_name": "Grace", "password": "a-long-passphrase", "confirm": "a-long-passphrase"},
    )
    assert created.status_code == 303
    advocate = db.session.scalar(select(User).where(User.email == "grace@example.com"))
    assert advocate.has_role(Role.ADVOCATE)
    # The link works once.
    assert client.get(link).status_code == 404

    sign_in(client, "grace@example.com", "a-long-passphrase")
    assert "Ada Lovelace" in client.get("/advocate/").get_data(as_text=True)
    assert client.get(f"/advocate/customers/{customer.id}").status_code == 200
    needs = client.get(f"/advocate/customers/{customer.id}/needs")
    assert needs.status_code == 200
    check_page(needs.get_data(as_text=True))

    # The customer revokes: the advocate loses access on the very next request.
    other = app.test_client()
    sign_in(other, user.email)
    revoke_url = f"/my/advocates/{authority.id}/revoke"
    token = csrf_token(other, "/my/advocates")
    assert other.post(revoke_url, data={"csrf_token": token}).status_code == 303
    assert client.get(f"/advocate/customers/{customer.id}").status_code == 404
    assert client.get(f"/advocate/customers/{customer.id}/needs").status_code == 404
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
    assert "Carol" not in client.get("/my/advocates").get_data(as_text=True)
    token = csrf_token(client, "/my/advocates")
    response = client.post(f"/my/advocates/{authority.id}/revoke", data={"csrf_token": token})
    assert response.status_code == 404
    assert db.session.get(AdvocateAuthority, authority.id).revoked_at is None


def test_an_invitation_for_another_address_is_refused_to_a_signed_in_person(app, client):
    customer, user = customer_with_account()
    sign_in(client, user.email)
    post_form(
        client,
        "/my/advocates/new",
        {"name": "Dan", "email": "dan@example.com", "relationship": "friend", "scope": ["view"]},
    )
    link = invitation_link(app, "dan@example.com")
    someone = make_user(Role.ADVOCATE, email="eve@example.com")
    sign_out(client)
    sign_in(client, someone.email)
    response = post_form(client, link, {})
    assert response.status_code == 400
    assert "sent to another email address" in response.get_data(as_text=True)
    assert db.session.scalar(select(AdvocateAuthority.advocate_user_id)) is None


def test_staff_record_an_advocate_only_with_evidence_of_consent(app, client):
    officer = make_user(Role.CASE_OFFICER)
    customer = make_customer(full_name="Fay")
    sign_in(client, officer.email)
    url = f"/staff/customers/{customer.id}/advocates/new"
    data = {
        "name": "Gus",
        "email": "gus@example.com",
        "relationship": "family_member",
        "scope": ["view", "copies"],
    }
    refused = post_form(client, url, data)
    assert refused.status_code == 400
    assert "agreed to this advocate" in refused.get_data(as_text=True)
    assert db.session.scalar(select(AdvocateAuthority.id)) is None
    saved = post_form(client, url, {**data, "consent_evidence": "Signed form received 3 March."})
    assert saved.status_code == 303
    authority = db.session.scalar(select(AdvocateAuthority))
    assert authority.recorded_by_id == officer.id
    assert authority.consent_evidence == "Signed form received 3 March."
    assert authority.receives_letter_copies and not authority.can_act
    assert "Invitation not accepted yet" in client.get(f"/staff/customers/{customer.id}").get_data(
        as_text=True
    )


def test_an_expiry_in_the_past_is_refused(app, client):
    _customer, user = customer_with_account()
    sign_in(client, user.email)
    response = post_form(
        client,
        "/my/advocates/new",
        {
            "name": "Hal",
            "email": "hal@example.com",
            "relationship": "friend",
            "scope": ["view"],
            "expires_on": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "The end date must be in the future" in response.get_data(as_text=True)


def test_the_customers_needs_reach_the_case_officer(app, client):
    customer, user = customer_with_account()
    sign_in(client, user.email)
    page = client.get("/my/needs")
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    response = post_form(
        client,
        "/my/needs",
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
    record = client.get(f"/staff/customers/{customer.id}?lang=en").get_data(as_text=True)
    assert "Cannot use the telephone" in record
    assert "I use a text relay service." in record
    assert "Changed by the customer." in record


def test_an_unknown_language_on_the_needs_form_is_an_error_not_a_crash(app, client):
    _customer, user = customer_with_account()
    sign_in(client, user.email)
    response = post_form(client, "/my/needs", {"locale": "xx", "letter_format": "pdf"})
    assert response.status_code == 400
    check_page(response.get_data(as_text=True))


def test_public_pages_and_the_translation_notice(client):
    for url, words in [
        ("/the-policy", "assertive or determined"),
        ("/your-rights", "10 working days"),
        ("/complaints", "03000 120 120"),
    ]:
        response = client.get(url + "?lang=en")
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        check_page(text)
        assert words in text
        assert "translated by a computer" not in text
    polish = client.get("/your-rights?lang=pl").get_data(as_text=True)
    assert 'href="/your-rights?lang=en"' in polish
    urdu = client.get("/your-rights?lang=ur").get_data(as_text=True)
    assert 'dir="rtl"' in urdu and 'lang="ur"' in urdu


def test_stay_signed_in_extends_the_session_with_and_without_javascript(app, client):
    _customer, user = customer_with_account()
    sign_in(client, user.email)
    home = client.get("/my/").get_data(as_text=True)
    assert 'id="session-timeout-warning"' in home
    assert 'data-idle-seconds="1800"' in home
    token = csrf_token(client, "/my/")
    with_js = client.post(
        "/session/extend", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert with_js.status_code == 204
    without_js = client.post("/session/extend", data={"csrf_token": token, "next": "/my/needs"})
    assert without_js.status_code == 303 and without_js.headers["Location"] == "/my/needs"
    offsite = client.post("/session/extend", data={"csrf_token": token, "next": "//evil.example"})
    assert offsite.headers["Location"] == "/my/"
