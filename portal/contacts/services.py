"""Logging a contact and recording what the restriction says about it ("Beyond" 1).

A contact is never dropped: emergencies and new complaints are always accepted, breaches
are recorded, and a contact over a quota (or not through the single point of contact) is
routed to that person's queue.
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.contacts import rules as contact_rules
from portal.extensions import db
from portal.models import Case, ContactLogEntry, Customer, Restriction
from portal.models.vocab import ContactFinding, RestrictionOption, RestrictionStatus
from portal.restrictions.services import spec_of
from portal.translations import lazy_gettext as _l


class WrongCustomer(Exception):
    """The case chosen belongs to another customer."""

    message = _l("That case belongs to a different customer. Choose one of this customer's cases.")


@dataclass
class CheckedContact:
    assessment: contact_rules.ContactAssessment
    restriction: Restriction | None


def restrictions_in_force(
    customer_id: int, on: dt.date, *, lock: bool = False
) -> list[Restriction]:
    """The customer's active restrictions on this day. ``lock``: hold their rows until the
    transaction ends, so contacts logged at once are counted one after another."""
    query = (
        select(Restriction)
        .join(Case, Restriction.case_id == Case.id)
        .where(
            Case.customer_id == customer_id,
            Restriction.status == RestrictionStatus.ACTIVE,
            Restriction.starts_on <= on,
            Restriction.ends_on >= on,
        )
        .options(selectinload(Restriction.measures))
        .order_by(Restriction.starts_on, Restriction.id)
    )
    if lock:
        query = query.with_for_update(of=Restriction)
    return list(db.session.scalars(query))


def _contacts_in_period(customer_id: int, attempt, period) -> int:
    """Contacts already logged in the week or month of this one (s3.2), however late;
    emergencies and new complaints never count against a quota."""
    return db.session.scalar(
        select(func.count(ContactLogEntry.id)).where(
            ContactLogEntry.customer_id == customer_id,
            ContactLogEntry.occurred_at
            >= contact_rules.quota_period_start(attempt.occurred_at, period),
            ContactLogEntry.occurred_at
            < contact_rules.quota_period_end(attempt.occurred_at, period),
            ContactLogEntry.is_emergency.is_(False),
            ContactLogEntry.is_new_complaint.is_(False),
        )
    )


def check_contact(
    customer: Customer,
    attempt: contact_rules.ContactAttempt,
    *,
    local_day: dt.date,
    lock: bool = False,
) -> CheckedContact:
    """What the restrictions in force say about this contact, saving nothing. Logging
    passes ``lock``: the restrictions' rows are locked before the contacts are counted,
    and the count and the new entry share one transaction (issue 14 item 4)."""
    restrictions = restrictions_in_force(customer.id, local_day, lock=lock)
    measures = [spec_of(m) for r in restrictions for m in r.measures]
    so_far = {
        spec.limit_period: _contacts_in_period(customer.id, attempt, spec.limit_period)
        for spec in measures
        if spec.option == RestrictionOption.CONTACT_LIMIT and spec.limit_period
    }
    assessment = contact_rules.assess_contact(attempt, measures, contacts_so_far=so_far)
    return CheckedContact(assessment, restrictions[0] if restrictions else None)


def log_contact(
    customer: Customer,
    attempt: contact_rules.ContactAttempt,
    *,
    summary: str,
    case_id: int | None,
    placed_on_file: bool,
    logged_by,
    local_day: dt.date,
    now: dt.datetime,
) -> tuple[ContactLogEntry, CheckedContact]:
    if case_id is not None:
        case = db.session.get(Case, case_id)
        if case is None or case.customer_id != customer.id:
            raise WrongCustomer
    checked = check_contact(customer, attempt, local_day=local_day, lock=True)
    result = checked.assessment
    entry = ContactLogEntry(
        customer_id=customer.id,
        case_id=case_id,
        occurred_at=attempt.occurred_at,
        channel=attempt.channel,
        via_single_point_of_contact=attempt.via_single_point_of_contact,
        at_premises=attempt.at_premises,
        summary=summary,
        is_emergency=attempt.is_emergency,
        is_new_complaint=attempt.is_new_complaint,
        finding=result.finding,
        routed_to_user_id=(
            result.single_point_of_contact_id if result.route_to_single_point_of_contact else None
        ),
        restriction_id=(
            checked.restriction.id
            if checked.restriction and result.finding != ContactFinding.NO_RESTRICTION
            else None
        ),
        placed_on_file=placed_on_file,
        logged_by_id=logged_by.id,
        logged_at=now,
    )
    db.session.add(entry)
    audit.save_change(
        "contact_log",
        entry,
        actor=logged_by,
        object_type="contact",
        customer_id=customer.id,
        details={"finding": result.finding.value, "breaches": [b.value for b in result.breaches]},
    )
    return entry, checked


def record_read(entry: ContactLogEntry, *, reader, now: dt.datetime) -> ContactLogEntry:
    """Correspondence placed on file is still read for new information or safeguarding
    concerns, and the reading is recorded ("Beyond" 1)."""
    if entry.read_for_new_information_at is None:
        reader_id = reader.id  # may load: read it before the entry is half-changed
        entry.read_for_new_information_at = now
        entry.read_by_id = reader_id
        audit.record(
            "contact_read",
            actor=reader,
            object_type="contact",
            object_id=entry.id,
            customer_id=entry.customer_id,
            commit=False,
        )
        db.session.commit()
    return entry


def routed_to(user_id: int):
    """Contacts routed to this person as single point of contact, newest first, as a
    statement shown a page at a time (portal.pagination; issue 15 item 9)."""
    return (
        select(ContactLogEntry, Customer)
        .join(Customer, ContactLogEntry.customer_id == Customer.id)
        .where(ContactLogEntry.routed_to_user_id == user_id)
        .order_by(ContactLogEntry.occurred_at.desc(), ContactLogEntry.id.desc())
    )


def routed_to_ids(user_id: int):
    """The same contacts, for counting (served by the routed-to index alone; issue 18)."""
    return select(ContactLogEntry.id).where(ContactLogEntry.routed_to_user_id == user_id)
