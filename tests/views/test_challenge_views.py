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
    LetterStatus,
    RestrictionStatus,
    Role,
)
from tests.factories import make_customer, make_user
from tests.helpers import (
    banners,
    check_page,
    csrf_token,
    error_summary,
    parse,
    sign_in,
    sign_out,
    summary_list,
    text_of,
    texts,
    url,
)
from tests.letter_fixtures import make_notice_world
from tests.upload_samples import pdf_bytes

PDF = pdf_bytes()


def start(client, kind, restriction_id):
    start_url = url(
        "challenges.start", kind=kind, target_type="restriction", target_id=restriction_id
    )
    page = client.get(start_url)
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    response = client.post(start_url, data={"csrf_token": csrf_token(client, start_url)})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def post_step(client, step_url, data, **kwargs):
    token = csrf_token(client, step_url)
    return client.post(step_url, data={"csrf_token": token, **data}, **kwargs)


def send_url_of(client, check_url):
    """Where the "Check your answers" page sends the appeal or request."""
    [form] = parse(client.get(check_url)).cssselect("main form[method=post]")
    return form.get("action")


def test_a_customer_appeals_with_evidence_and_a_double_click_makes_one_appeal(app, client):
    _case, restriction, _officer, customer = make_notice_world()
    sign_in(client, customer.user.email)
    reasons_url = start(client, "appeal", restriction.id)

    # An empty answer: a clear error, nothing lost, nothing sent.
    empty = post_step(client, reasons_url, {"reasons": "  ", "submit": "Save and continue"})
    assert empty.status_code == 400
    check_page(empty.get_data(as_text=True))
    assert error_summary(empty) == ["Enter why you think the decision is wrong"]

    # A half-written answer survives signing out.
    post_step(client, reasons_url, {"reasons": "My repair is", "later": "Save and come back later"})
    sign_out(client)
    sign_in(client, customer.user.email)
    home = client.get(url("my.home"))
    links = [text_of(a) for a in parse(home).cssselect("main li a")]
    assert [text for text in links if text.startswith("Continue your appeal (saved ")]
    assert parse(client.get(reasons_url)).get_element_by_id("reasons").text == "My repair is"

    response = post_step(
        client, reasons_url, {"reasons": "My repair is finished now.", "submit": "Save"}
    )
    evidence_url = response.headers["Location"]
    draft = db.session.scalar(sa.select(ChallengeDraft))
    assert evidence_url == url("challenges.step", draft_id=draft.id, step="evidence")
    # A file that claims to be a PDF but is not: refused, translated message, nothing kept.
    fake = post_step(
        client,
        evidence_url,
        {"files": [(io.BytesIO(b"MZ\x90\x00"), "letter.pdf")], "submit": "Save"},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 400
    assert error_summary(fake) == [
        "letter.pdf: The selected file must be a PDF, JPG, PNG or Word (DOCX) file"
    ]
    response = post_step(
        client,
        evidence_url,
        {"files": [(io.BytesIO(PDF), "repair note.pdf")], "submit": "Save"},
        content_type="multipart/form-data",
    )
    check_url = response.headers["Location"]
    check = client.get(check_url)
    check_page(check.get_data(as_text=True))
    answers = summary_list(check)
    assert answers["Why the decision is wrong"] == "My repair is finished now."
    assert answers["Evidence"] == "repair note.pdf"

    send_url = url("challenges.send", draft_id=draft.id)
    assert parse(check).cssselect(f'main form[action="{send_url}"]')
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
    confirmation = client.get(first.headers["Location"])
    check_page(confirmation.get_data(as_text=True))
    assert texts(confirmation, ".govuk-panel__title") == ["Appeal sent"]
    assert appeal.reference in text_of(parse(confirmation).cssselect(".govuk-panel")[0])
    # One open appeal per decision.
    again = client.post(
        url("challenges.start", kind="appeal", target_type="restriction", target_id=restriction.id),
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert banners(again) == [
        "There is already an open appeal about this decision. You can follow it on your home page."
    ]


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
    not_theirs = url(
        "challenges.start",
        kind="reconsideration",
        target_type="restriction",
        target_id=other_restriction.id,
    )
    assert client.get(not_theirs).status_code == 404

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
    token = csrf_token(client, check_url)
    response = client.post(send_url_of(client, check_url), data={"csrf_token": token})
    page = client.get(response.headers["Location"])
    check_page(page.get_data(as_text=True))
    request_ = db.session.scalar(sa.select(ReconsiderationRequest))
    assert request_.submitted_by_id == advocate.id and request_.customer_id == customer.id
    assert summary_list(page)["We will answer by"]

    # The authority is revoked: access stops at once.
    authority = db.session.scalar(sa.select(AdvocateAuthority))
    authority.revoked_at = authority.granted_at
    db.session.commit()
    status = url("challenges.request_status", challenge_id=request_.id)
    assert client.get(status).status_code == 404


def test_the_director_decides_independently_and_the_letter_is_issued(app, client):
    case, restriction, officer, customer = make_notice_world()
    sign_in(client, customer.user.email)
    reasons_url = start(client, "appeal", restriction.id)
    check_url = post_step(client, reasons_url, {"reasons": "Unfair.", "submit": "Save"})
    check_url = post_step(client, check_url.headers["Location"], {"submit": "Save"}).headers[
        "Location"
    ]
    client.post(send_url_of(client, check_url), data={"csrf_token": csrf_token(client, check_url)})
    sign_out(client)
    appeal = db.session.scalar(sa.select(Appeal))

    # The director who approved the restriction may not decide the appeal.
    approver = db.session.get(type(officer), restriction.approved_by_id)
    approver.role_grants.append(type(approver.role_grants[0])(role=Role.APPEALS_DIRECTOR))
    db.session.commit()
    sign_in(client, approver.email)
    decide = url("challenges.decide_appeal", challenge_id=appeal.id)
    page = client.get(decide)
    check_page(page.get_data(as_text=True))
    [warning] = texts(page, ".govuk-warning-text__text")
    assert "Another appeals director must decide it" in warning
    assert texts(page, "main form button") == ["Record that I cannot decide this"]
    assert not parse(page).cssselect("main form [name=decision]")
    # Even a forged decision is refused; the director records that they cannot decide.
    declined = client.post(
        decide,
        data={"csrf_token": csrf_token(client, decide), "decision": "overturn", "reasons": "x"},
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
    token = csrf_token(client, decide)
    missing = client.post(decide, data={"csrf_token": token, "decision": "overturn"})
    assert missing.status_code == 400
    assert error_summary(missing) == ["Enter the reasons for the decision"]
    done = client.post(
        decide,
        data={
            "csrf_token": csrf_token(client, decide),
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
    # The decision letter is a draft until the director has read it and issued it.
    assert letter.status == LetterStatus.DRAFT
    assert done.headers["Location"] == url("letters.issue", letter_id=letter.id)
    issue_page = client.get(done.headers["Location"])
    assert "The contact was about an urgent repair." in text_of(
        parse(issue_page).cssselect("main .portal-letter")[0]
    )
    issued = client.post(
        done.headers["Location"],
        data={
            "csrf_token": csrf_token(client, done.headers["Location"]),
            "locale": "en",
            "needs_post": "no",
        },
    )
    assert issued.status_code == 303
    db.session.expire_all()
    letter = db.session.get(Letter, letter.id)
    assert letter.status == LetterStatus.ISSUED
    assert "The contact was about an urgent repair." in str(letter.content["documents"]["en"])
    sign_out(client)

    sign_in(client, customer.user.email)
    status_url = url("challenges.appeal", challenge_id=appeal.id)
    letter_links = parse(client.get(status_url)).cssselect("main .govuk-body a")
    letter_links = [a for a in letter_links if a.get("href") != url("my.home")]
    assert [(text_of(a), a.get("href")) for a in letter_links] == [
        ("Read the decision letter", url("letters.show", letter_id=letter.id))
    ]
    stranger = make_customer(make_user(Role.CUSTOMER))
    sign_out(client)
    sign_in(client, stranger.user.email)
    assert client.get(status_url).status_code == 404
