"""A NUL byte or another hidden character in a text field is a clear error on the field,
on SQLite and on PostgreSQL (which refuses NUL in text, so it was a 503), including the
anonymous sign-in form (issue 14 item 6)."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.forms import HIDDEN_CHARACTER_ERRORS
from portal.models import AuditEvent, SignInThrottle, User
from portal.models.vocab import Role
from portal.text_input import CONTROL, DIRECTION
from tests.factories import TEST_PASSWORD, make_customer, make_user
from tests.helpers import check_page, csrf_token, date_fields, parse, post_form, sign_in, texts, url


def error_on(response, field: str) -> str:
    """The error message the page shows beside ``field``."""
    messages = parse(response).cssselect(f"#{field}-error")
    assert messages, f"no error beside {field}"
    return " ".join(messages[0].text_content().split())


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "someone\x00@example.com", "password": TEST_PASSWORD},
        {"email": "\x00", "password": "\x00"},
        {"email": "a@example.com", "password": "pass\x00word"},
    ],
)
def test_a_nul_in_the_sign_in_form_is_refused_on_the_field(app, client, fields):
    user = make_user(Role.CUSTOMER, email="a@example.com")
    response = post_form(client, url("auth.sign_in"), fields)
    assert response.status_code == 400
    check_page(response.get_data(as_text=True))
    field = "email" if "\x00" in fields["email"] else "password"
    assert str(HIDDEN_CHARACTER_ERRORS[CONTROL]) in error_on(response, field)
    assert db.session.get(User, user.id).last_signed_in_at is None
    # Refused by the form: no guess counted against the address, nothing audited.
    assert db.session.scalar(select(func.count(SignInThrottle.email_key))) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


@pytest.mark.parametrize(
    ("reference", "kind"),
    [("T-10\x000234", CONTROL), ("T-100\x1b234", CONTROL), ("T-100\u202e432", DIRECTION)],
)
def test_a_hidden_character_in_an_invitation_request_is_refused(app, client, reference, kind):
    make_customer(reference="T-100234", postcode="BS1 4DJ")
    response = post_form(
        client,
        url("auth.ask_for_invitation"),
        {
            "reference": reference,
            **date_fields("date_of_birth", dt.date(1980, 1, 1)),
            "postcode": "BS1 4DJ",
        },
    )
    assert response.status_code == 400
    assert str(HIDDEN_CHARACTER_ERRORS[kind]) in error_on(response, "reference")


def test_the_message_is_in_the_readers_language(app, client):
    from flask_babel import force_locale

    client.get(url("public.start", lang="cy"))
    response = post_form(client, url("auth.sign_in"), {"email": "x\x00", "password": "y"})
    with app.test_request_context(), force_locale("cy"):
        expected = str(HIDDEN_CHARACTER_ERRORS[CONTROL])
    assert response.status_code == 400
    assert expected in error_on(response, "email")


def test_a_nul_in_the_customer_search_finds_nothing_and_breaks_nothing(app):
    """The search box is read outside any form: its hidden characters are dropped."""
    make_customer(full_name="Zofia Nowak")
    client = app.test_client()
    sign_in(client, make_user(Role.CASE_OFFICER).email)
    search = url("customer_records.search")
    response = client.post(
        search, data={"csrf_token": csrf_token(client, search), "q": "no\x00wak"}
    )
    assert response.status_code == 200
    assert texts(response, "tbody td a") == ["Zofia Nowak"]
