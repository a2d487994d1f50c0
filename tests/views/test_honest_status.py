"""Issue 15 item 5: the customer is told honestly where things stand
(portal.challenges.where_it_stands)."""

import datetime as dt

from portal.challenges import rules
from portal.clock import today
from portal.extensions import db
from portal.models import Appeal
from portal.models.types import utcnow
from portal.models.vocab import AppealDecision, ChallengeStatus, Role
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user
from tests.helpers import main_text, parse, sign_in, summary_list, text_of, texts, url

TODAY = today()


def customer_world(**restriction_fields):
    officer, manager = make_user(Role.CASE_OFFICER), make_user(Role.REVIEW_MANAGER)
    customer = make_customer(make_user(Role.CUSTOMER), email="c@example.com")
    case = make_ready_case(customer, officer)
    restriction_fields.setdefault("starts_on", TODAY - dt.timedelta(days=10))
    restriction = make_active_restriction(case, officer, manager, **restriction_fields)
    return customer, restriction


def make_appeal(customer, restriction, **fields) -> Appeal:
    fields.setdefault("submitted_at", utcnow() - dt.timedelta(days=2))
    appeal = Appeal(
        reference=fields.pop("reference", "AP-TEST22"),
        customer_id=customer.id,
        restriction_id=restriction.id,
        grounds="The calls were about a leak.",
        submitted_by_id=customer.user_id,
        **fields,
    )
    db.session.add(appeal)
    db.session.commit()
    return appeal


def restriction_card(response):
    [card] = parse(response).cssselect("main .govuk-summary-card")
    return card


def card_links(card) -> list[str]:
    return [text_of(a) for a in card.cssselect("a.govuk-link")]


def test_a_restriction_that_starts_later_says_when_it_starts(app, client):
    starts = TODAY + dt.timedelta(days=4)
    customer, _restriction = customer_world(starts_on=starts)
    sign_in(client, customer.user.email)
    card = restriction_card(client.get(url("my.home")))
    [tag] = [text_of(t) for t in card.cssselect(".govuk-summary-list .govuk-tag")]
    assert tag == f"Starts on {starts.day} {starts:%B} {starts.year}"
    assert "In place" not in text_of(card)


def test_a_restriction_in_force_says_in_place_and_a_late_review_is_explained(app, client):
    customer, restriction = customer_world(
        starts_on=TODAY - dt.timedelta(days=100), next_review_on=TODAY - dt.timedelta(days=8)
    )
    sign_in(client, customer.user.email)
    card = restriction_card(client.get(url("my.home")))
    tags = [text_of(t) for t in card.cssselect(".govuk-summary-list .govuk-tag")]
    assert tags == ["Late", "In place"]
    [warning] = [text_of(w) for w in card.cssselect(".govuk-warning-text__text")]
    assert "Your review is late" in warning
    assert "still applies until the Service Delivery Manager reviews it" in warning
    assert "policy section 3.4" in warning


def test_a_review_on_time_has_no_warning(app, client):
    customer, _restriction = customer_world()
    sign_in(client, customer.user.email)
    card = restriction_card(client.get(url("my.home")))
    assert card.cssselect(".govuk-warning-text") == []
    assert card_links(card) == ["Appeal this restriction", "Ask us to reconsider it"]


def test_an_open_appeal_shows_its_answer_by_date_and_is_not_offered_again(app, client):
    customer, restriction = customer_world()
    appeal = make_appeal(customer, restriction, due_on=None)  # stored before the due date
    due = rules.appeal_due_on(appeal.submitted_at.date())
    due_words = f"{due.day} {due:%B} {due.year}"
    sign_in(client, customer.user.email)
    home = client.get(url("my.home"))
    card = restriction_card(home)
    assert card_links(card) == ["Ask us to reconsider it"]
    [note] = [text_of(p) for p in card.cssselect(".portal-open-challenge")]
    assert "You have appealed this restriction (appeal AP-TEST22)" in note
    assert f"We will answer by {due_words}" in note
    assert f"Appeal AP-TEST22 – Received (answer by {due_words})" in main_text(home)

    page = client.get(url("challenges.appeal", challenge_id=appeal.id))
    rows = summary_list(page)
    assert rows["Status"] == "Received" and rows["We will answer by"] == due_words


def test_a_decided_appeal_says_the_outcome_and_what_changed(app, client):
    customer, restriction = customer_world()
    appeal = make_appeal(
        customer,
        restriction,
        due_on=TODAY,
        status=ChallengeStatus.DECIDED,
        decision=AppealDecision.VARY,
        decision_reasons="The calls were about an urgent repair.",
        decided_at=utcnow(),
        decided_by_id=make_user(Role.APPEALS_DIRECTOR).id,
    )
    new_end = restriction.ends_on
    sign_in(client, customer.user.email)
    page = client.get(url("challenges.appeal", challenge_id=appeal.id))
    rows = summary_list(page)
    assert rows["Outcome"] == "Varied"
    assert "Decided" not in rows.values()
    text = main_text(page)
    assert f"It now ends on {new_end.day} {new_end:%B} {new_end.year}" in text
    assert "The calls were about an urgent repair." in text
    assert texts(page, "main h2") == ["What the decision means for you"]
    home = client.get(url("my.home"))
    assert "Appeal AP-TEST22 – Varied" in main_text(home)
    # Decided: the restriction may be appealed again.
    assert "Appeal this restriction" in card_links(restriction_card(home))


def test_an_overturned_appeal_says_the_restriction_no_longer_applies(app, client):
    customer, restriction = customer_world()
    appeal = make_appeal(
        customer,
        restriction,
        status=ChallengeStatus.DECIDED,
        decision=AppealDecision.OVERTURN,
        decision_reasons="Not needed.",
        decided_at=utcnow(),
        decided_by_id=make_user(Role.APPEALS_DIRECTOR).id,
    )
    sign_in(client, customer.user.email)
    page = client.get(url("challenges.appeal", challenge_id=appeal.id))
    assert summary_list(page)["Outcome"] == "Overturned"
    assert "The restriction is cancelled. It no longer applies to you." in main_text(page)


def test_no_sentence_about_unopened_letters_when_there_are_none(app, client):
    customer, _restriction = customer_world()
    sign_in(client, customer.user.email)
    assert "letters you have not opened" not in main_text(client.get(url("my.home")))
    assert "0 letters" not in main_text(client.get(url("my.home")))
