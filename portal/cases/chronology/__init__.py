"""One chronology of a case, loaded once, for both the case page and the Housing Ombudsman
evidence pack: every incident (s3.1), informal step (s3.2, s3.3), needs consideration
(s6.1, s6.2), call ended, referral, escalation (s3.3), complaint refusal (s3.2),
restriction with its approval, end and reviews (s3.4, s3.5), appeal (s3.4) and
reconsideration (s4), letter and contact.

Each :class:`Event` carries both readings: the ``summary`` the case page shows (or None
where the page leaves it out) and the full ``details`` the pack prints. Protected
characteristics are never read here (s6.3); contact-log entries are staff records, in the
pack only when staff notes are asked for.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.cases.chronology.correspondence import (
    case_letters,
    contacts,
    issued_letters,
    letter_event,
)
from portal.cases.chronology.decisions import appeals, reconsiderations, restrictions
from portal.cases.chronology.entries import Event, LetterRow, Summary
from portal.cases.chronology.records import (
    calls,
    complaint_refusals,
    escalations,
    incidents,
    informal_steps,
    needs,
    opened,
    referrals,
)
from portal.extensions import db
from portal.models import Case, Incident, Letter, Restriction, Review

__all__ = ["Chronology", "Event", "LetterRow", "Summary", "case_letters", "chronology", "load_case"]


def load_case(case_id: int) -> Case | None:
    """The case with everything its chronology reads, in a fixed number of queries."""
    return db.session.scalar(
        select(Case)
        .where(Case.id == case_id)
        .options(
            selectinload(Case.customer),
            selectinload(Case.incidents).selectinload(Incident.attachments),
            selectinload(Case.informal_steps),
            selectinload(Case.needs_considerations),
            selectinload(Case.terminated_calls),
            selectinload(Case.referrals),
            selectinload(Case.escalations),
            selectinload(Case.complaint_refusals),
            selectinload(Case.restrictions).selectinload(Restriction.measures),
            selectinload(Case.restrictions)
            .selectinload(Restriction.reviews)
            .selectinload(Review.reviewer),
        )
    )


@dataclass
class Chronology:
    events: list[Event]  # oldest first
    letters: list[LetterRow]


SOURCES = (
    opened,
    incidents,
    informal_steps,
    needs,
    calls,
    referrals,
    escalations,
    complaint_refusals,
    restrictions,
    appeals,
    reconsiderations,
    contacts,
)


def chronology(case: Case, letters: list[Letter] | None = None) -> Chronology:
    """Everything that happened on the case, oldest first. ``letters``: the case's letters
    (``case_letters``), when the caller has them already."""
    letters = issued_letters(case_letters(case) if letters is None else letters)
    events = [event for source in SOURCES for event in source(case)]
    events += [letter_event(row) for row in letters]
    events.sort(key=lambda event: event.when)
    return Chronology(events, letters)
