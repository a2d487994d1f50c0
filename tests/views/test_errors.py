"""Friendly errors that leak nothing and save nothing (ASVS 16.5)."""

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.extensions import db
from portal.models import AuditEvent, UserSession
from portal.models.vocab import Role
from tests.factories import make_user
from tests.helpers import check_page, csrf_token, texts, url


def test_a_missing_page_is_a_friendly_404(client):
    # A literal path: the point is that no route has it.
    response = client.get("/no-such-page")
    assert response.status_code == 404
    check_page(response.get_data(as_text=True))
    assert texts(response, "h1") == ["Page not found"]


def test_a_database_outage_gives_a_503_and_saves_nothing(app, client, monkeypatch):
    user = make_user(Role.CUSTOMER)
    token = csrf_token(client, url("auth.sign_in"))
    from portal.auth import routes

    def database_gone(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(routes, "start_session", database_gone)
    response = client.post(
        url("auth.sign_in"),
        data={"csrf_token": token, "email": user.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    check_page(html)
    assert texts(response, "h1") == ["Sorry, the service is unavailable"]
    # Nothing leaks anywhere in the body, markup included: a check of the raw text.
    assert "connection refused" not in html and "Traceback" not in html
    # Nothing half-saved: no session row, no success audit event, sign-in time unchanged.
    db.session.refresh(user)
    assert user.last_signed_in_at is None
    assert db.session.scalar(select(func.count(UserSession.id))) == 0
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "authn_login_success")
        )
        == 0
    )


def test_the_health_check_reports_a_database_outage(app, client, monkeypatch):
    from portal.public import routes

    monkeypatch.setattr(routes, "database_is_reachable", lambda: False)
    response = client.get(url("public.health"))
    assert response.status_code == 503


def test_a_too_large_request_is_413_and_friendly(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(url("auth.sign_in"), data={"email": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert texts(response, "h1") == ["The file or form you sent is too large"]
