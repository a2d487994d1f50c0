"""Issue 13 item 5: the admin's job — colleagues invited, roles given and taken, accounts
disabled and enabled, second factors reset, all audited; the last admin kept; no case
content for admins."""

import pyotp
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, User
from portal.models.vocab import Role
from tests.factories import make_user
from tests.helpers import (
    check_page,
    error_summary,
    link_in_newest_email,
    post_form,
    sign_in,
    texts,
    token_link_prefix,
    url,
)

NEW_PASSWORD = "seven pelicans argue about jam"


def last_event() -> AuditEvent:
    return db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))


def test_an_admin_invites_a_colleague_who_sets_a_password_and_an_authenticator(
    app, client, login_as
):
    login_as(Role.ADMIN)
    page = client.get(url("admin.invite"))
    check_page(page.get_data(as_text=True))
    response = post_form(
        client,
        url("admin.invite"),
        {"display_name": "Nia Evans", "email": "nia@example.com", "roles": ["case_officer"]},
    )
    assert response.status_code == 303
    assert "nia@example.com" in texts(client.get(url("staff.accounts")), "main td")
    assert last_event().action == "colleague_invited"

    path = link_in_newest_email(
        app, "nia@example.com", token_link_prefix("auth.colleague_invitation")
    )
    colleague = app.test_client()
    accepted = post_form(colleague, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert accepted.status_code == 303
    nia = db.session.scalar(select(User).where(User.email == "nia@example.com"))
    assert nia.roles == {Role.CASE_OFFICER} and nia.display_name == "Nia Evans"
    response = sign_in(colleague, "nia@example.com", NEW_PASSWORD)
    enrol = url("account.second_factor")
    assert colleague.get(url("staff.cases")).headers["Location"] == enrol
    colleague.get(enrol)
    db.session.expire_all()
    code = pyotp.TOTP(db.session.get(User, nia.id).totp_secret).now()
    assert post_form(colleague, enrol, {"code": code}).status_code == 200
    assert colleague.get(url("staff.cases")).status_code == 200


def test_roles_are_given_and_taken_and_audited(app, client, login_as):
    login_as(Role.ADMIN)
    colleague = make_user(Role.CASE_OFFICER)
    account = url("admin.account", user_id=colleague.id)
    check_page(client.get(account).get_data(as_text=True))
    response = post_form(client, account, {"roles": ["review_manager", "leadership"]})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, colleague.id).roles == {Role.REVIEW_MANAGER, Role.LEADERSHIP}
    event = last_event()
    assert event.action == "roles_changed"
    assert event.details == {"given": ["leadership", "review_manager"], "taken": ["case_officer"]}
    assert post_form(client, account, {}).status_code == 400  # at least one role


def test_the_last_admin_cannot_remove_their_own_admin_role_or_disable_themselves(
    app, client, login_as
):
    admin = login_as(Role.ADMIN)
    account = url("admin.account", user_id=admin.id)
    refused = post_form(client, account, {"roles": ["leadership"]})
    assert refused.status_code == 400
    assert error_summary(refused) == [
        "This is the only admin account that can sign in. Make another colleague an admin first."
    ]
    post_form(client, url("admin.disable", user_id=admin.id), {}, form_url=account)
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_enabled
    assert Role.ADMIN in db.session.get(User, admin.id).roles

    second = make_user(Role.ADMIN)
    assert post_form(client, account, {"roles": ["admin", "leadership"]}).status_code == 303
    second_account = url("admin.account", user_id=second.id)
    assert post_form(client, second_account, {"roles": ["leadership"]}).status_code == 303


def test_disabling_ends_the_sessions_at_once_and_enabling_lets_them_back(app, client, login_as):
    login_as(Role.ADMIN)
    colleague = make_user(Role.CASE_OFFICER)
    theirs = app.test_client()
    sign_in(theirs, colleague.email)
    cases = url("staff.cases")
    assert theirs.get(cases).status_code == 200
    account = url("admin.account", user_id=colleague.id)
    disable = url("admin.disable", user_id=colleague.id)
    assert post_form(client, disable, {}, form_url=account).status_code == 303
    assert theirs.get(cases).status_code == 302
    assert last_event().action == "account_disabled"
    enable = url("admin.enable", user_id=colleague.id)
    assert post_form(client, enable, {}, form_url=account).status_code == 303
    sign_in(theirs, colleague.email)
    assert theirs.get(cases).status_code == 200


def test_resetting_a_second_factor_makes_the_colleague_set_up_a_new_one(app, client, login_as):
    login_as(Role.ADMIN)
    colleague = make_user(Role.REVIEW_MANAGER)
    account = url("admin.account", user_id=colleague.id)
    reset = url("admin.reset_second_factor", user_id=colleague.id)
    assert post_form(client, reset, {}, form_url=account).status_code == 303
    db.session.expire_all()
    assert not db.session.get(User, colleague.id).has_second_factor
    theirs = app.test_client()
    sign_in(theirs, colleague.email)  # password only now
    enrol = url("account.second_factor")
    assert theirs.get(url("staff.reviews")).headers["Location"] == enrol
    assert last_event().action in {"mfa_reset", "authn_login_success"}


def test_an_admin_sees_no_case_content(app, client, login_as):
    login_as(Role.ADMIN)
    for endpoint in ("staff.cases", "customer_records.search", "staff.reviews", "gdpr.index"):
        assert client.get(url(endpoint)).status_code == 403, endpoint
