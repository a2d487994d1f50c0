"""A complaint no longer considered (s3.2) is recorded by the case officer, shown to the
customer with the right to appeal (s3.4) and to ask for reconsideration (s4), and decided
by the appeals director."""

import datetime as dt

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Appeal, AuditEvent, ComplaintRefusal
from portal.models.vocab import ChallengeStatus, Role
from tests.factories import make_customer, make_ready_case, make_user
from tests.helpers import check_page, csrf_token, sign_in, sign_out


def post_form(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def test_a_complaint_refusal_is_recorded_shown_appealed_and_decided(app, client):
    officer = make_user(Role.CASE_OFFICER)
    customer = make_customer(make_user(Role.CUSTOMER), full_name="Noor Ahmed")
    case = make_ready_case(customer, officer)
    sign_in(client, officer.email)
    url = f"/staff/cases/{case.id}/complaint-refusals/new"
    check_page(client.get(url).get_data(as_text=True))

    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    refused = post_form(
        client,
        url,
        {
            "complaint_reference": "CMP-77",
            "reason": "Same issue raised 40 times.",
            "decided_on": future,
        },
    )
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "cannot be in the future" in text and "Same issue raised 40 times." in text
    assert db.session.scalar(sa.select(ComplaintRefusal.id)) is None

    saved = post_form(
        client,
        url,
        {
            "complaint_reference": "CMP-77",
            "reason": "Same issue raised 40 times.",
            "decided_on": dt.date.today().isoformat(),
        },
    )
    assert saved.status_code == 303
    refusal = db.session.scalar(sa.select(ComplaintRefusal))
    assert "Complaint no longer considered" in client.get(f"/staff/cases/{case.id}").get_data(
        as_text=True
    )
    assert "complaint_refusal" in set(db.session.scalars(sa.select(AuditEvent.action)))
    sign_out(client)

    sign_in(client, customer.user.email)
    home = client.get("/my/").get_data(as_text=True)
    check_page(home)
    assert "Complaint CMP-77" in home and "Same issue raised 40 times." in home
    start_url = f"/challenges/appeal/complaint-refusal/{refusal.id}"
    assert start_url in home
    step = client.post(start_url, data={"csrf_token": csrf_token(client, start_url)})
    reasons_url = step.headers["Location"]
    evidence_url = post_form(
        client, reasons_url, {"reasons": "I raised a new problem.", "submit": "Save"}
    ).headers["Location"]
    check_url = post_form(client, evidence_url, {"submit": "Save"}).headers["Location"]
    check = client.get(check_url).get_data(as_text=True)
    assert "Our decision not to consider complaint CMP-77" in check
    sent = client.post(
        check_url.replace("/check", "/send"), data={"csrf_token": csrf_token(client, check_url)}
    )
    assert sent.status_code == 303
    appeal = db.session.scalar(sa.select(Appeal))
    assert appeal.complaint_refusal_id == refusal.id
    sign_out(client)

    director = make_user(Role.APPEALS_DIRECTOR)
    sign_in(client, director.email)
    decide_url = f"/staff/appeals/{appeal.id}/decide"
    page = client.get(decide_url).get_data(as_text=True)
    check_page(page)
    assert "CMP-77" in page
    varied = post_form(client, decide_url, {"decision": "vary", "reasons": "Partly."})
    assert varied.status_code == 400
    assert "upheld or overturned, not varied" in varied.get_data(as_text=True)
    decided = post_form(
        client, decide_url, {"decision": "overturn", "reasons": "It was a new problem."}
    )
    assert decided.status_code == 303
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).status == ChallengeStatus.DECIDED
