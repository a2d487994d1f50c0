"""Issue 14 item 2: links in emails and letters come from PORTAL_BASE_URL, never from the
request's Host header; requests for another host are refused; forwarded headers are
trusted only from configured proxies, and never for the host."""

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import create_app
from portal.config import load_config
from portal.extensions import db
from portal.external_links import external_url
from portal.letters.delivery import letter_link
from portal.models import AdvocateAuthority, AuditEvent, User
from portal.models.vocab import Role
from tests.conftest import make_test_app
from tests.factories import make_customer, make_user
from tests.helpers import (
    csrf_token,
    emails_to,
    post_form,
    sign_in,
    token_link_prefix,
    url,
)

EVIL = {"Host": "evil.example"}


def links_in_newest_email(app, to: str) -> list[str]:
    messages = emails_to(app, to)
    assert messages, f"no email to {to}"
    return re.findall(r"https?://\S+", messages[-1].get_content())


def test_a_request_for_another_host_is_refused(client):
    paths = [url(endpoint) for endpoint in ("public.start", "auth.sign_in", "auth.forgot_password")]
    # And a path no route answers: the host is refused before any route is looked for.
    for path in (*paths, "/no-such-page"):
        response = client.get(path, headers=EVIL)
        assert response.status_code == 400, path
        # Plain text: without a URL adapter for the host no template can be rendered.
        assert response.mimetype == "text/plain", path
        assert "There is a problem with your request" in response.get_data(as_text=True)
    # The test client's own host is fine.
    assert client.get(url("auth.sign_in")).status_code == 200


def test_a_post_for_another_host_writes_nothing_and_sends_nothing(app, client):
    user = make_user(Role.CUSTOMER)
    token = csrf_token(client, url("auth.forgot_password"))
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    response = client.post(
        url("auth.forgot_password"), data={"csrf_token": token, "email": user.email}, headers=EVIL
    )
    assert response.status_code == 400
    assert emails_to(app, user.email) == []
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events


def test_lang_on_a_request_for_another_host_changes_nothing(app, client):
    user = make_user(Role.CUSTOMER, preferred_locale="en")
    sign_in(client, user.email)
    assert client.get(url("my.home", lang="cy"), headers=EVIL).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).preferred_locale == "en"


def test_the_invitation_email_links_to_the_portal_not_the_requests_host(app, client):
    base = app.config["PORTAL_BASE_URL"]
    assert base != "http://localhost"  # so the test can tell the two apart
    user = make_user(Role.CUSTOMER)
    make_customer(user, full_name="Ada Lovelace")
    sign_in(client, user.email)
    response = post_form(
        client,
        url("my.nominate"),
        {
            "name": "Grace Hopper",
            "email": "grace@example.com",
            "relationship": "friend",
            "scope": ["view"],
        },
    )
    assert response.status_code == 303
    links = links_in_newest_email(app, "grace@example.com")
    invitation = base + token_link_prefix("advocate.invitation")
    assert links and all(link.startswith(invitation) for link in links)
    assert db.session.scalar(select(func.count(AdvocateAuthority.id))) == 1


def test_a_password_reset_link_uses_the_base_url(app, client):
    user = make_user(Role.CUSTOMER)
    assert post_form(client, url("auth.forgot_password"), {"email": user.email}).status_code == 200
    links = links_in_newest_email(app, user.email)
    reset = app.config["PORTAL_BASE_URL"] + token_link_prefix("auth.reset_password")
    assert links and all(link.startswith(reset) for link in links)


def test_links_built_inside_a_request_for_another_trusted_host_use_the_base_url(app):
    base = app.config["PORTAL_BASE_URL"]
    with app.test_request_context("/", base_url="http://127.0.0.1:8080"):
        assert external_url("letters.show", letter_id=7) == f"{base}/letters/7"
        assert letter_link(SimpleNamespace(id=7)) == f"{base}/letters/7"
        assert external_url("auth.reset_password", token="abc") == f"{base}/reset-password/abc"
    # And from a command, with no request at all.
    assert letter_link(SimpleNamespace(id=8)) == f"{base}/letters/8"


def test_a_base_url_under_a_path_keeps_its_path(app):
    app.config["PORTAL_BASE_URL"] = "https://homes.example.org/portal"
    assert external_url("letters.show", letter_id=3) == "https://homes.example.org/portal/letters/3"


def test_trusted_hosts_come_from_the_base_url_and_the_extra_list(monkeypatch):
    monkeypatch.delenv("EXTRA_TRUSTED_HOSTS", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portal.alliancehomes.org.uk")
    assert load_config({"PORTAL_ENV": "production"})["TRUSTED_HOSTS"] == [
        "portal.alliancehomes.org.uk"
    ]
    monkeypatch.setenv("EXTRA_TRUSTED_HOSTS", "portal-internal.lan, health.lan")
    assert load_config({"PORTAL_ENV": "production"})["TRUSTED_HOSTS"] == [
        "portal.alliancehomes.org.uk",
        "portal-internal.lan",
        "health.lan",
    ]
    # Development: what `make run` serves and what a developer types.
    monkeypatch.delenv("PORTAL_BASE_URL")
    monkeypatch.delenv("EXTRA_TRUSTED_HOSTS")
    assert load_config({"PORTAL_ENV": "development"})["TRUSTED_HOSTS"] == [
        "127.0.0.1",
        "localhost",
    ]


def test_forwarded_headers_are_ignored_without_trusted_proxies(app, client):
    assert not isinstance(app.wsgi_app, ProxyFix)
    user = make_user(Role.CUSTOMER)
    forgot_password = url("auth.forgot_password")
    response = post_form(client, forgot_password, {"email": user.email})
    assert response.status_code == 200
    # A client-supplied X-Forwarded-Host changes neither the host checked nor any link.
    token = csrf_token(client, forgot_password)
    response = client.post(
        forgot_password,
        data={"csrf_token": token, "email": user.email},
        headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
    )
    assert response.status_code == 200
    for link in links_in_newest_email(app, user.email):
        assert link.startswith(app.config["PORTAL_BASE_URL"])


@pytest.fixture
def proxied_app(databases, tmp_path):
    database_url = databases.new("sqlite")
    application = make_test_app(database_url, tmp_path, TRUSTED_PROXIES=1)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()
    databases.drop(database_url)


def test_behind_a_proxy_the_forwarded_host_is_still_not_trusted(proxied_app):
    proxy = proxied_app.wsgi_app
    assert isinstance(proxy, ProxyFix)
    assert (proxy.x_for, proxy.x_proto, proxy.x_host, proxy.x_port, proxy.x_prefix) == (
        1,
        1,
        0,
        0,
        0,
    )
    client = proxied_app.test_client()
    user = make_user(Role.CUSTOMER)
    forgot_password = url("auth.forgot_password")
    token = csrf_token(client, forgot_password)
    response = client.post(
        forgot_password,
        data={"csrf_token": token, "email": user.email},
        headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-For": "203.0.113.9"},
    )
    assert response.status_code == 200  # X-Forwarded-Host ignored: the host is localhost
    for link in links_in_newest_email(proxied_app, user.email):
        assert link.startswith(proxied_app.config["PORTAL_BASE_URL"])
    # A forged Host is refused behind the proxy too.
    assert client.get(url("auth.sign_in"), headers=EVIL).status_code == 400


def test_an_app_without_an_absolute_base_url_does_not_start():
    from portal.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="PORTAL_BASE_URL"):
        create_app({"PORTAL_ENV": "testing", "PORTAL_BASE_URL": "portal.example.org"})
