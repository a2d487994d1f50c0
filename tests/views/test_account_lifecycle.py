"""Issue 13 items 2–4: invitations, "forgot your password", your account, the second
factor. Through the real pages, reading the emails from the development outbox."""

import datetime as dt
import re

import pyotp
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, User, UserSession
from portal.models.vocab import Role
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, make_customer, make_user
from tests.helpers import (
    check_page,
    date_fields,
    emails_to,
    error_summary,
    link_in_newest_email,
    parse,
    post_form,
    sign_in,
    text_of,
    texts,
    token_link_prefix,
    url,
)

NEW_PASSWORD = "a walrus hums under quiet lighthouses"


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def main_text(response) -> str:
    """The page's main content, without the per-session CSRF token."""
    html = response.get_data(as_text=True)
    return re.sub(r'value="[^"]*"', "", html[html.index("<main") : html.index("</main>")])


def choose_password(client, path, password=NEW_PASSWORD):
    return post_form(client, path, {"password": password, "confirm": password})


# ---- Forgot your password ----------------------------------------------------------------


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(app, client):
    user = make_user(Role.CUSTOMER)
    known = post_form(client, url("auth.forgot_password"), {"email": user.email})
    unknown = post_form(client, url("auth.forgot_password"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert main_text(known) == main_text(unknown)
    assert len(emails_to(app, user.email)) == 1
    assert emails_to(app, "nobody@example.com") == []


def test_a_reset_link_sets_a_new_password_ends_every_session_and_works_once(app, client):
    user = make_user(Role.CUSTOMER)
    elsewhere = app.test_client()
    sign_in(elsewhere, user.email)
    post_form(client, url("auth.forgot_password"), {"email": user.email})
    path = link_in_newest_email(app, user.email, token_link_prefix("auth.reset_password"))
    page = client.get(path)
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))

    weak = choose_password(client, path, "Password12345678")
    assert weak.status_code == 400
    assert error_summary(weak) == [
        "This password is too common and easy to guess. Try three or four unrelated words"
    ]

    assert choose_password(client, path).status_code == 303
    assert elsewhere.get(url("my.home")).status_code == 302  # the other session ended
    sign_in(app.test_client(), user.email, NEW_PASSWORD)
    again = client.get(path)
    assert again.status_code == 410
    assert "The link has been used already: each link works once." in texts(again, "main p")
    assert "Ask for a new link" in texts(again, "main a")
    assert "password_reset" in actions()
    assert "changed" in emails_to(app, user.email)[-1].get_content()


def test_an_expired_reset_link_says_so_and_offers_a_new_one(app, client):
    from portal.models import OneTimeLink

    user = make_user(Role.CUSTOMER)
    post_form(client, url("auth.forgot_password"), {"email": user.email})
    path = link_in_newest_email(app, user.email, token_link_prefix("auth.reset_password"))
    link = db.session.scalar(select(OneTimeLink).order_by(OneTimeLink.id.desc()))
    link.expires_at = link.created_at - dt.timedelta(seconds=1)
    db.session.commit()
    page = client.get(path)
    assert page.status_code == 410
    assert "The link is too old: links stop working after a while to keep your account safe." in (
        texts(page, "main p")
    )
    assert client.get(url("auth.reset_password", token="x" * 43)).status_code == 404


# ---- Customers online --------------------------------------------------------------------


def test_staff_invite_a_customer_who_accepts_and_signs_in(app, client, login_as):
    customer = make_customer(email="ada@example.com", full_name="Ada Lovelace")
    login_as(Role.CASE_OFFICER)
    record = url("customer_records.record", customer_id=customer.id)
    invite = url("customer_records.invite_to_portal", customer_id=customer.id)
    buttons = parse(client.get(record)).cssselect(f'form[action="{invite}"] button')
    assert [text_of(button) for button in buttons] == ["Invite to the portal"]
    assert post_form(client, invite, {}, form_url=record).status_code == 303
    path = link_in_newest_email(
        app, "ada@example.com", token_link_prefix("auth.customer_invitation")
    )

    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    about_her = choose_password(visitor, path, "AdaLovelace123456")
    assert about_her.status_code == 400
    assert error_summary(about_her) == [
        "Your password must not be made from your name, your email address or our name"
    ]
    assert choose_password(visitor, path).status_code == 303
    user = db.session.scalar(select(User).where(User.email == "ada@example.com"))
    assert user.has_role(Role.CUSTOMER) and user.customer.id == customer.id
    assert sign_in(visitor, "ada@example.com", NEW_PASSWORD).headers["Location"] == url("my.home")
    assert visitor.get(path).status_code == 410


def test_a_customer_asks_for_an_invitation_without_learning_whether_a_record_exists(app, client):
    make_customer(
        reference="T-424242",
        email="grace@example.com",
        date_of_birth=dt.date(1980, 5, 17),
        postcode="BS1 4DJ",
    )

    def ask(reference, born, postcode):
        return post_form(
            client,
            url("auth.ask_for_invitation"),
            {
                "reference": reference,
                **(date_fields("date_of_birth", born) if born else {}),
                "postcode": postcode,
            },
        )

    wrong = ask("T-424242", dt.date(1980, 5, 18), "BS1 4DJ")
    right = ask("t-424242", dt.date(1980, 5, 17), "bs14dj")
    assert wrong.status_code == right.status_code == 200
    assert main_text(wrong) == main_text(right)
    assert len(emails_to(app, "grace@example.com")) == 1
    assert ask("", None, "").status_code == 400


# ---- Your account ------------------------------------------------------------------------


def test_the_account_page_lists_recent_sign_ins_and_signs_out_other_devices(app, client):
    user = make_user(Role.CUSTOMER)
    other = app.test_client()
    sign_in(other, user.email)
    sign_in(client, user.email)
    page = client.get(url("account.index"))
    check_page(page.get_data(as_text=True))
    assert "Recent sign-ins" in texts(page, "main h2")
    assert "This device" in texts(page, "main td")
    response = post_form(
        client, url("account.sign_out_other_devices"), {}, form_url=url("account.index")
    )
    assert response.status_code == 303
    assert other.get(url("my.home")).status_code == 302
    assert client.get(url("my.home")).status_code == 200


def test_changing_the_password_needs_the_current_one_and_tells_the_owner(app, client):
    user = make_user(Role.ADVOCATE)
    other = app.test_client()
    sign_in(other, user.email)
    sign_in(client, user.email)
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    wrong = post_form(client, url("account.change_password"), {**data, "current_password": "nope"})
    assert wrong.status_code == 400
    assert error_summary(wrong) == ["Your current password is not right"]
    right = post_form(
        client, url("account.change_password"), {**data, "current_password": TEST_PASSWORD}
    )
    assert right.status_code == 303
    assert other.get(url("advocate.home")).status_code == 302  # other devices signed out
    assert client.get(url("advocate.home")).status_code == 200  # this one kept
    assert "password" in emails_to(app, user.email)[-1].get_content()


def test_changing_the_email_sends_a_link_to_the_new_address_and_a_notice_to_the_old(app, client):
    user = make_user(Role.CUSTOMER, email="old@example.com")
    sign_in(client, user.email)
    response = post_form(
        client,
        url("account.change_email"),
        {"email": "New@Example.com", "current_password": TEST_PASSWORD},
    )
    assert response.status_code == 303
    path = link_in_newest_email(app, "new@example.com", token_link_prefix("account.confirm_email"))
    assert client.get(path).status_code == 200  # a button, not a change on GET
    assert db.session.get(User, user.id).email == "old@example.com"
    assert post_form(client, path, {}).status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "new@example.com"
    assert "different email" in emails_to(app, "old@example.com")[-1].get_content()


# ---- Second factor -----------------------------------------------------------------------


def test_staff_without_a_second_factor_reach_nothing_until_they_set_one_up(app, client):
    user = make_user(Role.CASE_OFFICER, second_factor=False)
    sign_in(client, user.email)
    enrol = url("account.second_factor")
    assert client.get(url("staff.cases")).headers["Location"] == enrol
    setup = client.get(enrol)
    check_page(setup.get_data(as_text=True))
    # The QR code, and the key as text.
    assert parse(setup).cssselect("main svg")
    secret_shown = texts(setup, "main code.app-secret")
    db.session.expire_all()
    secret = db.session.get(User, user.id).totp_secret
    assert [shown.replace(" ", "") for shown in secret_shown] == [secret]  # in groups of 4
    wrong = post_form(client, enrol, {"code": "000000"})
    assert wrong.status_code == 400
    done = post_form(client, enrol, {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    assert len(parse(done).cssselect("main code")) == 10
    assert client.get(url("staff.cases")).status_code == 200
    assert "mfa_enrolled" in actions()


def test_a_code_cannot_be_replayed_and_a_recovery_code_works_once(app, client):
    from portal.auth import second_factor

    user = make_user(Role.REVIEW_MANAGER)
    now = dt.datetime.now(dt.UTC)
    code = pyotp.TOTP(TEST_TOTP_SECRET).at(now)
    assert second_factor.accept_code(user, TEST_TOTP_SECRET, code, now)
    assert not second_factor.accept_code(user, TEST_TOTP_SECRET, code, now)
    codes = second_factor.new_recovery_codes(user)
    db.session.commit()
    assert second_factor.verify_second_factor(user, codes[0].upper(), now)
    assert not second_factor.verify_second_factor(user, codes[0], now)
    assert second_factor.recovery_codes_left(user) == 9


def test_signing_in_with_a_second_factor_needs_the_code(app, client):
    user = make_user(Role.APPEALS_DIRECTOR)
    credentials = {"email": user.email, "password": TEST_PASSWORD}
    response = post_form(client, url("auth.sign_in"), credentials)
    assert response.headers["Location"] == url("auth.second_factor")
    assert client.get(url("staff.appeals")).status_code == 302  # not signed in yet
    wrong = post_form(client, url("auth.second_factor"), {"code": "123456"})
    assert wrong.status_code == 400
    [message] = error_summary(wrong)
    assert message.startswith("That code did not work.")
    code = pyotp.TOTP(TEST_TOTP_SECRET).now()
    good = post_form(client, url("auth.second_factor"), {"code": code})
    assert good.status_code == 303
    assert client.get(url("staff.appeals")).status_code == 200
    sessions = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert [s.awaiting_second_factor for s in sessions] == [True, False]
    assert "authn_mfa_fail" in actions()


def test_customers_may_turn_the_second_factor_on_and_off_staff_may_not_turn_it_off(app, client):
    customer = make_user(Role.CUSTOMER)
    sign_in(client, customer.email)
    client.get(url("account.second_factor"))
    secret = db.session.get(User, customer.id).totp_secret
    post_form(client, url("account.second_factor"), {"code": pyotp.TOTP(secret).now()})
    db.session.expire_all()
    assert db.session.get(User, customer.id).has_second_factor
    turn_off = url("account.turn_off_second_factor")
    off = post_form(client, turn_off, {"current_password": TEST_PASSWORD})
    assert off.status_code == 303
    db.session.expire_all()
    assert not db.session.get(User, customer.id).has_second_factor

    staff = app.test_client()
    officer = make_user(Role.CASE_OFFICER)
    sign_in(staff, officer.email)
    assert staff.get(turn_off).status_code == 303
    db.session.expire_all()
    assert db.session.get(User, officer.id).has_second_factor


def test_self_service_emails_are_limited_per_account_per_hour(app, client):
    from portal.auth.accounts import SELF_SERVICE_LINKS_PER_HOUR

    user = make_user(Role.CUSTOMER)
    for _ in range(SELF_SERVICE_LINKS_PER_HOUR + 2):
        assert (
            post_form(client, url("auth.forgot_password"), {"email": user.email}).status_code == 200
        )
    assert len(emails_to(app, user.email)) == SELF_SERVICE_LINKS_PER_HOUR


def test_a_password_reset_keeps_the_second_factor(app, client):
    """ASVS 6.4.3: the link replaces the password, never the authenticator."""
    officer = make_user(Role.CASE_OFFICER)
    post_form(client, url("auth.forgot_password"), {"email": officer.email})
    path = link_in_newest_email(app, officer.email, token_link_prefix("auth.reset_password"))
    assert choose_password(client, path).status_code == 303
    credentials = {"email": officer.email, "password": NEW_PASSWORD}
    response = post_form(client, url("auth.sign_in"), credentials)
    assert response.headers["Location"] == url("auth.second_factor")
    assert client.get(url("staff.cases")).status_code == 302
