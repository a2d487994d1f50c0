"""With the database gone, every page answers a friendly, translated 503 with the usual
security headers, and the error page itself never reaches for the database (issue 14 item
5; ASVS 16.5.1–16.5.3, SECURITY.md §1 row 34)."""

import contextlib

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, func, select

from portal.extensions import db
from portal.models import AuditEvent, User, UserSession
from portal.models.vocab import Role
from portal.security import CONTENT_SECURITY_POLICY
from tests.factories import TEST_PASSWORD, make_customer, make_user
from tests.figures import tally
from tests.helpers import check_page, csrf_token, parse, sign_in, url

UNAVAILABLE = "Sorry, the service is unavailable"
PROBLEM = "Sorry, there is a problem with the service"


@contextlib.contextmanager
def database_unreachable():
    """Every new connection is refused by the driver, as when the server is down: the pool
    is emptied first, so nothing already open can answer either."""
    db.session.remove()
    engine = db.engine
    engine.dispose()

    def refuse(*_args, **_kwargs):
        raise engine.dialect.loaded_dbapi.OperationalError("connection refused")

    event.listen(engine, "do_connect", refuse)
    try:
        yield
    finally:
        event.remove(engine, "do_connect", refuse)
        engine.dispose()


def anywhere_on(response) -> str:
    """Every text, comment and attribute value of the parsed page: all it shows or hides."""
    found = []
    for element in parse(response).iter():
        found += [element.text or "", element.tail or "", *element.attrib.values()]
    return " ".join(found)


def assert_friendly_error(response, status: int, heading: str):
    assert response.status_code == status
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"
    page = check_page(response.get_data(as_text=True))
    assert heading in page.title
    shown = anywhere_on(response)
    for leak in ("Traceback", "OperationalError", "connection refused", "sqlalchemy", "SELECT"):
        assert leak not in shown
    # No menu, no name, no form: none of it can be known without the database.
    assert "Signed in as" not in shown and "csrf_token" not in shown
    assert not parse(response).cssselect("form")
    return shown


def test_a_signed_in_page_is_a_friendly_503_with_security_headers(app, client):
    customer_user = make_user(Role.CUSTOMER, display_name="Ada Lovelace")
    make_customer(customer_user)
    sign_in(client, customer_user.email)
    with database_unreachable():
        response = client.get(url("my.home"))
    shown = assert_friendly_error(response, 503, UNAVAILABLE)
    assert "Ada Lovelace" not in shown
    tally("16 database outage", "signed-in pages answered 503 with headers, no traceback", 1)


def test_the_sign_in_form_is_a_friendly_503_and_saves_nothing(app, client):
    user = make_user(Role.CUSTOMER)
    user_id, email = user.id, user.email
    sign_in_url = url("auth.sign_in")
    token = csrf_token(client, sign_in_url)
    with database_unreachable():
        page = client.get(sign_in_url)
        sent = client.post(
            sign_in_url, data={"csrf_token": token, "email": email, "password": TEST_PASSWORD}
        )
    # The empty form needs no database; sending it does.
    assert page.status_code == 200
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert_friendly_error(sent, 503, UNAVAILABLE)
    assert db.session.get(User, user_id).last_signed_in_at is None
    assert db.session.scalar(select(func.count(UserSession.id))) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_a_signed_in_person_reaching_the_sign_in_page_gets_the_503(app, client):
    """The session cookie names a user, so even a public page would load them."""
    user = make_user(Role.CUSTOMER)
    sign_in(client, user.email)
    with database_unreachable():
        response = client.get(url("auth.sign_in"))
    assert_friendly_error(response, 503, UNAVAILABLE)


@pytest.mark.parametrize("language", ["cy", "ar"])
def test_the_503_is_in_the_browser_language(app, client, language):
    """The account's saved language is in the database; Accept-Language is not."""
    user = make_user(Role.CUSTOMER, preferred_locale="en")
    sign_in(client, user.email)
    with database_unreachable():
        response = client.get(url("my.home"), headers={"Accept-Language": language})
    with app.test_request_context(), force_locale(language):
        heading = _(UNAVAILABLE)
    assert heading != UNAVAILABLE
    assert_friendly_error(response, 503, heading)
    assert parse(response).get("lang") == language


def test_the_503_follows_the_language_chosen_in_this_session(app, client):
    user = make_user(Role.CUSTOMER)
    sign_in(client, user.email)
    client.get(url("public.start", lang="cy"))
    with database_unreachable():
        response = client.get(url("my.home"), headers={"Accept-Language": "en"})
    with app.test_request_context(), force_locale("cy"):
        heading = _(UNAVAILABLE)
    assert_friendly_error(response, 503, heading)


def test_the_500_page_runs_no_sql(app, client, monkeypatch):
    """An unexpected error after the page loaded the user: the rollback expires that user,
    and the error page must not load it again (nor the menu, nor the language)."""
    user = make_user(Role.CUSTOMER)
    make_customer(user)
    sign_in(client, user.email)
    failed = {"yet": False}
    statements_after_failure = []

    def fail(*_args, **_kwargs):
        failed["yet"] = True
        raise RuntimeError("something unexpected")

    def record(_conn, _cursor, statement, *_args):
        if failed["yet"]:
            statements_after_failure.append(statement)

    from portal.my import routes

    monkeypatch.setattr(routes, "render_template", fail)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url("my.home"))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert failed["yet"]
    shown = assert_friendly_error(response, 500, PROBLEM)
    assert "something unexpected" not in shown
    assert statements_after_failure == []


def test_a_failure_half_way_through_a_save_leaves_nothing_saved(app, client):
    """The database refuses the second statement of a write: the first is rolled back."""
    user = make_user(Role.CUSTOMER)
    sign_in_url = url("auth.sign_in")
    token = csrf_token(client, sign_in_url)
    writes = []

    def fail_second_write(conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)
            if len(writes) == 2:
                raise conn.dialect.loaded_dbapi.OperationalError("server closed the connection")

    event.listen(db.engine, "before_cursor_execute", fail_second_write)
    try:
        response = client.post(
            sign_in_url, data={"csrf_token": token, "email": user.email, "password": TEST_PASSWORD}
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", fail_second_write)
    assert len(writes) == 2
    assert_friendly_error(response, 503, UNAVAILABLE)
    db.session.refresh(user)
    assert user.last_signed_in_at is None
    assert db.session.scalar(select(func.count(UserSession.id))) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0
