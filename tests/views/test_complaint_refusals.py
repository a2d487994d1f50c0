"""A complaint no longer considered (s3.2) is recorded by the case officer, shown to the
customer with the right to appeal (s3.4) and to ask for reconsideration (s4), and decided
by the appeals director."""

import datetime as dt

import sqlalchemy as sa

from portal import clock
from portal.extensions import db
from portal.models import Appeal, AuditEvent, ComplaintRefusal
from portal.models.vocab import ChallengeStatus, Role
from tests.factories import make_customer, make_ready_case, make_user
from tests.helpers import (
    check_page,
    csrf_token,
    date_fields,
    error_summary,
    parse,
    sign_in,
    sign_out,
    summary_list,
    text_of,
    texts,
    url,
)


def post_form(client, form_url, data):
    return client.post(form_url, data={"csrf_token": csrf_token(client, form_url), **data})


def test_a_complaint_refusal_is_recorded_shown_appealed_and_decided(app, client):
    officer = make_user(Role.CASE_OFFICER)
    customer = make_customer(make_user(Role.CUSTOMER), full_name="Noor Ahmed")
    case = make_ready_case(customer, officer)
    sign_in(client, officer.email)
    new_refusal = url("cases.new_complaint_refusal", case_id=case.id)
    check_page(client.get(new_refusal).get_data(as_text=True))

    future = clock.today() + dt.timedelta(days=2)
    refused = post_form(
        client,
        new_refusal,
        {
            "complaint_reference": "CMP-77",
            "reason": "Same issue raised 40 times.",
            **date_fields("decided_on", future),
        },
    )
    assert refused.status_code == 400
    assert error_summary(refused) == ["The date of the decision cannot be in the future."]
    assert parse(refused).get_element_by_id("reason").text == "Same issue raised 40 times."
    assert db.session.scalar(sa.select(ComplaintRefusal.id)) is None

    saved = post_form(
        client,
        new_refusal,
        {
            "complaint_reference": "CMP-77",
            "reason": "Same issue raised 40 times.",
            **date_fields("decided_on", clock.today()),
        },
    )
    assert saved.status_code == 303
    refusal = db.session.scalar(sa.select(ComplaintRefusal))
    case_page = client.get(url("cases.show", case_id=case.id))
    timeline = texts(case_page, "main ol h3")  # "What has happened"
    assert any(entry.startswith("Complaint no longer considered – ") for entry in timeline)
    assert "complaint_refusal" in set(db.session.scalars(sa.select(AuditEvent.action)))
    sign_out(client)

    sign_in(client, customer.user.email)
    home = client.get(url("my.home"))
    check_page(home.get_data(as_text=True))
    [card] = parse(home).cssselect("main .govuk-summary-card")
    assert text_of(card.cssselect(".govuk-summary-card__title")[0]) == "Complaint CMP-77"
    assert summary_list(home, ".govuk-summary-card")["Why"] == "Same issue raised 40 times."
    start_url = url(
        "challenges.start", kind="appeal", target_type="complaint-refusal", target_id=refusal.id
    )
    appeal_links = [text_of(a) for a in card.cssselect(f'a[href="{start_url}"]')]
    assert appeal_links == ["Appeal this decision"]
    step = client.post(start_url, data={"csrf_token": csrf_token(client, start_url)})
    reasons_url = step.headers["Location"]
    evidence_url = post_form(
        client, reasons_url, {"reasons": "I raised a new problem.", "submit": "Save"}
    ).headers["Location"]
    check_url = post_form(client, evidence_url, {"submit": "Save"}).headers["Location"]
    check = client.get(check_url)
    assert summary_list(check)["About"] == "Our decision not to consider complaint CMP-77"
    [send] = parse(check).cssselect("main form[method=post]")
    sent = client.post(send.get("action"), data={"csrf_token": csrf_token(client, check_url)})
    assert sent.status_code == 303
    appeal = db.session.scalar(sa.select(Appeal))
    assert appeal.complaint_refusal_id == refusal.id
    sign_out(client)

    director = make_user(Role.APPEALS_DIRECTOR)
    sign_in(client, director.email)
    decide_url = url("challenges.decide_appeal", challenge_id=appeal.id)
    page = client.get(decide_url)
    check_page(page.get_data(as_text=True))
    assert summary_list(page)["Complaint refused"] == "CMP-77: Same issue raised 40 times."
    varied = post_form(client, decide_url, {"decision": "vary", "reasons": "Partly."})
    assert varied.status_code == 400
    assert error_summary(varied) == ["A complaint refusal can be upheld or overturned, not varied."]
    decided = post_form(
        client, decide_url, {"decision": "overturn", "reasons": "It was a new problem."}
    )
    assert decided.status_code == 303
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).status == ChallengeStatus.DECIDED
