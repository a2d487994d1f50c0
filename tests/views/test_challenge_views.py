"""Appeals and reconsideration requests through the real pages (issue 6): a customer's
half-written appeal survives validation errors and sign-out; a double click makes one
appeal; an advocate acts only for customers who authorised them; the director decides
with independence enforced and the decision letter issued."""

import io

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    AdvocateAuthority,
    Appeal,
    Attachment,
    AuditEvent,
    ChallengeDraft,
    Letter,
    ReconsiderationRequest,
    Restriction,
)
from portal.models.vocab import (
    AdvocateRelationship,
    ChallengeStatus,
    LetterKind,
    RestrictionStatus,
    Role,
)
from tests.factories import make_customer, make_user
from tests.helpers import check_page, csrf_token, sign_in, sign_out
from tests.letter_fixtures import make_notice_world
from tests.upload_samples import pdf_bytes

PDF = pdf_bytes()


def start(client, kind, restriction_id):
    url = f"/challenges/{kind}/restriction/{restriction_id}"
    page = client.get(url)
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def post_step(client, url, data, **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data}, **kwargs)


def test_a_customer_appeals_with_evidence_and_a_double_click_makes_one_appeal(app, client):
    _case, restriction, _officer, customer = make_notice_world()
    sign_in(client, customer.user.email)
    reasons_url = start(client, "appeal", restriction.id)

    # An empty answer: a clear error, nothing lost, nothing sent.
    empty = post_step(client, reasons_url, {"reasons": "  ", "submit": "Save and continue"})
    assert empty.status_code == 400
    check_page(empty.get_data(as_text=True))
    assert "Enter why you think the decision is wrong" in empty.get_data(as_text=True)

    # A half-written answer survives signing out.
    post_step(client, reasons_url, {"reasons": "My repair is", "later": "Save and come back later"})
    sign_out(client)
    sign_in(client, customer.user.email)
    home = client.get("/my/").get_data(as_text=True)
    assert "Continue your appeal" in home
    assert "My repair is" in client.get(reasons_url).get_data(as_text=True)

    response = post_step(
        client, reasons_url, {"reasons": "My repair is finished now.", "submit": "Save"}
    )
    evidence_url = response.headers["Location"]
    assert evidence_url.endswith("/evidence")
    # A file that claims to be a PDF but is not: refused, translated message, nothing kept.
    fake = post_step(
        client,
        evidence_url,
        {"files": [(io.BytesIO(b"MZ\x90\x00"), "letter.pdf")], "submit": "Save"},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 400
    assert "must be a PDF, JPG, PNG or Word (DOCX) file" in fake.get_data(as_text=True)
    response = post_step(
        client,
        evidence_url,
        {"files": [(io.BytesIO(PDF), "repair note.pdf")], "submit": "Save"},
        content_type="multipart/form-data",
    )
    check_url = response.headers["Location"]
    check = client.get(check_url).get_data(as_text=True)
    check_page(check)
    assert "My repair is finished now." in check and "repair note.pdf" in check

    send_url = check_url.replace("/check", "/send")
    token = csrf_token(client, check_url)
    first = client.post(send_url, data={"csrf_token": token})
    second = client.post(send_url, data={"csrf_token": token})  # the double click
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(Appeal.id))) == 1
    appeal = db.session.scalar(sa.select(Appeal))
    assert appeal.reference.startswith("AP-") and appeal.due_on
    assert db.session.scalar(sa.select(Attachment.appeal_id)) == appeal.id
    assert db.session.scalar(sa.select(sa.func.count(ChallengeDraft.id))) == 0
    confirmation = client.get(first.headers["Location"]).get_data(as_text=True)
    check_page(confirmation)
    assert appeal.reference in confirmation and "Appeal sent" in confirmation
    # One open appeal per decision.
    again = client.post(
        f"/challenges/appeal/restriction/{restriction.id}",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "already an open appeal" in again.get_data(as_text=True)


def test_an_advocate_asks_for_reconsideration_for_their_customer_and_no_one_else(app, client):
    _case, restriction, _officer, customer = make_notice_world()
    advocate = make_user(Role.ADVOCATE)
    db.session.add(
        AdvocateAuthority(
            customer_id=customer.id,
            advocate_user_id=advocate.id,
            advocate_name="Sam",
            advocate_email=advocate.email,
            relationship_to_customer=AdvocateRelationship.SUPPORT_WORKER,
            can_view=True,
            can_act=True,
        )
    )
    db.session.commit()
    _other_case, other_restriction, _o, _c = make_notice_world(full_name="Someone Else")
    sign_in(client, advocate.email)
    assert (
        client.get(f"/challenges/reconsideration/restriction/{other_restriction.id}").status_code
        == 404
    )

    ground_url = start(client, "reconsideration", restriction.id)
    bad = post_step(client, ground_url, {"ground": "i_just_dont_like_it", "submit": "Save"})
    assert bad.status_code == 400  # grounds not in s4
    details_url = post_step(
        client, ground_url, {"ground": "change_in_circumstances", "submit": "Save"}
    ).headers["Location"]
    evidence_url = post_step(
        client, details_url, {"details": "He has a new support plan.", "submit": "Save"}
    ).headers["Location"]
    check_url = post_step(client, evidence_url, {"submit": "Save"}).headers["Location"]
    response = client.post(
        check_url.replace("/check", "/send"), data={"csrf_token": csrf_token(client, check_url)}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    check_page(page)
    request_ = db.session.scalar(sa.select(ReconsiderationRequest))
    assert request_.submitted_by_id == advocate.id and request_.customer_id == customer.id
    assert "We will answer by" in page

    # The authority is revoked: access stops at once.
    authority = db.session.scalar(sa.select(AdvocateAuthority))
    authority.revoked_at = authority.granted_at
    db.session.commit()
    assert client.get(f"/challenges/reconsiderations/{request_.id}").status_code == 404


def test_the_director_decides_independently_and_the_letter_is_issued(app, client):
    case, restriction, officer, customer = make_notice_world()
    sign_in(client, customer.user.email)
    reasons_url = start(client, "appeal", restriction.id)
    check_url = post_step(client, reasons_url, {"reasons": "Unfair.", "submit": "Save"})
    check_url = post_step(client, check_url.headers["Location"], {"submit": "Save"}).headers[
        "Location"
    ]
    client.post(
        check_url.replace("/check", "/send"), data={"csrf_token": csrf_token(client, check_url)}
    )
    sign_out(client)
    appeal = db.session.scalar(sa.select(Appeal))

    # The director who approved the restriction may not decide the appeal.
    approver = db.session.get(type(officer), restriction.approved_by_id)
    approver.role_grants.append(type(approver.role_grants[0])(role=Role.APPEALS_DIRECTOR))
    db.session.commit()
    sign_in(client, approver.email)
    page = client.get(f"/staff/appeals/{appeal.id}/decide").get_data(as_text=True)
    check_page(page)
    assert "Another appeals director must decide it" in page and "Record the decision" not in page
    # Even a forged decision is refused; the director records that they cannot decide.
    url = f"/staff/appeals/{appeal.id}/decide"
    declined = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "decision": "overturn", "reasons": "x"},
    )
    assert declined.status_code == 303
    assert db.session.get(Appeal, appeal.id).status != ChallengeStatus.DECIDED
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "challenge_decision_declined")
    )
    assert event.actor_user_id == approver.id and event.details == {"conflicts": ["approved"]}
    sign_out(client)

    director = make_user(Role.APPEALS_DIRECTOR)
    sign_in(client, director.email)
    url = f"/staff/appeals/{appeal.id}/decide"
    missing = client.post(url, data={"csrf_token": csrf_token(client, url), "decision": "overturn"})
    assert missing.status_code == 400
    assert "Enter the reasons for the decision" in missing.get_data(as_text=True)
    done = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "decision": "overturn",
            "reasons": "The contact was about an urgent repair.",
        },
    )
    assert done.status_code == 303
    db.session.expire_all()
    appeal = db.session.get(Appeal, appeal.id)
    assert appeal.status == ChallengeStatus.DECIDED and appeal.sla_met is True
    assert db.session.get(Restriction, restriction.id).status == RestrictionStatus.OVERTURNED
    letter = db.session.scalar(sa.select(Letter).where(Letter.kind == LetterKind.APPEAL_DECISION))
    assert letter is not None and letter.appeal_id == appeal.id
    assert "The contact was about an urgent repair." in str(letter.content["documents"]["en"])
    sign_out(client)

    sign_in(client, customer.user.email)
    status = client.get(f"/challenges/appeals/{appeal.id}").get_data(as_text=True)
    assert "Read the decision letter" in status and f"/letters/{letter.id}" in status
    stranger = make_customer(make_user(Role.CUSTOMER))
    sign_out(client)
    sign_in(client, stranger.user.email)
    assert client.get(f"/challenges/appeals/{appeal.id}").status_code == 404
