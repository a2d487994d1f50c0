"""Per-network-address limits on signing in, the sign-in code and the self-service emails
(SECURITY.md §4 figure 9: per-IP 429 after L tries; the per-account lockout is tested in
test_auth)."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import RateLimitWindow
from portal.models.vocab import Role
from tests.factories import TEST_PASSWORD, make_customer, make_user
from tests.helpers import check_page, csrf_token, date_fields, emails_to, post_form, texts, url

LIMITS = {"sign-in": (3, 300), "second-factor": (3, 300), "self-service": (2, 3600)}


@pytest.fixture
def limited(app):
    app.config["RATE_LIMITS"] = LIMITS
    return app


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_an_address_past_the_sign_in_limit_gets_429_even_with_the_right_password(limited):
    user = make_user(Role.CUSTOMER)
    sprayer = from_address(limited, "203.0.113.7")
    for attempt in range(3):
        wrong = post_form(
            sprayer, url("auth.sign_in"), {"email": f"n{attempt}@example.com", "password": "x"}
        )
        assert wrong.status_code == 400
    credentials = {"email": user.email, "password": TEST_PASSWORD}
    refused = post_form(sprayer, url("auth.sign_in"), credentials)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 300
    check_page(refused.get_data(as_text=True))
    assert texts(refused, "h1") == ["Too many tries"]
    # The account itself is not locked: the same person from another address signs in.
    elsewhere = from_address(limited, "198.51.100.20")
    right = post_form(elsewhere, url("auth.sign_in"), credentials)
    assert right.status_code == 303


def test_password_reset_requests_past_the_limit_send_nothing(limited):
    user = make_user(Role.CUSTOMER)
    client = from_address(limited, "203.0.113.9")
    for _ in range(2):
        assert (
            post_form(client, url("auth.forgot_password"), {"email": user.email}).status_code == 200
        )
    assert post_form(client, url("auth.forgot_password"), {"email": user.email}).status_code == 429
    # Two emails at most: the per-account limit (three an hour) was not what stopped it.
    assert len(emails_to(limited, user.email)) == 2


def test_guessing_dates_of_birth_for_an_invitation_is_stopped(limited):
    customer = make_customer(email="guess@example.com")
    client = from_address(limited, "203.0.113.10")
    statuses = [  # a guessed date each time: the first two get the same answer as ever
        post_form(
            client,
            url("auth.ask_for_invitation"),
            {
                "reference": customer.reference,
                **date_fields("date_of_birth", dt.date(1980, 1, day)),
                "postcode": customer.postcode,
            },
        ).status_code
        for day in range(1, 6)
    ]
    assert statuses[2:] == [429, 429, 429]


def test_pages_are_still_shown_to_an_address_past_the_limit(limited):
    client = from_address(limited, "203.0.113.11")
    for _ in range(4):
        post_form(client, url("auth.sign_in"), {"email": "a@example.com", "password": "x"})
    assert client.get(url("auth.sign_in")).status_code == 200
    assert db.session.scalar(select(func.sum(RateLimitWindow.hits))) == 4


def test_behind_a_trusted_proxy_each_customer_is_counted_by_their_own_address(databases, tmp_path):
    from tests.conftest import make_test_app

    database_url = databases.new("sqlite")
    behind = make_test_app(database_url, tmp_path, RATE_LIMITS=LIMITS, TRUSTED_PROXIES=1)
    proxy = from_address(behind, "10.0.0.2")  # the load balancer
    with behind.app_context():
        sign_in_url = url("auth.sign_in")

        def tries(forwarded_for):
            return [
                proxy.post(
                    sign_in_url,
                    data={
                        "csrf_token": csrf_token(proxy, sign_in_url),
                        "email": "a@example.com",
                        "password": "x",
                    },
                    headers={"X-Forwarded-For": forwarded_for},
                ).status_code
                for _ in range(4)
            ]

        assert tries("203.0.113.50")[-1] == 429
        assert tries("198.51.100.60")[0] != 429
        db.engine.dispose()
    databases.drop(database_url)
