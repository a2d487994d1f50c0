"""The appeals director's decisions (issue 15 item 6): varying an appeal by changing the
measures (s3.4) creates the changed restriction and its letters; each decision letter is
read before it is issued; decided appeals and requests are kept in a history list with
filters and pages."""

import datetime as dt

import sqlalchemy as sa

from portal import clock
from portal.dates import add_months
from portal.extensions import db
from portal.letters import services as letters
from portal.models import Appeal, Letter, ReconsiderationRequest, Restriction
from portal.models.types import utcnow
from portal.models.vocab import (
    AppealDecision,
    ChallengeStatus,
    LetterKind,
    LetterStatus,
    ReconsiderationDecision,
    ReconsiderationGround,
    RestrictionOption,
    RestrictionStatus,
    Role,
)
from portal.staff import decided
from tests.factories import make_user
from tests.helpers import (
    check_page,
    csrf_token,
    date_fields,
    error_summary,
    parse,
    sign_in,
    table_rows,
    text_of,
    url,
)
from tests.letter_fixtures import make_notice_world

TODAY = clock.today()


def open_appeal(restriction, customer, number=1, **fields) -> Appeal:
    fields = {"status": ChallengeStatus.RECEIVED} | fields
    appeal = Appeal(
        reference=f"AP-DD{restriction.id:03d}{number}",
        customer_id=customer.id,
        restriction_id=restriction.id,
        grounds="Email only is too hard for me.",
        submitted_by_id=customer.user_id,
        due_on=TODAY + dt.timedelta(days=10),
        **fields,
    )
    db.session.add(appeal)
    db.session.commit()
    return appeal


def comes_before(page, first: str, then: str) -> bool:
    """Whether the first element matching ``first`` comes before ``then`` in main."""
    [main] = parse(page).cssselect("main")
    order = {element: n for n, element in enumerate(main.iter())}
    return order[main.cssselect(first)[0]] < order[main.cssselect(then)[0]]


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def checked(page, name) -> list[str]:
    return [i.get("value") for i in parse(page).cssselect(f"main input[name={name}][checked]")]


VARIED = {
    "starts_on": TODAY.isoformat(),
    "ends_on": add_months(TODAY, 2).isoformat(),
    "review_frequency": "quarterly",
    "reason": "Calls continue; a weekly limit is enough.",
    "measures": "contact_limit",
    "permitted_channel": "",
    "contact_limit": "3",
    "limit_period": "week",
    "single_point_of_contact_id": "0",
    "decision_reasons": "Email only is too hard; three contacts a week by any way instead.",
}


def test_the_director_varies_the_measures_on_appeal_and_reads_the_letter_first(app, client):
    case, restriction, _officer, customer = make_notice_world()
    appeal = open_appeal(restriction, customer)
    director = make_user(Role.APPEALS_DIRECTOR)
    sign_in(client, director.email)

    decide_page = client.get(url("challenges.decide_appeal", challenge_id=appeal.id))
    [vary_link] = parse(decide_page).cssselect("main #vary-measures")
    vary_url = url("challenges.vary_appeal", challenge_id=appeal.id)
    assert vary_link.get("href") == vary_url

    # The form shows the restriction as it is: email only.
    form = client.get(vary_url)
    assert form.status_code == 200
    check_page(form.get_data(as_text=True))
    assert checked(form, "permitted_channel") == ["email"]
    assert text_of(parse(form).cssselect("main h1")[0]) == "Change the restriction on appeal"

    # Every rule of a restriction applies: at most six months (s3.5); reasons are needed.
    too_long = post(client, vary_url, VARIED | {"ends_on": add_months(TODAY, 7).isoformat()})
    assert too_long.status_code == 400
    assert "six months" in error_summary(too_long)[0]
    no_reasons = post(client, vary_url, VARIED | {"decision_reasons": ""})
    assert no_reasons.status_code == 400
    assert error_summary(no_reasons) == ["Enter the reasons for the decision"]
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).status == ChallengeStatus.RECEIVED

    done = post(client, vary_url, VARIED)
    assert done.status_code == 303
    db.session.expire_all()
    appeal = db.session.get(Appeal, appeal.id)
    assert appeal.status == ChallengeStatus.DECIDED and appeal.decision == AppealDecision.VARY
    assert appeal.decided_by_id == director.id
    old = db.session.get(Restriction, restriction.id)
    assert old.status == RestrictionStatus.SUPERSEDED
    new = db.session.scalar(sa.select(Restriction).where(Restriction.supersedes_id == old.id))
    assert new.status == RestrictionStatus.ACTIVE and new.approved_by_id == director.id
    assert [(m.option, m.contact_limit) for m in new.measures] == [
        (RestrictionOption.CONTACT_LIMIT, 3)
    ]

    # The decision letter is drafted and shown before it can be issued.
    letter = db.session.scalar(sa.select(Letter).where(Letter.appeal_id == appeal.id))
    assert letter.kind == LetterKind.APPEAL_DECISION and letter.status == LetterStatus.DRAFT
    issue_url = url("letters.issue", letter_id=letter.id)
    assert done.headers["Location"] == issue_url
    page = client.get(issue_url)
    html = page.get_data(as_text=True)
    check_page(html)
    [preview] = parse(page).cssselect("main .portal-letter")
    assert "three contacts a week" in text_of(preview)
    assert comes_before(page, ".portal-letter", "form button[type=submit]")
    issued = post(client, issue_url, {"locale": "en", "needs_post": "no"})
    assert issued.status_code == 303
    db.session.expire_all()
    assert db.session.get(Letter, letter.id).status == LetterStatus.ISSUED

    # The changed restriction's own letter is waiting to be written from the case.
    possible = letters.possible_letters(db.session.get(type(case), case.id))
    assert (LetterKind.RESTRICTION_NOTICE, new.id) in {(p.kind, p.source_id) for p in possible}


def test_every_letter_is_previewed_above_its_issue_button(app, client):
    case, restriction, officer, _customer = make_notice_world()
    sign_in(client, officer.email)
    new_url = url("letters.new", case_id=case.id)
    possible = letters.possible_letters(case)
    notice = next(p for p in possible if p.kind == LetterKind.RESTRICTION_NOTICE)
    drafted = post(client, new_url, {"letter": notice.key})
    assert drafted.status_code == 303
    page = client.get(drafted.headers["Location"])
    headings = [text_of(h) for h in parse(page).cssselect("main h2")]
    assert headings.index("Preview") < headings.index("Issue the letter")
    assert comes_before(page, ".portal-letter", "form[method=post]")


def test_a_director_cannot_vary_measures_they_are_not_independent_of(app, client):
    _case, restriction, _officer, customer = make_notice_world()
    appeal = open_appeal(restriction, customer)
    approver = db.session.get(type(customer.user), restriction.approved_by_id)
    approver.role_grants.append(type(approver.role_grants[0])(role=Role.APPEALS_DIRECTOR))
    db.session.commit()
    sign_in(client, approver.email)
    refused = client.get(url("challenges.vary_appeal", challenge_id=appeal.id))
    assert refused.status_code == 303
    assert refused.headers["Location"] == url("challenges.decide_appeal", challenge_id=appeal.id)


def decided_world():
    """Decisions by two directors on different days."""
    _case, restriction, _officer, customer = make_notice_world()
    helen = make_user(Role.APPEALS_DIRECTOR, display_name="Helen Price")
    omar = make_user(Role.APPEALS_DIRECTOR, display_name="Omar Lee")
    now = utcnow()
    items = []
    for number, (decision, who, days_ago) in enumerate(
        [
            (AppealDecision.UPHOLD, helen, 1),
            (AppealDecision.OVERTURN, omar, 10),
            (AppealDecision.UPHOLD, omar, 40),
        ]
    ):
        appeal = open_appeal(
            restriction,
            customer,
            number,
            status=ChallengeStatus.DECIDED,
            decision=decision,
            decided_by_id=who.id,
            decided_at=now - dt.timedelta(days=days_ago),
            decision_reasons="Reasons.",
            sla_met=True,
        )
        items.append(appeal)
    request = ReconsiderationRequest(
        reference="RC-DD0001",
        customer_id=customer.id,
        restriction_id=restriction.id,
        ground=ReconsiderationGround.CHANGE_IN_CIRCUMSTANCES,
        details="New support plan.",
        submitted_by_id=customer.user_id,
        status=ChallengeStatus.DECIDED,
        answer_due_on=TODAY,
        decision=ReconsiderationDecision.NO_CHANGE,
        decision_reasons="Reasons.",
        decided_by_id=helen.id,
        decided_at=now - dt.timedelta(days=5),
        sla_met=True,
    )
    db.session.add(request)
    db.session.commit()
    return helen, omar


def references(page) -> list[str]:
    return [row[0] for row in table_rows(page, "Decisions, newest first")]


def test_decided_appeals_and_requests_are_kept_with_filters_and_pages(app, client, monkeypatch):
    helen, omar = decided_world()
    sign_in(client, helen.email)
    history = url("staff.decided_challenges")
    open_list = client.get(url("staff.appeals"))
    assert history in [a.get("href") for a in parse(open_list).cssselect("main a")]

    page = client.get(history)
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    everything = references(page)
    assert len(everything) == 4 and everything[1] == "RC-DD0001"  # newest first
    assert text_of(parse(page).cssselect("#decided-count")[0]) == "4 decisions found."

    by_outcome = client.get(history, query_string={"outcome": "appeal:uphold"})
    assert len(references(by_outcome)) == 2
    assert all(row[3] == "Upheld" for row in table_rows(by_outcome, "Decisions, newest first"))
    requests_only = client.get(history, query_string={"outcome": "reconsideration:no_change"})
    assert references(requests_only) == ["RC-DD0001"]
    by_decider = client.get(history, query_string={"decided_by": str(omar.id)})
    assert {row[5] for row in table_rows(by_decider, "Decisions, newest first")} == {"Omar Lee"}
    assert len(references(by_decider)) == 2
    in_range = client.get(
        history,
        query_string={
            **date_fields("decided_from", TODAY - dt.timedelta(days=12)),
            **date_fields("decided_to", TODAY - dt.timedelta(days=2)),
        },
    )
    assert len(references(in_range)) == 2
    bad_date = client.get(
        history,
        query_string={
            "decided_from-day": "31",
            "decided_from-month": "2",
            "decided_from-year": "2026",
        },
    )
    assert bad_date.status_code == 400
    [message] = error_summary(bad_date)
    assert message.startswith("Decided on or after") and "31" in message

    # A page at a time, the filters kept from page to page.
    monkeypatch.setattr(decided, "PER_PAGE", 3)
    first = client.get(history)
    assert references(first) == everything[:3]
    [next_link] = parse(first).cssselect("main .govuk-pagination__next a")
    second = client.get(next_link.get("href"))
    assert references(second) == everything[3:]
    filtered = client.get(history, query_string={"decided_by": str(omar.id), "page": "1"})
    assert not parse(filtered).cssselect(".govuk-pagination")
