"""Feedback on the policy (issue 17 item 3; s5.3): anyone, signed out, gives it without a
CAPTCHA (a time trap and a rate limit keep programs out); it reaches the owner by section;
the owner records what was done; the review pack (CSV at once, a tagged PDF from the job
queue) lists it without anyone's contact details; the annual report counts it."""

import csv
import datetime as dt
import io
import time

from portal.clock import today
from portal.extensions import db
from portal.jobs.worker import work
from portal.models import PolicyFeedback
from portal.models.types import utcnow
from portal.models.vocab import FeedbackFrom, FeedbackOutcome, Role
from portal.policy import feedback, versions
from portal.reports.annual.figures import period_figures
from portal.reports.periods import Period
from tests.factories import make_customer, make_user
from tests.helpers import (
    banners,
    check_page,
    csrf_token,
    error_summary,
    parse,
    sign_in,
    text_of,
    texts,
    url,
)
from tests.views.test_report_views import assert_tagged_pdf, export_urls, pdf_text

TODAY = today()
WORDS = "Section 3.2 should say how long a single point of contact lasts."


def _form(client, **fields):
    """The public form's fields, as a person who took ten seconds would send them."""
    page_url = url("public.policy_feedback")
    data = {
        "csrf_token": csrf_token(client, page_url),
        "section": "3.2",
        "text": WORDS,
        "given_by": "someone_else",
        "started": feedback.started_stamp(time.time() - 10),
    }
    return client.post(page_url, data={**data, **fields})


def test_a_signed_out_visitor_gives_feedback_and_it_reaches_the_owner(app, client):
    owner = make_user(Role.REVIEW_MANAGER)
    page = client.get(url("public.policy_feedback"))
    check_page(page.get_data(as_text=True))
    [stamp] = parse(page).cssselect("input[name=started]")

    # Sent the moment the page arrived: refused, and nothing typed is lost.
    too_fast = _form(client, started=stamp.get("value"))
    assert too_fast.status_code == 400
    assert error_summary(too_fast) == ["Please check your feedback and send it again."]
    assert parse(too_fast).cssselect("textarea#text")[0].text.strip() == WORDS
    assert _form(client, started="forged").status_code == 400
    assert db.session.scalar(db.select(db.func.count(PolicyFeedback.id))) == 0

    sent = _form(client, contact_email="sam@example.com")
    assert sent.status_code == 303 and sent.headers["Location"] == url("public.policy")
    assert banners(client.get(sent.headers["Location"])) == [
        "Thank you. Your feedback has reached the policy's owner."
    ]
    [item] = db.session.scalars(db.select(PolicyFeedback)).all()
    assert (item.section, item.given_by, item.user_id) == ("3.2", FeedbackFrom.SOMEONE_ELSE, None)
    assert not item.is_anonymous

    sign_in(client, owner.email)
    listed = client.get(url("policy.feedback_list"))
    check_page(listed.get_data(as_text=True))
    assert texts(listed, "h2.govuk-heading-m")[0].startswith("3.2. How we manage it")
    [card] = parse(listed).cssselect(f"#feedback-{item.id}")
    assert WORDS in text_of(card) and "sam@example.com" in text_of(card)
    assert "Not yet considered" in text_of(card)

    consider_url = url("policy.consider_feedback", feedback_id=item.id)
    page = client.get(consider_url)
    check_page(page.get_data(as_text=True))
    token = csrf_token(client, consider_url)
    refused = client.post(consider_url, data={"csrf_token": token, "note": "x"})
    assert refused.status_code == 400
    assert error_summary(refused) == ["Choose what was done with the feedback"]
    saved = client.post(
        consider_url,
        data={"csrf_token": token, "outcome": "next_version", "note": "Added to draft 2.0."},
    )
    assert saved.status_code == 303
    db.session.refresh(item)
    assert item.outcome == FeedbackOutcome.NEXT_VERSION and item.considered_by_id == owner.id


def test_the_review_pack_lists_the_feedback_without_contact_details(app, client):
    owner = make_user(Role.REVIEW_MANAGER)
    version = _version(owner)
    feedback.receive(
        section="3.2",
        text=WORDS,
        given_by=FeedbackFrom.CUSTOMER,
        user=None,
        contact_name="Sam Jones",
        contact_email="sam@example.com",
        now=utcnow(),
    )
    feedback.receive(
        section="whole",
        text="Clear and fair.",
        given_by=FeedbackFrom.COLLEAGUE,
        user=owner,
        now=utcnow(),
    )
    [item] = db.session.scalars(db.select(PolicyFeedback).where(PolicyFeedback.section == "3.2"))
    assert item.policy_version_id == version.id
    feedback.consider(
        item, outcome=FeedbackOutcome.ANSWERED, note="Phoned Sam.", by=owner, now=utcnow()
    )
    sign_in(client, owner.email)
    data = client.get(url("policy.review_pack_csv")).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0][:3] == ["Received", "Part of the policy", "From"]
    assert [(r[1], r[2], r[3], r[5], r[6]) for r in rows[1:]] == [
        ("The whole policy", "A colleague", "No", "Not yet considered", ""),
        ("3.2. How we manage it", "A customer", "Yes", "Answered", "Phoned Sam."),
    ]
    assert "sam@example.com" not in data and "Sam Jones" not in data

    token = csrf_token(client, url("policy.feedback_list"))
    queued = client.post(url("policy.review_pack_pdf"), data={"csrf_token": token})
    status_url, file_url = export_urls(queued.headers["Location"])
    assert work(name="test-worker", burst=True) == 1
    status = client.get(status_url)
    assert status.status_code == 200
    # The status page says what is being made and leads back to where it was asked for.
    assert text_of(parse(status).cssselect("h1")[0]) == "The policy review pack as a PDF"
    [back] = parse(status).cssselect("a.govuk-back-link")
    assert back.get("href") == url("policy.feedback_list")
    pdf = client.get(file_url).data
    assert_tagged_pdf(pdf)
    text = pdf_text(pdf)
    assert "Phoned Sam." in text and "sam@example.com" not in text


def _version(owner):
    started = TODAY - dt.timedelta(days=30)
    draft = versions.draft_next(created_by=owner, today=started)
    versions.save_draft(
        draft,
        saved_by=owner,
        full_text="1. Background",
        eia_completed_on=started,
        eia_reviewed_on=started,
        approved_on=started,
    )
    return versions.publish(
        draft, in_force_from=started, published_by=owner, now=utcnow(), today=started
    )


def test_a_signed_in_customer_is_recorded_and_programs_are_rate_limited(app, client):
    customer = make_customer(make_user(Role.CUSTOMER))
    sign_in(client, customer.user.email)
    page = client.get(url("public.policy_feedback"))
    [chosen] = parse(page).cssselect("input[name=given_by][checked]")
    assert chosen.get("value") == "customer"
    assert _form(client, given_by="customer").status_code == 303
    [item] = db.session.scalars(db.select(PolicyFeedback)).all()
    assert item.user_id == customer.user.id and item.is_anonymous

    statuses = [_form(client, given_by="customer").status_code for _ in range(10)]
    assert statuses[:9] == [303] * 9 and statuses[9] == 429  # ten an hour from one address


def test_the_annual_report_counts_feedback_on_the_policy(app):
    owner = make_user(Role.REVIEW_MANAGER)
    # Through tomorrow: the feedback is received now, after midnight if the run crossed it.
    period = Period(TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=1))
    for text in ("One", "Two"):
        feedback.receive(
            section="whole", text=text, given_by=FeedbackFrom.CUSTOMER, user=None, now=utcnow()
        )
    [first, _second] = db.session.scalars(db.select(PolicyFeedback)).all()
    feedback.consider(first, outcome=FeedbackOutcome.NO_CHANGE, note="", by=owner, now=utcnow())
    figures = period_figures(period)
    assert (figures.policy_feedback_received, figures.policy_feedback_considered) == (2, 1)


def test_feedback_a_customer_gave_is_in_their_subject_access_export(app):
    from portal.gdpr.subject_access import collect

    customer = make_customer(make_user(Role.CUSTOMER), email="sam.jones@example.com")
    feedback.receive(
        section="whole",
        text="Signed in.",
        given_by=FeedbackFrom.CUSTOMER,
        user=customer.user,
        now=utcnow(),
    )
    feedback.receive(
        section="7",
        text="Signed out.",
        given_by=FeedbackFrom.CUSTOMER,
        user=None,
        contact_email="Sam.Jones@example.com",
        now=utcnow(),
    )
    feedback.receive(
        section="7",
        text="Someone else's.",
        given_by=FeedbackFrom.SOMEONE_ELSE,
        user=None,
        now=utcnow(),
    )
    rows = collect(customer.id).sections["feedback_on_the_policy"]
    assert [row["text"] for row in rows] == ["Signed in.", "Signed out."]
