"""Per-address try counts live in the database (portal.auth.rate_limits): two app servers
on one database count the same tries, on SQLite and PostgreSQL (INSERT … ON CONFLICT)."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import RateLimitWindow
from tests.helpers import post_form, url
from tests.views.test_rate_limits import LIMITS, from_address


@pytest.fixture
def limited(app):
    app.config["RATE_LIMITS"] = LIMITS
    return app


def test_the_limit_counts_in_the_database_so_a_second_app_server_agrees(limited, tmp_path):
    from tests.conftest import make_test_app

    sign_in_url = url("auth.sign_in")
    wrong = {"email": "a@example.com", "password": "x"}
    first = from_address(limited, "203.0.113.8")
    for _ in range(2):
        post_form(first, sign_in_url, wrong)
    second_server = make_test_app(
        limited.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "second", RATE_LIMITS=LIMITS
    )
    other = from_address(second_server, "203.0.113.8")
    assert post_form(other, sign_in_url, wrong).status_code == 400
    assert post_form(other, sign_in_url, wrong).status_code == 429
    # The address is stored only as a keyed hash.
    keys = db.session.scalars(select(RateLimitWindow.client_key)).all()
    assert keys and all("203.0.113.8" not in key and len(key) == 64 for key in keys)
    with second_server.app_context():
        db.engine.dispose()
