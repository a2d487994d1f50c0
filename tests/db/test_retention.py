"""The retention schedule (UK GDPR Art. 5(1)(e); issue 13 item 7): a dry run that changes
nothing, a run that anonymises closed cases and deletes old contact-log entries while the
annual report's figures stay the same, legal holds that stop it, and an audit record that
holds counts, never the erased data."""

import datetime as dt

from sqlalchemy import func, select

from portal.dates import add_months
from portal.demo.retention_examples import CASE_REFERENCE, REFERENCE, load_retention_examples
from portal.extensions import db
from portal.gdpr import retention, services
from portal.models import (
    AuditEvent,
    Case,
    ContactLogEntry,
    Customer,
    Incident,
    Letter,
    LetterRender,
    ReportExport,
    Restriction,
    StoredFile,
)
from portal.models.types import utcnow
from portal.models.vocab import (
    ContactChannel,
    ContactFinding,
    LetterFormat,
    LetterKind,
    LetterStatus,
    Role,
)
from portal.reports.annual.figures import period_figures
from portal.reports.periods import Period
from tests.factories import make_case, make_customer, make_user
from tests.upload_samples import pdf_bytes

TODAY = dt.date(2026, 12, 3)


def _old_world():
    load_retention_examples(TODAY)
    customer = db.session.scalar(select(Customer).where(Customer.reference == REFERENCE))
    case = db.session.scalar(select(Case).where(Case.reference == CASE_REFERENCE))
    return customer, case


def _counts():
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Case, Incident, Restriction, ContactLogEntry, Customer)
    }


def test_the_dry_run_lists_what_is_due_and_changes_nothing(app):
    customer, case = _old_world()
    before = _counts()
    due = {d.rule.key: d for d in retention.plan(TODAY)}
    assert due["closed_cases"].ids == [case.id]
    assert due["contact_log"].count == 2
    assert due["former_customers"].ids == [customer.id]
    assert _counts() == before
    assert db.session.get(Customer, customer.id).full_name == "Gareth Lloyd"


def test_applying_anonymises_and_keeps_the_annual_report_figures(app):
    customer, case = _old_world()
    opened = case.opened_at.date()
    period = Period(opened - dt.timedelta(days=30), opened + dt.timedelta(days=330))
    figures_before = period_figures(period)
    recent = make_customer(full_name="Recent Person")
    officer = make_user(Role.CASE_OFFICER)
    db.session.add(
        ContactLogEntry(
            customer_id=recent.id,
            occurred_at=dt.datetime.combine(TODAY, dt.time(9), dt.UTC),
            channel=ContactChannel.EMAIL,
            summary="Recent contact.",
            finding=ContactFinding.NO_RESTRICTION,
            logged_by_id=officer.id,
        )
    )
    db.session.commit()

    retention.apply(TODAY)
    db.session.expire_all()

    case = db.session.get(Case, case.id)
    assert case.summary == retention.REMOVED
    assert all(i.description == retention.REMOVED for i in case.incidents)
    assert all(r.reason == retention.REMOVED for r in case.restrictions)
    assert len(case.restrictions) == 1 and len(case.incidents) == 1  # kept for the figures
    customer = db.session.get(Customer, customer.id)
    assert customer.full_name == retention.ANONYMOUS_NAME
    assert customer.email is None and customer.date_of_birth is None and customer.address == ""
    remaining = list(db.session.scalars(select(ContactLogEntry)))
    assert [entry.summary for entry in remaining] == ["Recent contact."]
    assert period_figures(period) == figures_before
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention_applied"))
    assert event.details["closed_cases"] == {"applied": 1, "held": 0}
    assert event.details["contact_log"] == {"applied": 2, "held": 0}
    assert "Gareth" not in str(event.details) and REFERENCE not in str(event.details)
    # Safe to run twice: nothing more is due.
    assert all(due.count == 0 for due in retention.plan(TODAY) if due.rule.applied_by_the_portal)


def test_an_anonymised_case_loses_its_letters_rendered_copies_and_evidence_files(app):
    """Rendered letters, evidence files and an evidence pack made within the hour are kept
    in the database (issue 18 items 4 and 5): they hold the same personal data as the rows,
    and go with them."""
    from portal import uploads

    _customer, case = _old_world()
    officer = make_user(Role.CASE_OFFICER)
    letter = Letter(
        reference="L-RETAIN-1",
        requested_format=LetterFormat.PDF,
        created_by_id=officer.id,
        case_id=case.id,
        customer_id=case.customer_id,
        kind=LetterKind.INFORMAL_WARNING,
        locale="en",
        status=LetterStatus.ISSUED,
        content={},
        content_sha256="a" * 64,
        issued_at=utcnow(),
    )
    checked = uploads.CheckedFile("note.pdf", "application/pdf", pdf_bytes())
    db.session.add_all([letter, uploads.store(checked, uploaded_by_id=officer.id, case=case)])
    db.session.add(LetterRender(key="b" * 64, content_sha256="a" * 64, data=b"%PDF-"))
    kept_elsewhere = LetterRender(key="c" * 64, content_sha256="d" * 64, data=b"%PDF-")
    db.session.add(kept_elsewhere)
    manager = make_user(Role.REVIEW_MANAGER)
    for case_id in (case.id, None):  # the case's evidence pack, and an annual report's PDF
        db.session.add(
            ReportExport(
                token=f"retention-export-{case_id}",
                owner_user_id=manager.id,
                file_name="pack.pdf",
                case_id=case_id,
                content=b"%PDF-",
            )
        )
    db.session.commit()

    retention.apply(TODAY)

    assert db.session.scalars(select(LetterRender.key)).all() == ["c" * 64]
    assert db.session.scalars(select(ReportExport.case_id)).all() == [None]
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_a_legal_hold_stops_the_run_until_it_is_lifted(app):
    customer, case = _old_world()
    steward = make_user(Role.DATA_STEWARD)
    hold = services.place_hold(customer, case_id=None, reason="Ombudsman enquiry", actor=steward)
    done = {d.rule.key: d for d in retention.apply(TODAY)}
    assert done["closed_cases"].held == 1 and done["closed_cases"].count == 0
    assert done["contact_log"].held == 2 and done["former_customers"].count == 0
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).full_name == "Gareth Lloyd"
    assert db.session.get(Case, case.id).summary != retention.REMOVED
    services.lift_hold(hold, reason="Enquiry closed", actor=steward, now=utcnow())
    retention.apply(TODAY)
    db.session.expire_all()
    assert db.session.get(Case, case.id).summary == retention.REMOVED


def test_a_hold_needs_a_reason_and_a_case_of_the_customer(app):
    customer, _ = _old_world()
    steward = make_user(Role.DATA_STEWARD)
    other_case = make_case(make_customer(), make_user(Role.CASE_OFFICER))
    for kwargs, refusal in (
        ({"case_id": None, "reason": "  "}, services.HoldReasonMissing),
        ({"case_id": other_case.id, "reason": "Claim"}, services.CaseOfAnotherCustomer),
    ):
        try:
            services.place_hold(customer, actor=steward, **kwargs)
        except refusal:
            continue
        raise AssertionError(f"{kwargs} was accepted")


def test_a_former_customer_with_a_case_still_kept_is_never_anonymised(app):
    officer = make_user(Role.CASE_OFFICER)
    left = add_months(TODAY, -10 * 12)
    customer = make_customer(full_name="Still Kept", left_on=left)
    make_case(customer, officer)  # open: kept
    due = {d.rule.key: d for d in retention.plan(TODAY)}
    assert customer.id not in due["former_customers"].ids
    retention.apply(TODAY)
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).full_name == "Still Kept"
