"""A step of an appeal or reconsideration is checked before it is saved on the draft, and
Send checks every answer again, refusing cleanly (issue 14 item 6; s3.4, s4)."""

import pytest
from sqlalchemy import func, select

from portal.challenges.rules import REASONS_MAX
from portal.extensions import db
from portal.forms import HIDDEN_CHARACTER_ERRORS
from portal.models import Appeal, ChallengeDraft, ReconsiderationRequest
from portal.text_input import CONTROL
from tests.helpers import csrf_token, sign_in
from tests.letter_fixtures import make_notice_world


def post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def start(client, kind, restriction_id) -> str:
    url = f"/challenges/{kind}/restriction/{restriction_id}"
    response = post(client, url, {})
    assert response.status_code == 303
    return response.headers["Location"]


def draft_answers() -> dict:
    db.session.expire_all()
    return dict(db.session.scalar(select(ChallengeDraft)).data)


def challenges_made() -> int:
    return db.session.scalar(select(func.count(Appeal.id))) + db.session.scalar(
        select(func.count(ReconsiderationRequest.id))
    )


@pytest.fixture
def customer_restriction(app, client):
    _case, restriction, _officer, customer = make_notice_world()
    sign_in(client, customer.user.email)
    return restriction


TOO_LONG = f"Reasons must be {REASONS_MAX} characters or fewer"


@pytest.mark.parametrize(
    ("answer", "message", "button"),
    [
        ("x" * (REASONS_MAX + 1), TOO_LONG, "submit"),
        ("x" * (2 * REASONS_MAX), TOO_LONG, "later"),
        ("My repair\x00 is done", str(HIDDEN_CHARACTER_ERRORS[CONTROL]), "later"),
    ],
)
def test_a_refused_answer_is_not_saved_on_the_draft(
    client, customer_restriction, answer, message, button
):
    reasons_url = start(client, "appeal", customer_restriction.id)
    post(client, reasons_url, {"reasons": "My first answer.", "later": "Save"})
    response = post(client, reasons_url, {"reasons": answer, button: "Save"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert draft_answers() == {"reasons": "My first answer."}


def test_an_answer_of_exactly_the_limit_is_saved(client, customer_restriction):
    reasons_url = start(client, "appeal", customer_restriction.id)
    answer = "y" * (REASONS_MAX - 2) + "\r\n"
    response = post(client, reasons_url, {"reasons": answer, "submit": "Save"})
    assert response.status_code == 303
    assert draft_answers() == {"reasons": answer}


def test_a_ground_the_policy_does_not_allow_is_not_saved(client, customer_restriction):
    ground_url = start(client, "reconsideration", customer_restriction.id)
    response = post(client, ground_url, {"ground": "i_just_dont_like_it", "submit": "Save"})
    assert response.status_code == 400
    assert "ground" not in draft_answers()


INVALID_DRAFTS = {
    "reconsideration": [
        ({"ground": "i_just_dont_like_it", "details": "New plan."}, "ground"),
        ({"ground": "factual_error", "details": "z" * 10_000}, "details"),
        ({"ground": "factual_error", "details": "Wrong\x00date"}, "details"),
        ({"ground": "factual_error", "details": 42}, "details"),
    ],
    "appeal": [
        ({"reasons": "z" * (REASONS_MAX + 1)}, "reasons"),
        ({"reasons": "Bad\x1bescape"}, "reasons"),
    ],
}


@pytest.mark.parametrize("kind", ["reconsideration", "appeal"])
def test_send_refuses_a_draft_holding_an_invalid_answer(client, customer_restriction, kind):
    """Drafts saved before the steps checked their answers may hold anything: Send says
    which question to change, makes nothing, and keeps the draft."""
    start(client, kind, customer_restriction.id)
    draft_id = db.session.scalar(select(ChallengeDraft.id))
    send_url = f"/challenges/drafts/{draft_id}/send"
    token = csrf_token(client, f"/challenges/drafts/{draft_id}/evidence")
    for stored, step in INVALID_DRAFTS[kind]:
        draft = db.session.get(ChallengeDraft, draft_id)
        draft.data = stored
        db.session.commit()
        response = client.post(send_url, data={"csrf_token": token})
        assert response.status_code == 303, stored
        assert response.headers["Location"] == f"/challenges/drafts/{draft_id}/{step}", stored
        page = client.get(response.headers["Location"])
        assert page.status_code == 200
        assert "One of your answers cannot be sent as it is" in page.get_data(as_text=True)
        assert challenges_made() == 0
        assert db.session.get(ChallengeDraft, draft_id) is not None


def test_a_valid_draft_is_still_sent(client, customer_restriction):
    ground_url = start(client, "reconsideration", customer_restriction.id)
    details_url = post(client, ground_url, {"ground": "factual_error", "submit": "Save"}).headers[
        "Location"
    ]
    post(client, details_url, {"details": "The date\tis wrong.\r\nIt was May.", "submit": "Save"})
    draft_id = db.session.scalar(select(ChallengeDraft.id))
    check_url = f"/challenges/drafts/{draft_id}/check"
    response = client.post(
        f"/challenges/drafts/{draft_id}/send", data={"csrf_token": csrf_token(client, check_url)}
    )
    assert response.status_code == 303
    sent = db.session.scalar(select(ReconsiderationRequest))
    assert sent.details == "The date\tis wrong.\r\nIt was May."
