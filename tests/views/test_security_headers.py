"""Headers on every response, errors and static files included (SECURITY.md §1 rows 20–22)."""

import pytest

from portal.models.vocab import Role
from portal.security import PUBLIC, access
from tests.conftest import make_test_app
from tests.factories import make_user
from tests.helpers import sign_in

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def assert_security_headers(response):
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/sign-in", 200),
        ("/no-such-page", 404),
        ("/my/", 302),
        ("/static/css/portal.min.css", 200),
        ("/health", 200),
    ],
)
def test_every_response_carries_the_security_headers(client, url, status):
    with client.get(url) as response:  # closes the streamed static file
        assert response.status_code == status
        assert_security_headers(response)


def test_pages_are_never_cached_and_vary_on_htmx(client):
    response = client.get("/sign-in")
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_a_forbidden_page_and_a_server_error_carry_them_too(app, client):
    @app.route("/boom")
    @access(PUBLIC)
    def boom():
        raise RuntimeError("kaboom")

    sign_in(client, make_user(Role.CUSTOMER).email)
    assert_security_headers(client.get("/staff/cases"))
    response = client.get("/boom")
    assert response.status_code == 500
    assert_security_headers(response)
    html = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in html
    assert "kaboom" not in html and "Traceback" not in html


def test_production_cookies_are_host_only_secure_httponly_samesite(
    databases, tmp_path, monkeypatch
):
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    url = databases.new_sqlite()
    # Production answers only for its own host (TRUSTED_HOSTS, from PORTAL_BASE_URL).
    app = make_test_app(url, tmp_path, PORTAL_ENV="production", PORTAL_BASE_URL="https://localhost")
    client = app.test_client()
    response = client.get("/sign-in", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-portal_session=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Domain=" not in cookie


def test_static_files_are_served_with_a_cacheable_policy(client):
    with client.get("/static/vendor/htmx/htmx.min.js") as response:
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"
