"""Sign-in and sign-out for everyone (issue 3 item 5; SECURITY.md §1 rows 8–11)."""

import datetime as dt
import re

import pytest
from flask import url_for
from sqlalchemy import func, select

from portal.auth.throttle import throttle_for
from portal.extensions import db
from portal.models import AuditEvent, User, UserSession
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.navigation import ROLE_HOMES
from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import check_page, csrf_token, sign_in, sign_out

GENERIC_ERROR = "Enter a correct email address and password"


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def tries_counted(before: dict, after: dict) -> int:
    """Every sign-in try is counted for its address (portal.auth.rate_limits), whether or
    not the form is valid: that row is the limiter's bookkeeping, not data the try changed."""
    return after.pop("rate_limit_windows") - before.pop("rate_limit_windows")


def post_sign_in(client, email, password, **extra):
    data = {"csrf_token": csrf_token(client, "/sign-in"), "email": email, "password": password}
    data.update(extra)
    return client.post("/sign-in", data=data)


def test_sign_in_page_has_the_gov_uk_pattern(client):
    response = client.get("/sign-in")
    html = response.get_data(as_text=True)
    page = check_page(html)
    assert response.status_code == 200
    assert page.title.startswith("Sign in")
    assert '<label class="govuk-label" for="email">' in html and "Email address" in html
    assert '<label class="govuk-label" for="password">' in html and "Password" in html
    assert re.search(r'<button type="submit"[^>]*>\s*Sign in\s*</button>', html)
    assert 'autocomplete="current-password"' in html


@pytest.mark.parametrize("home", ROLE_HOMES, ids=lambda item: item.role.value)
def test_each_role_lands_on_its_own_home(app, client, home):
    user = make_user(home.role)
    response = sign_in(client, user.email)
    with app.test_request_context():
        expected = url_for(home.endpoint)
    assert response.headers["Location"] == expected
    page = client.get(expected)
    assert page.status_code == 200
    assert "Sign out" in page.get_data(as_text=True)


def test_someone_with_several_roles_lands_on_the_first_and_sees_all(client):
    user = make_user(Role.COMMUNITY_SAFETY, Role.CASE_OFFICER)
    response = sign_in(client, user.email)
    assert response.headers["Location"] == "/staff/cases"
    html = client.get("/staff/cases").get_data(as_text=True)
    assert "Community Safety referrals" in html and "My cases" in html


@pytest.mark.parametrize(
    ("email", "password"),
    [("nobody@example.com", TEST_PASSWORD), ("known@example.com", "wrong password")],
    ids=["unknown-email", "wrong-password"],
)
def test_bad_credentials_get_one_generic_message_and_change_no_data(client, email, password):
    make_user(Role.CUSTOMER, email="known@example.com")
    before = row_counts()
    response = post_sign_in(client, email, password)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert GENERIC_ERROR in html
    check_page(html)
    assert "Error:" in html.split("</title>")[0]
    after = row_counts()
    # Only the security audit event is added (ASVS 16.3.1); no domain data changes.
    assert after.pop("audit_events") == before.pop("audit_events") + 1
    assert tries_counted(before, after) == 1
    # The typed address's failure count (portal.auth.throttle), alike for both cases.
    assert after.pop("sign_in_throttles") == before.pop("sign_in_throttles") + 1
    assert after == before
    assert (
        db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()))
        == "authn_login_fail"
    )


def test_empty_fields_get_a_message_each_and_nothing_is_written(client):
    before = row_counts()
    response = post_sign_in(client, "", "")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter your email address" in html and "Enter your password" in html
    assert 'href="#email"' in html and 'href="#password"' in html  # error summary links
    after = row_counts()
    assert tries_counted(before, after) == 1
    assert after == before


def test_over_long_input_is_refused_with_a_message(client):
    before = row_counts()
    response = post_sign_in(client, "a" * 250 + "@example.com", "p" * 1025)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Email address must be 254 characters or fewer" in html
    assert "Password must be 1024 characters or fewer" in html
    after = row_counts()
    assert tries_counted(before, after) == 1
    assert after == before


def test_a_missing_csrf_token_is_a_400_and_nothing_is_written(client):
    make_user(Role.CUSTOMER, email="known@example.com")
    before = row_counts()
    response = client.post(
        "/sign-in", data={"email": "known@example.com", "password": TEST_PASSWORD}
    )
    assert response.status_code == 400
    assert "Your form could not be checked" in response.get_data(as_text=True)
    assert row_counts() == before


def test_email_is_matched_without_regard_to_case_or_spaces(client):
    make_user(Role.CUSTOMER, email="mixed@example.com")
    response = post_sign_in(client, "  Mixed@Example.COM ", TEST_PASSWORD)
    assert response.status_code == 303


def test_account_waits_after_five_failures_even_for_the_right_password(client):
    """Issue 14 item 3: after the free tries no password is checked until a wait ends."""
    user = make_user(Role.CUSTOMER)
    for _ in range(5):
        assert post_sign_in(client, user.email, "wrong").status_code == 400
    response = post_sign_in(client, user.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Try again after" in response.get_data(as_text=True)
    failures = throttle_for(user.email)
    assert failures.next_try_at is not None and failures.next_try_at > utcnow()


def test_the_wait_ends(client):
    user = make_user(Role.CUSTOMER)
    for _ in range(5):
        post_sign_in(client, user.email, "wrong")
    failures = throttle_for(user.email)
    failures.next_try_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    assert post_sign_in(client, user.email, TEST_PASSWORD).status_code == 303


def test_a_disabled_account_cannot_sign_in(client):
    user = make_user(Role.CASE_OFFICER, is_enabled=False)
    assert post_sign_in(client, user.email, TEST_PASSWORD).status_code == 400


def test_signing_in_starts_a_new_session(client):
    """Session fixation (ASVS 7.2.4): nothing from the anonymous session survives."""
    user = make_user(Role.CUSTOMER)
    client.get("/sign-in")
    before = client.get_cookie("portal_session").value
    sign_in(client, user.email)
    after = client.get_cookie("portal_session").value
    assert before != after
    assert db.session.scalar(select(func.count(UserSession.id))) == 1


def test_signing_out_ends_the_session_on_the_server(app, client):
    """A cookie replayed after sign-out must not work (ASVS 7.4.1)."""
    user = make_user(Role.CUSTOMER)
    sign_in(client, user.email)
    stolen = client.get_cookie("portal_session").value
    assert client.get("/my/").status_code == 200
    response = sign_out(client)
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    replay = app.test_client()
    replay.set_cookie("portal_session", stolen)
    response = replay.get("/my/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_sign_out_is_a_post_form_on_every_signed_in_page(client):
    user = make_user(Role.CASE_OFFICER)
    sign_in(client, user.email)
    html = client.get("/staff/cases").get_data(as_text=True)
    assert 'action="/sign-out"' in html and 'method="post"' in html
    assert client.get("/sign-out").status_code == 405


def test_an_idle_session_expires_after_30_minutes(client):
    user = make_user(Role.CUSTOMER)
    sign_in(client, user.email)
    session_row = db.session.scalar(select(UserSession))
    session_row.last_seen_at = utcnow() - dt.timedelta(minutes=31)
    db.session.commit()
    assert client.get("/my/").status_code == 302
    db.session.refresh(session_row)
    assert session_row.ended_at is not None


def test_a_session_ends_after_12_hours_however_active(client):
    user = make_user(Role.CUSTOMER)
    sign_in(client, user.email)
    session_row = db.session.scalar(select(UserSession))
    session_row.created_at = utcnow() - dt.timedelta(hours=12, minutes=1)
    db.session.commit()
    assert client.get("/my/").status_code == 302


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_next_never_leaves_the_site(client, target):
    user = make_user(Role.CUSTOMER)
    token = csrf_token(client, "/sign-in")
    response = client.post(
        f"/sign-in?next={target}",
        data={"csrf_token": token, "email": user.email, "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/my/"


def test_next_returns_to_the_page_asked_for(client):
    user = make_user(Role.CUSTOMER)
    first = client.get("/my/")
    assert first.status_code == 302
    token = csrf_token(client, "/sign-in")
    response = client.post(
        first.headers["Location"],
        data={"csrf_token": token, "email": user.email, "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/my/"


def test_a_signed_in_person_visiting_sign_in_goes_home(client):
    user = make_user(Role.ADVOCATE)
    sign_in(client, user.email)
    response = client.get("/sign-in")
    assert response.status_code == 303 and response.headers["Location"] == "/advocate/"


def test_password_hashes_are_argon2id(client):
    user = make_user(Role.CUSTOMER)
    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("$argon2id$")
