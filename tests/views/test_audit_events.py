"""What the audit trail records (issue 14 item 8; ASVS 16.3.1, 16.2.5): failed sign-ins
with the account tried, lockouts, the real client behind a trusted proxy, and staff
reading a restriction, a letter or a contact entry."""

import datetime as dt

import pytest
from sqlalchemy import select

from portal.auth.throttle import email_key
from portal.extensions import db
from portal.models import AuditEvent, ContactLogEntry, SignInThrottle
from portal.models.types import utcnow
from portal.models.vocab import ContactChannel, ContactFinding, Role
from tests.conftest import make_test_app
from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import csrf_token, sign_in, url
from tests.letter_fixtures import make_notice_world
from tests.views.test_letter_views import staff_issue_notice

PASSWORD_CANARY = "Canary-Pa55word-never-logged"


def post_sign_in(client, email, password, **kwargs):
    sign_in_url = url("auth.sign_in", app=client.application)
    data = {"csrf_token": csrf_token(client, sign_in_url), "email": email, "password": password}
    return client.post(sign_in_url, data=data, **kwargs)


def events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def no_row_holds(text: str) -> bool:
    return all(
        text not in str(row.details) and text not in str(row.remote_addr)
        for row in db.session.scalars(select(AuditEvent))
    )


def test_a_wrong_password_names_the_account_and_never_the_password(client):
    user = make_user(Role.CUSTOMER, email="known@example.com")
    assert post_sign_in(client, "Known@Example.com ", PASSWORD_CANARY).status_code == 400
    [event] = events("authn_login_fail")
    assert (event.object_type, event.object_id) == ("user", user.id)
    assert event.details == {"reason": "wrong_password"}
    assert event.remote_addr == "127.0.0.1"
    assert no_row_holds(PASSWORD_CANARY)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Nobody@Example.com", "nobody@example.com"),
        (PASSWORD_CANARY, None),  # a password typed into the email field is not kept
    ],
)
def test_an_unknown_account_is_kept_only_if_it_looks_like_an_address(client, typed, kept):
    assert post_sign_in(client, typed, PASSWORD_CANARY).status_code == 400
    [event] = events("authn_login_fail")
    assert event.object_id is None
    assert event.details == {"reason": "unknown_account", "account_tried": kept}
    assert no_row_holds(PASSWORD_CANARY)


def one_guess_from_the_lock(app, email: str) -> None:
    """The address has had every wrong guess but one before signing in locks (and no wait
    is running), as if an attacker had spent hours at it (portal.auth.throttle)."""
    db.session.merge(
        SignInThrottle(
            email_key=email_key(email),
            failed_tries=app.config["SIGN_IN_LOCK_AFTER"] - 1,
            wrong_guesses=app.config["SIGN_IN_LOCK_AFTER"] - 1,
            last_failed_at=utcnow(),
        )
    )
    db.session.commit()


def test_the_failure_that_locks_an_account_is_recorded_and_so_are_tries_while_locked(app, client):
    user = make_user(Role.CUSTOMER, email="known@example.com")
    one_guess_from_the_lock(app, "known@example.com")
    post_sign_in(client, "known@example.com", "wrong")
    [lock] = events("authn_login_lock")
    assert (lock.object_type, lock.object_id) == ("user", user.id)
    assert lock.details == {"until": "password reset or admin unlock"}
    post_sign_in(client, "known@example.com", "wrong")
    assert [e.details["reason"] for e in events("authn_login_fail")] == ["wrong_password", "locked"]
    assert len(events("authn_login_lock")) == 1


def test_a_wrong_second_factor_code_that_locks_the_account_is_recorded(app, client):
    user = make_user(Role.CASE_OFFICER, email="officer@example.com")
    response = post_sign_in(client, "officer@example.com", TEST_PASSWORD)
    code_url = url("auth.second_factor")
    assert response.headers["Location"].startswith(code_url)
    one_guess_from_the_lock(app, "officer@example.com")
    client.post(code_url, data={"csrf_token": csrf_token(client, code_url), "code": "000000"})
    [fail] = events("authn_mfa_fail")
    [lock] = events("authn_login_lock")
    assert fail.actor_user_id == user.id and lock.object_id == user.id
    assert lock.id > fail.id


@pytest.mark.parametrize(("proxies", "expected"), [(1, "203.0.113.9"), (0, "10.0.0.1")])
def test_the_client_address_is_the_real_one_behind_a_trusted_proxy_only(
    databases, tmp_path, proxies, expected
):
    database_url = databases.new_sqlite()
    app = make_test_app(database_url, tmp_path, TRUSTED_PROXIES=proxies)
    client = app.test_client()
    forwarded = {"headers": {"X-Forwarded-For": "203.0.113.9"}}
    environ = {"environ_base": {"REMOTE_ADDR": "10.0.0.1"}}
    with app.app_context():
        sign_in_url = url("auth.sign_in")
        token_page = client.get(sign_in_url, **forwarded, **environ)
        assert token_page.status_code == 200
        token = csrf_token(client, sign_in_url)
        client.post(
            sign_in_url,
            data={"csrf_token": token, "email": "a@example.com", "password": "x"},
            **forwarded,
            **environ,
        )
        [event] = events("authn_login_fail")
        assert event.remote_addr == expected
        db.session.remove()
        db.engine.dispose()
    databases.drop(database_url)


def test_staff_reading_a_restriction_a_letter_or_a_contact_entry_is_recorded(app, client):
    case, restriction, officer, customer = make_notice_world()
    entry = ContactLogEntry(
        customer_id=customer.id,
        occurred_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
        channel=ContactChannel.EMAIL,
        summary="Asked about the repair.",
        finding=ContactFinding.NO_RESTRICTION,
        logged_by_id=officer.id,
    )
    db.session.add(entry)
    db.session.commit()
    letter = staff_issue_notice(client, case, officer)  # signs the officer in
    manager = make_user(Role.REVIEW_MANAGER)
    client = app.test_client()  # another person, another browser
    sign_in(client, manager.email)
    for page_url in (
        url("restrictions.show", restriction_id=restriction.id),
        url("letters.show", letter_id=letter.id),
        url("letters.download", letter_id=letter.id, locale="en", fmt="text"),
        url("contacts.show", entry_id=entry.id),
    ):
        with client.get(page_url) as response:  # a download is a file: close it
            assert response.status_code == 200, page_url
    seen = {
        (e.action, e.object_type, e.object_id)
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.actor_user_id == manager.id)
        )
    }
    assert {
        ("restriction_view", "restriction", restriction.id),
        ("letter_view", "letter", letter.id),
        ("letter_download", "letter", letter.id),
        ("contact_view", "contact", entry.id),
    } <= seen


def test_a_customer_reading_their_own_letter_is_not_a_staff_read(app, client):
    case, _restriction, officer, customer = make_notice_world()
    letter = staff_issue_notice(client, case, officer)  # signs the officer in
    client = app.test_client()
    sign_in(client, customer.user.email)
    assert client.get(url("letters.show", letter_id=letter.id)).status_code == 200
    assert events("letter_view") == []
