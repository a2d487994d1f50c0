"""Subject access (UK GDPR Art. 15; issue 13 item 6): everything held about one customer,
as JSON, a readable PDF and the letters' PDFs, with other people redacted and listed, and
nothing about another customer."""

import datetime as dt
import io
import json
import zipfile

import pypdf

from portal import audit
from portal.clock import today
from portal.extensions import db
from portal.gdpr import services
from portal.jobs.worker import work
from portal.letters import services as letters
from portal.models import AuditEvent, ContactLogEntry, Incident, Job
from portal.models.cases import IncidentBehaviour
from portal.models.jobs import JobStatus
from portal.models.types import utcnow
from portal.models.vocab import (
    BehaviourType,
    ContactChannel,
    ContactFinding,
    LetterKind,
    Role,
)
from tests import pdf_ua_rules
from tests.factories import make_case, make_customer, make_user
from tests.letter_fixtures import make_notice_world

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def _other_customer():
    """Another customer, with a case of their own, who is named in the first one's case."""
    other = make_customer(
        full_name="Bella Stonebridge",
        reference="T-777001",
        email="bella.s@example.org",
        postcode="BS9 9ZZ",
        address="99 Quiet Lane, Bristol",
    )
    officer = make_user(Role.CASE_OFFICER, display_name="Quentin Junior")
    case = make_case(other, officer, summary="Bella's own case: noise complaints.")
    db.session.add(
        Incident(
            case=case,
            occurred_at=utcnow(),
            channel=ContactChannel.EMAIL,
            description="Bella Stonebridge's private incident text.",
            logged_by_id=officer.id,
        )
    )
    db.session.commit()
    return other


def _issue_notice(case, officer):
    possible = next(
        p for p in letters.possible_letters(case) if p.kind == LetterKind.RESTRICTION_NOTICE
    )
    letter = letters.draft_letter(case, possible, created_by=officer, now=utcnow())
    return letters.issue_letter(
        letter, issued_by=officer, locale="en", needs_post=False, now=utcnow(), today=today()
    )


def _export(customer, steward):
    request = services.record_request(customer, received_on=today(), actor=steward, today=today())
    services.make_export(request.id, NOW)
    db.session.refresh(request)
    return request, zipfile.ZipFile(io.BytesIO(request.export_zip))


def test_the_export_holds_everything_and_nothing_about_anyone_else(app):
    other = _other_customer()
    case, restriction, officer, customer = make_notice_world()
    incident = Incident(
        case=case,
        occurred_at=utcnow(),
        channel=ContactChannel.TELEPHONE,
        description="Shouted that Bella Stonebridge was to blame for the noise.",
        logged_by_id=officer.id,
    )
    incident.behaviour_rows = [IncidentBehaviour(behaviour=BehaviourType.OFFENSIVE_LANGUAGE)]
    db.session.add(incident)
    db.session.add(
        ContactLogEntry(
            customer_id=customer.id,
            case_id=case.id,
            occurred_at=utcnow(),
            channel=ContactChannel.EMAIL,
            summary="Asked when the review is.",
            finding=ContactFinding.WITHIN_RESTRICTION,
            restriction_id=restriction.id,
            logged_by_id=officer.id,
        )
    )
    db.session.commit()
    letter = _issue_notice(case, officer)
    audit.record("case_view", actor=officer, object_type="case", object_id=case.id,
                 customer_id=customer.id)  # fmt: skip
    steward = make_user(Role.DATA_STEWARD)

    request, archive = _export(customer, steward)

    names = set(archive.namelist())
    stem = f"subject-access-{customer.reference}"
    assert {f"{stem}.json", f"{stem}.pdf", f"letters/{letter.reference}-en.pdf"} <= names
    data = json.loads(archive.read(f"{stem}.json"))
    sections = data["sections"]
    assert sections["your_record"]["full_name"] == "Jordan Ellis"
    assert len(sections["cases"]) == 1 and sections["cases"][0]["reference"] == case.reference
    assert len(sections["incidents"]) == 2
    assert {b for i in sections["incidents"] for b in i["behaviours"]} >= {"offensive_language"}
    assert len(sections["restrictions"]) == 1 and sections["restriction_measures"]
    assert len(sections["needs_considerations"]) == 1 and sections["informal_steps"]
    assert len(sections["contact_log"]) == 1
    assert [entry["reference"] for entry in sections["letters"]] == [letter.reference]
    assert any(v["what"] == "case_view" for v in sections["who_viewed_or_changed_your_records"])
    assert len(sections["subject_access_requests"]) == 1
    # Other people: the other customer's name is taken out of this customer's incident, the
    # case officer (below manager level) is not named, the review manager is.
    described = " ".join(i["description"] for i in sections["incidents"])
    assert "Bella Stonebridge" not in described and "[another person: redacted]" in described
    reasons = {r["reason"] for r in data["redactions"]}
    assert reasons == {"another customer named", "staff name below manager level"}
    assert request.redaction_count == len(data["redactions"])
    approver = sections["restrictions"][0]["approved_by"]
    assert approver["who"] == "Ravi Shah"
    assert sections["restrictions"][0]["proposed_by"]["who"] != "Olivia Carter"
    # Nothing about the other customer anywhere in the ZIP: JSON, PDF and letters.
    everything = json.dumps(data)
    for name in names - {f"{stem}.json"}:
        reader = pypdf.PdfReader(io.BytesIO(archive.read(name)))
        everything += " ".join(page.extract_text() for page in reader.pages)
    for secret in (
        "Bella",
        "Stonebridge",
        "T-777001",
        "bella.s@example.org",
        "BS9 9ZZ",
        "Quiet Lane",
        "noise complaints",
        "private incident",
    ):
        assert secret not in everything, secret
    # The case officer is named only where the customer was already told (the letter names
    # their single point of contact): not in the data or the readable copy.
    sar_pdf = pypdf.PdfReader(io.BytesIO(archive.read(f"{stem}.pdf")))
    assert pdf_ua_rules.problems(archive.read(f"{stem}.pdf")) == []  # issue 16 item 2
    readable = " ".join(page.extract_text() for page in sar_pdf.pages)
    assert "Olivia Carter" not in json.dumps(data) and "Olivia Carter" not in readable
    assert "Jordan Ellis" in everything
    assert other.id not in [c.get("id") for c in sections["cases"]]


def test_the_request_and_its_delivery_are_audited(app):
    _, _, _, customer = make_notice_world()
    steward = make_user(Role.DATA_STEWARD)
    request, _ = _export(customer, steward)
    payload = services.deliver(request, actor=steward, now=NOW)
    assert zipfile.ZipFile(io.BytesIO(payload)).testzip() is None
    actions = [
        event.action
        for event in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.customer_id == customer.id)
        )
    ]
    assert {"sar_requested", "sar_export_made", "sar_delivered"} <= set(actions)
    assert request.delivered_at is not None and request.delivered_by_id == steward.id


def test_a_request_cannot_be_received_in_the_future(app):
    customer = make_customer()
    steward = make_user(Role.DATA_STEWARD)
    tomorrow = today() + dt.timedelta(days=1)
    try:
        services.record_request(customer, received_on=tomorrow, actor=steward, today=today())
    except services.ReceivedInFuture:
        pass
    else:
        raise AssertionError("a future date was accepted")
    assert services.requests_of(customer.id) == []


def test_recording_a_request_queues_its_export_for_a_job_worker(app):
    _, _, _, customer = make_notice_world()
    steward = make_user(Role.DATA_STEWARD)
    request = services.record_request(customer, received_on=today(), actor=steward, today=today())
    job = db.session.scalar(db.select(Job))
    assert (job.kind, job.payload) == ("gdpr.subject_access_export", {"request_id": request.id})
    assert request.export_sha256 is None and request.completed_at is None  # not in the request
    assert work(name="test-worker", burst=True) == 1
    db.session.refresh(request)
    assert db.session.get(Job, job.id).status == JobStatus.DONE
    assert zipfile.ZipFile(io.BytesIO(request.export_zip)).testzip() is None
    actions = db.session.scalars(
        db.select(AuditEvent.action)
        .where(AuditEvent.customer_id == customer.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["sar_requested", "sar_export_made"]
