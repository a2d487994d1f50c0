"""Demo records past their retention date, so the data steward's dry run has something to
show (issue 13 item 7): a former customer who left eight years ago, whose case closed and
whose restriction ended seven years ago, and contact-log entries three years old.

Direct inserts, like the demo history: the services refuse dates this far back. Idempotent
(found by reference first). Nothing here touches today's queues: the case is closed.
"""

import datetime as dt

from sqlalchemy import select

from portal.cases.references import case_reference
from portal.dates import add_months
from portal.demo.history_people import ensure_staff
from portal.demo.history_records import at
from portal.extensions import db
from portal.models import (
    Case,
    ContactLogEntry,
    Customer,
    Incident,
    InformalStep,
    NeedsConsideration,
    Restriction,
    RestrictionMeasure,
)
from portal.models.cases import IncidentBehaviour
from portal.models.vocab import (
    BehaviourType,
    ContactChannel,
    ContactFinding,
    InformalStepKind,
    RestrictionOption,
    RestrictionStatus,
    ReviewFrequency,
)

REFERENCE = "T-090417"
CASE_REFERENCE = case_reference(2019, 7)


def load_retention_examples(today: dt.date) -> int:
    """Returns how many records were created (0 when already there)."""
    if db.session.scalar(select(Customer.id).where(Customer.reference == REFERENCE)):
        return 0
    staff = ensure_staff()
    officer, manager = staff["officer1"], staff["manager1"]
    customer = Customer(
        reference=REFERENCE,
        full_name="Gareth Lloyd",
        address="7 Hillside Terrace, Newport",
        postcode="NP20 4AB",
        email="gareth.lloyd@example.net",
        date_of_birth=dt.date(1961, 5, 14),
        left_on=add_months(today, -8 * 12),
    )
    db.session.add(customer)
    opened = add_months(today, -8 * 12 - 6)
    case = Case(
        reference=CASE_REFERENCE,
        customer=customer,
        opened_at=at(opened),
        opened_by_id=officer.id,
        case_officer_id=officer.id,
        summary="Repeated calls about a neighbour dispute, several each day.",
        closed_at=at(add_months(today, -7 * 12)),
    )
    incident = Incident(
        case=case,
        occurred_at=at(opened + dt.timedelta(days=3)),
        channel=ContactChannel.TELEPHONE,
        description="Nine calls in one morning; shouting at the call handler.",
        logged_by_id=officer.id,
        logged_at=at(opened + dt.timedelta(days=3)),
    )
    incident.behaviour_rows = [IncidentBehaviour(behaviour=BehaviourType.CONTACT_OVERLOAD)]
    step = InformalStep(
        case=case,
        kind=InformalStepKind.CONVERSATION,
        taken_on=opened + dt.timedelta(days=10),
        taken_by_id=officer.id,
        description="Talked through how we would handle the dispute.",
        outcome="The calls continued.",
    )
    needs = NeedsConsideration(
        case=case,
        recorded_by_id=officer.id,
        recorded_at=at(opened + dt.timedelta(days=20)),
        needs_summary="No support needs recorded; letters in English.",
    )
    starts_on = opened + dt.timedelta(days=30)
    restriction = Restriction(
        case=case,
        status=RestrictionStatus.EXPIRED,
        starts_on=starts_on,
        ends_on=add_months(starts_on, 6),
        review_frequency=ReviewFrequency.QUARTERLY,
        next_review_on=add_months(starts_on, 3),
        reason="Contact overload affecting the service for others.",
        proposed_by_id=officer.id,
        proposed_at=at(starts_on - dt.timedelta(days=5)),
        approved_by_id=manager.id,
        approved_at=at(starts_on - dt.timedelta(days=2)),
        needs_consideration=needs,
        incidents=[incident],
        ended_at=at(add_months(starts_on, 6)),
        end_reason="Reached its end date.",
    )
    restriction.measures = [
        RestrictionMeasure(
            option=RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL
        )
    ]
    contacts = [
        ContactLogEntry(
            customer=customer,
            case=case,
            occurred_at=at(add_months(today, -36) + dt.timedelta(days=day)),
            channel=ContactChannel.EMAIL,
            summary="Asked about a rent statement.",
            finding=ContactFinding.NO_RESTRICTION,
            logged_by_id=officer.id,
        )
        for day in (0, 9)
    ]
    db.session.add_all([case, incident, step, needs, restriction, *contacts])
    db.session.commit()
    return 8
