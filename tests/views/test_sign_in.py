"""Sign-in and sign-out for everyone (issue 3 item 5; SECURITY.md §1 rows 8–11)."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from portal.auth.throttle import throttle_for
from portal.extensions import db
from portal.models import AuditEvent, User, UserSession
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.navigation import ROLE_HOMES
from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import (
    check_page,
    csrf_token,
    error_summary,
    parse,
    sign_in,
    sign_out,
    text_of,
    texts,
    title,
    url,
)

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


def generic_error_only(response) -> bool:
    """The error summary holds the one generic message, and nothing else."""
    messages = error_summary(response)
    return len(messages) == 1 and messages[0].startswith(GENERIC_ERROR)


def post_sign_in(client, email, password, **extra):
    sign_in_url = url("auth.sign_in")
    data = {"csrf_token": csrf_token(client, sign_in_url), "email": email, "password": password}
    data.update(extra)
    return client.post(sign_in_url, data=data)


def test_sign_in_page_has_the_gov_uk_pattern(client):
    response = client.get(url("auth.sign_in"))
    page = check_page(response.get_data(as_text=True))
    assert response.status_code == 200
    assert page.title.startswith("Sign in")
    form = parse(response)
    labels = {label.get("for"): text_of(label) for label in form.cssselect("label.govuk-label")}
    assert labels["email"] == "Email address" and labels["password"] == "Password"
    assert texts(response, 'main button[type="submit"]') == ["Sign in"]
    assert form.get_element_by_id("password").get("autocomplete") == "current-password"


@pytest.mark.parametrize("home", ROLE_HOMES, ids=lambda item: item.role.value)
def test_each_role_lands_on_its_own_home(app, client, home):
    user = make_user(home.role)
    response = sign_in(client, user.email)
    expected = url(home.endpoint)
    assert response.headers["Location"] == expected
    page = client.get(expected)
    assert page.status_code == 200
    sign_out_form = parse(page).cssselect(f'header form[action="{url("auth.sign_out")}"]')
    assert [text_of(form.cssselect("button")[0]) for form in sign_out_form] == ["Sign out"]


def test_someone_with_several_roles_lands_on_the_first_and_sees_all(client):
    user = make_user(Role.COMMUNITY_SAFETY, Role.CASE_OFFICER)
    response = sign_in(client, user.email)
    assert response.headers["Location"] == url("staff.cases")
    menu = texts(client.get(url("staff.cases")), ".govuk-service-navigation__link")
    assert "Community Safety referrals" in menu and "My cases" in menu


@pytest.mark.parametrize(
    ("email", "password"),
    [("nobody@example.com", TEST_PASSWORD), ("known@example.com", "wrong password")],
    ids=["unknown-email", "wrong-password"],
)
def test_bad_credentials_get_one_generic_message_and_change_no_data(client, email, password):
    make_user(Role.CUSTOMER, email="known@example.com")
    before = row_counts()
    response = post_sign_in(client, email, password)
    assert response.status_code == 400
    assert generic_error_only(response)
    check_page(response.get_data(as_text=True))
    assert title(response).startswith("Error: ")
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
    assert response.status_code == 400
    # The error summary links each message to its field.
    links = parse(response).cssselect(".govuk-error-summary__list a")
    assert [(text_of(a), a.get("href")) for a in links] == [
        ("Enter your email address", "#email"),
        ("Enter your password", "#password"),
    ]
    after = row_counts()
    assert tries_counted(before, after) == 1
    assert after == before


def test_over_long_input_is_refused_with_a_message(client):
    before = row_counts()
    response = post_sign_in(client, "a" * 250 + "@example.com", "p" * 1025)
    assert response.status_code == 400
    assert error_summary(response) == [
        "Email address must be 254 characters or fewer",
        "Password must be 1024 characters or fewer",
    ]
    after = row_counts()
    assert tries_counted(before, after) == 1
    assert after == before


def test_a_missing_csrf_token_is_a_400_and_nothing_is_written(client):
    make_user(Role.CUSTOMER, email="known@example.com")
    before = row_counts()
    response = client.post(
        url("auth.sign_in"), data={"email": "known@example.com", "password": TEST_PASSWORD}
    )
    assert response.status_code == 400
    assert texts(response, "h1") == ["Your form could not be checked"]
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
    assert any("Try again after" in message for message in error_summary(response))
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
    client.get(url("auth.sign_in"))
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
    assert client.get(url("my.home")).status_code == 200
    response = sign_out(client)
    assert response.status_code == 303 and response.headers["Location"] == url("auth.sign_in")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    replay = app.test_client()
    replay.set_cookie("portal_session", stolen)
    response = replay.get(url("my.home"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(url("auth.sign_in"))


def test_sign_out_is_a_post_form_on_every_signed_in_page(client):
    user = make_user(Role.CASE_OFFICER)
    sign_in(client, user.email)
    page = parse(client.get(url("staff.cases")))
    forms = page.cssselect(f'form[action="{url("auth.sign_out")}"]')
    assert [form.get("method") for form in forms] == ["post"]
    assert client.get(url("auth.sign_out")).status_code == 405


def test_an_idle_session_expires_after_30_minutes(client):
    user = make_user(Role.CUSTOMER)
    sign_in(client, user.email)
    session_row = db.session.scalar(select(UserSession))
    session_row.last_seen_at = utcnow() - dt.timedelta(minutes=31)
    db.session.commit()
    assert client.get(url("my.home")).status_code == 302
    db.session.refresh(session_row)
    assert session_row.ended_at is not None


def test_a_session_ends_after_12_hours_however_active(client):
    user = make_user(Role.CUSTOMER)
    sign_in(client, user.email)
    session_row = db.session.scalar(select(UserSession))
    session_row.created_at = utcnow() - dt.timedelta(hours=12, minutes=1)
    db.session.commit()
    assert client.get(url("my.home")).status_code == 302


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_next_never_leaves_the_site(client, target):
    user = make_user(Role.CUSTOMER)
    token = csrf_token(client, url("auth.sign_in"))
    response = client.post(
        url("auth.sign_in", next=target),
        data={"csrf_token": token, "email": user.email, "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == url("my.home")


def test_next_returns_to_the_page_asked_for(client):
    user = make_user(Role.CUSTOMER)
    first = client.get(url("my.home"))
    assert first.status_code == 302
    token = csrf_token(client, url("auth.sign_in"))
    response = client.post(
        first.headers["Location"],
        data={"csrf_token": token, "email": user.email, "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == url("my.home")


def test_a_signed_in_person_visiting_sign_in_goes_home(client):
    user = make_user(Role.ADVOCATE)
    sign_in(client, user.email)
    response = client.get(url("auth.sign_in"))
    assert response.status_code == 303 and response.headers["Location"] == url("advocate.home")


def test_password_hashes_are_argon2id(client):
    user = make_user(Role.CUSTOMER)
    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("$argon2id$")
