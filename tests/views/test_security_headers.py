"""Headers on every response, errors and static files included (SECURITY.md §1 rows 20–22)."""

import pytest

from portal.models.vocab import Role
from portal.security import PUBLIC, access
from tests.conftest import make_test_app
from tests.factories import make_user
from tests.helpers import assert_security_headers, sign_in, texts, url


@pytest.mark.parametrize(
    ("endpoint", "values", "status"),
    [
        ("public.start", {}, 200),
        ("auth.sign_in", {}, 200),
        # A literal path: the point is that no route has it.
        (None, "/no-such-page", 404),
        ("my.home", {}, 302),
        ("static", {"filename": "css/portal.min.css"}, 200),
        ("public.health", {}, 200),
    ],
)
def test_every_response_carries_the_security_headers(client, endpoint, values, status):
    path = values if endpoint is None else url(endpoint, **values)
    with client.get(path) as response:  # closes the streamed static file
        assert response.status_code == status
        assert_security_headers(response)


def test_pages_are_never_cached_and_vary_on_htmx(client):
    response = client.get(url("auth.sign_in"))
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_a_forbidden_page_and_a_server_error_carry_them_too(app, client):
    @app.route("/boom")
    @access(PUBLIC)
    def boom():
        raise RuntimeError("kaboom")

    sign_in(client, make_user(Role.CUSTOMER).email)
    assert_security_headers(client.get(url("staff.cases")))
    response = client.get(url("boom"))
    assert response.status_code == 500
    assert_security_headers(response)
    assert texts(response, "h1") == ["Sorry, there is a problem with the service"]
    # Nothing leaks anywhere in the body, markup included: a check of the raw text.
    html = response.get_data(as_text=True)
    assert "kaboom" not in html and "Traceback" not in html


def test_production_cookies_are_host_only_secure_httponly_samesite(
    databases, tmp_path, monkeypatch
):
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    database_url = databases.new_sqlite()
    # Production answers only for its own host (TRUSTED_HOSTS, from PORTAL_BASE_URL).
    app = make_test_app(
        database_url, tmp_path, PORTAL_ENV="production", PORTAL_BASE_URL="https://localhost"
    )
    client = app.test_client()
    response = client.get(url("auth.sign_in", app=app), base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-portal_session=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Domain=" not in cookie


def test_static_files_are_served_with_a_cacheable_policy(client):
    with client.get(url("static", filename="vendor/htmx/htmx.min.js")) as response:
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"
