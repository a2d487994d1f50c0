"""Deciders see the evidence on the page where they decide (issue 15 item 6): incidents,
informal steps, contacts since the last review, open appeals and a link to the case — on
approving a proposal, reviewing a restriction (s3.4) and deciding an appeal (s3.4)."""

import datetime as dt

from portal import clock
from portal.extensions import db
from portal.models import Appeal, ContactLogEntry, Restriction, Review
from portal.models.types import utcnow
from portal.models.vocab import (
    ChallengeStatus,
    ContactChannel,
    ContactFinding,
    RestrictionStatus,
    ReviewOutcome,
    Role,
)
from tests.factories import make_user
from tests.helpers import check_page, parse, sign_in, sign_out, statements_while, text_of, url
from tests.letter_fixtures import make_notice_world

TODAY = clock.today()


def evidence_world(contacts=1):
    """A case with an incident, an informal step, a held review, a contact before and
    ``contacts`` after it, an open appeal and a second restriction proposed."""
    case, restriction, officer, customer = make_notice_world()
    db.session.add(
        Review(
            restriction=restriction,
            due_on=TODAY - dt.timedelta(days=20),
            held_on=TODAY - dt.timedelta(days=20),
            reviewer_id=restriction.approved_by_id,
            behaviour_improved=False,
            outcome=ReviewOutcome.KEEP,
            explanation="Still calling daily.",
            new_ends_on=TODAY + dt.timedelta(days=60),
        )
    )
    entries = [("Called before the review.", 40)] + [
        (f"Emailed about the repair {n}.", 5 + n) for n in range(contacts)
    ]
    for summary, days_ago in entries:
        db.session.add(
            ContactLogEntry(
                customer_id=customer.id,
                case_id=case.id,
                occurred_at=utcnow() - dt.timedelta(days=days_ago),
                channel=ContactChannel.EMAIL,
                summary=summary,
                finding=ContactFinding.WITHIN_RESTRICTION,
                restriction_id=restriction.id,
                logged_by_id=officer.id,
            )
        )
    appeal = Appeal(
        reference=f"AP-EV{case.id:04d}",
        customer_id=customer.id,
        restriction_id=restriction.id,
        grounds="It is unfair.",
        submitted_by_id=customer.user_id,
        status=ChallengeStatus.RECEIVED,
        due_on=TODAY + dt.timedelta(days=10),
    )
    proposed = Restriction(
        case=case,
        status=RestrictionStatus.PROPOSED,
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=90),
        review_frequency=restriction.review_frequency,
        next_review_on=TODAY + dt.timedelta(days=90),
        reason="Calls continue.",
        proposed_by_id=officer.id,
        proposed_at=utcnow(),
        needs_consideration=restriction.needs_consideration,
    )
    db.session.add_all([appeal, proposed])
    db.session.commit()
    return case, restriction, proposed, appeal


def evidence_of(response) -> dict:
    page = parse(response)
    [section] = page.cssselect("main #evidence")
    return {
        "case_link": section.cssselect("#evidence-case-link")[0].get("href"),
        "incidents": [text_of(li) for li in section.cssselect("#evidence-incidents li")],
        "steps": [text_of(li) for li in section.cssselect("#evidence-informal-steps li")],
        "contacts": [text_of(li) for li in section.cssselect("#evidence-contacts li")],
        "challenges": [text_of(li) for li in section.cssselect("#evidence-challenges li")],
    }


def assert_full_evidence(evidence: dict, case) -> None:
    assert evidence["case_link"] == url("cases.show", case_id=case.id)
    [incident] = evidence["incidents"]
    assert "Eleven calls in one day." in incident
    assert len(evidence["steps"]) == 1 and "Talked it through." in evidence["steps"][0]
    # Only the contacts since the last review.
    assert len(evidence["contacts"]) == 1
    assert "Emailed about the repair 0." in evidence["contacts"][0]
    assert len(evidence["challenges"]) == 1 and f"AP-EV{case.id:04d}" in evidence["challenges"][0]


def test_the_approver_sees_the_evidence_before_deciding(app, client):
    case, _restriction, proposed, _appeal = evidence_world()
    sign_in(client, make_user(Role.REVIEW_MANAGER).email)
    page = client.get(url("restrictions.show", restriction_id=proposed.id))
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    assert_full_evidence(evidence_of(page), case)
    # The evidence comes before the decision buttons.
    html = page.get_data(as_text=True)
    assert html.index('id="evidence"') < html.index("Approve restriction")


def test_the_reviewer_sees_the_evidence(app, client):
    case, restriction, _proposed, _appeal = evidence_world()
    sign_in(client, make_user(Role.REVIEW_MANAGER).email)
    page = client.get(url("restrictions.review", restriction_id=restriction.id))
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    assert_full_evidence(evidence_of(page), case)
    heading = text_of(parse(page).cssselect("#evidence h3")[2])
    assert heading.startswith("Contacts since the last review on")


def test_the_director_sees_the_evidence_before_deciding_an_appeal(app, client):
    case, _restriction, _proposed, appeal = evidence_world()
    sign_in(client, make_user(Role.APPEALS_DIRECTOR).email)
    page = client.get(url("challenges.decide_appeal", challenge_id=appeal.id))
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    assert_full_evidence(evidence_of(page), case)


def test_a_case_officer_viewing_an_active_restriction_gets_no_decision_evidence(app, client):
    _case, restriction, _proposed, _appeal = evidence_world()
    sign_in(client, make_user(Role.CASE_OFFICER).email)
    page = client.get(url("restrictions.show", restriction_id=restriction.id))
    assert not parse(page).cssselect("#evidence")


def count_statements(client, page) -> int:
    def open_page():
        assert client.get(page).status_code == 200

    return len(statements_while(open_page))


def test_the_evidence_takes_a_fixed_number_of_statements(app, client):
    _case, restriction, _proposed, appeal = evidence_world(contacts=1)
    _case2, restriction2, _p2, appeal2 = evidence_world(contacts=15)
    director, manager = make_user(Role.APPEALS_DIRECTOR), make_user(Role.REVIEW_MANAGER)
    sign_in(client, director.email)
    small, large = (
        count_statements(client, url("challenges.decide_appeal", challenge_id=a.id))
        for a in (appeal, appeal2)
    )
    assert small == large
    sign_out(client)
    sign_in(client, manager.email)
    small, large = (
        count_statements(client, url("restrictions.review", restriction_id=r.id))
        for r in (restriction, restriction2)
    )
    assert small == large
    page = client.get(url("restrictions.review", restriction_id=restriction2.id))
    assert len(evidence_of(page)["contacts"]) == 10
    assert "And 5 more on the case." in page.get_data(as_text=True)
