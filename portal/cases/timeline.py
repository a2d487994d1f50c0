"""Everything that happened on a case, newest first, loaded in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.clock import LONDON
from portal.extensions import db
from portal.models import (
    Appeal,
    Case,
    ContactLogEntry,
    Incident,
    Letter,
    ReconsiderationRequest,
    Restriction,
)
from portal.models.vocab import CURRENT_RESTRICTION_STATUSES, RestrictionStatus, label


@dataclass
class TimelineEntry:
    when: dt.datetime
    heading: object  # translatable
    text: str = ""
    tags: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    letter_id: int | None = None


@dataclass
class CasePage:
    case: Case
    timeline: list[TimelineEntry]
    current_restrictions: list[Restriction]
    past_restrictions: list[Restriction]
    informal_step_count: int
    has_needs_consideration: bool
    draft_letters: list = field(default_factory=list)

    @property
    def next_review_on(self) -> dt.date | None:
        dates = [
            r.next_review_on
            for r in self.current_restrictions
            if r.status == RestrictionStatus.ACTIVE
        ]
        return min(dates) if dates else None


def _day(value: dt.date) -> dt.datetime:
    return dt.datetime.combine(value, dt.time(0), tzinfo=LONDON)


def load_case(case_id: int) -> Case | None:
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
            selectinload(Case.restrictions).selectinload(Restriction.reviews),
        )
    )


def build_case_page(case: Case) -> CasePage:
    entries: list[TimelineEntry] = []
    for incident in case.incidents:
        entries.append(
            TimelineEntry(
                incident.occurred_at,
                _l("Incident"),
                incident.description,
                [label(b) for b in sorted(incident.behaviours)],
                list(incident.attachments),
            )
        )
    for step in case.informal_steps:
        entries.append(
            TimelineEntry(
                _day(step.taken_on), label(step.kind), f"{step.description} — {step.outcome}"
            )
        )
    for consideration in case.needs_considerations:
        entries.append(
            TimelineEntry(
                consideration.recorded_at, _l("Needs considered"), consideration.needs_summary
            )
        )
    for call in case.terminated_calls:
        warned = _l("Warned first") if call.customer_warned_first else _l("Not warned first")
        entries.append(
            TimelineEntry(call.ended_at, _l("Call ended by staff"), call.reason, [warned])
        )
    for referral in case.referrals:
        entries.append(
            TimelineEntry(
                referral.created_at,
                _l("Referral"),
                referral.reason,
                [label(referral.kind), label(referral.status)],
            )
        )
    for escalation in case.escalations:
        entries.append(
            TimelineEntry(escalation.created_at, label(escalation.kind), escalation.reason)
        )
    for refusal in case.complaint_refusals:
        entries.append(
            TimelineEntry(
                _day(refusal.decided_on),
                _l("Complaint no longer considered"),
                f"{refusal.complaint_reference}: {refusal.reason}",
            )
        )
    for restriction in case.restrictions:
        entries.append(
            TimelineEntry(
                restriction.proposed_at,
                _l("Restriction proposed"),
                restriction.reason,
                [label(restriction.status)],
            )
        )
        if restriction.approved_at:
            entries.append(TimelineEntry(restriction.approved_at, _l("Restriction approved"), ""))
        if restriction.ended_at:
            entries.append(
                TimelineEntry(
                    restriction.ended_at, label(restriction.status), restriction.end_reason
                )
            )
        for review in restriction.reviews:
            if review.held_on:
                entries.append(
                    TimelineEntry(
                        _day(review.held_on),
                        _l("Review"),
                        review.explanation,
                        [label(review.outcome)] if review.outcome else [],
                    )
                )
    customer_id = case.customer_id
    for letter in db.session.scalars(
        select(Letter).where(Letter.case_id == case.id, Letter.issued_at.is_not(None))
    ):
        tags = [label(letter.kind)]
        if letter.first_opened_at:
            tags.append(_l("Opened"))
        entries.append(
            TimelineEntry(
                letter.issued_at, _l("Letter sent"), letter.reference, tags, letter_id=letter.id
            )
        )
    for appeal in db.session.scalars(select(Appeal).where(Appeal.customer_id == customer_id)):
        entries.append(
            TimelineEntry(
                appeal.submitted_at, _l("Appeal received"), appeal.grounds, [label(appeal.status)]
            )
        )
    for request in db.session.scalars(
        select(ReconsiderationRequest).where(ReconsiderationRequest.customer_id == customer_id)
    ):
        entries.append(
            TimelineEntry(
                request.submitted_at,
                _l("Reconsideration requested"),
                request.details,
                [label(request.status)],
            )
        )
    for contact in db.session.scalars(
        select(ContactLogEntry).where(ContactLogEntry.case_id == case.id)
    ):
        entries.append(
            TimelineEntry(
                contact.occurred_at, _l("Contact logged"), contact.summary, [label(contact.finding)]
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    restrictions = sorted(case.restrictions, key=lambda r: r.starts_on, reverse=True)
    return CasePage(
        case=case,
        timeline=entries,
        current_restrictions=[r for r in restrictions if r.status in CURRENT_RESTRICTION_STATUSES],
        past_restrictions=[r for r in restrictions if r.status not in CURRENT_RESTRICTION_STATUSES],
        informal_step_count=len(case.informal_steps),
        has_needs_consideration=bool(case.needs_considerations),
        draft_letters=list(
            db.session.scalars(
                select(Letter).where(Letter.case_id == case.id, Letter.issued_at.is_(None))
            )
        ),
    )
