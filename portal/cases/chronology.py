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

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.clock import LONDON
from portal.extensions import db
from portal.formatting import date_and_time, labels, language_name, long_date
from portal.models import (
    Appeal,
    Case,
    ComplaintRefusal,
    ContactLogEntry,
    Incident,
    Letter,
    ReconsiderationRequest,
    Restriction,
    Review,
)
from portal.models.vocab import (
    APPEAL_DECISION_LABELS,
    RECONSIDERATION_DECISION_LABELS,
    ReconsiderationGround,
    label,
)
from portal.restrictions.plain_words import describe_restriction

YES, NO = _l("Yes"), _l("No")
GROUNDS = {
    ReconsiderationGround.CHANGE_IN_CIRCUMSTANCES: _l("A change in circumstances"),
    ReconsiderationGround.FACTUAL_ERROR: _l("A factual error in the decision"),
}


@dataclass
class Summary:
    """What the case page shows of an event."""

    when: dt.datetime
    heading: object  # translatable
    text: str = ""
    tags: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    letter_id: int | None = None


@dataclass
class Event:
    """One thing that happened, with the pack's full details and the page's summary."""

    when: dt.datetime
    heading: object
    details: list = field(default_factory=list)  # (label, value) pairs
    summary: Summary | None = None
    is_decision: bool = False
    date_only: bool = False
    staff_only: bool = False
    number: int = 0

    @property
    def anchor(self) -> str:
        return f"entry-{self.number}"


@dataclass
class LetterRow:
    letter: Letter
    languages: list[str]


def day_start(value: dt.date) -> dt.datetime:
    return dt.datetime.combine(value, dt.time(0), tzinfo=LONDON)


def person_name(user) -> str:
    return user.display_name if user is not None else ""


def yes_no(value) -> object:
    return YES if value else NO


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


# The case's own records ---------------------------------------------------------------


def _opened(case: Case) -> list[Event]:
    details = [(_l("Opened by"), person_name(case.opened_by)), (_l("Summary"), case.summary)]
    return [Event(case.opened_at, _l("Case opened"), details)]


def _incidents(case: Case) -> list[Event]:
    return [
        Event(
            incident.occurred_at,
            _l("Incident"),
            [
                (_l("Type of behaviour"), labels(incident.behaviours)),
                (_l("How"), label(incident.channel)),
                (_l("What happened"), incident.description),
                (_l("Reported by"), incident.reported_by),
            ],
            Summary(
                incident.occurred_at,
                _l("Incident"),
                incident.description,
                [label(b) for b in sorted(incident.behaviours)],
                list(incident.attachments),
            ),
        )
        for incident in case.incidents
    ]


def _informal_steps(case: Case) -> list[Event]:
    events = []
    for step in case.informal_steps:
        details = [(_l("What was done"), step.description), (_l("Outcome"), step.outcome)]
        if step.support_organisation:
            details.append((_l("Support organisation"), step.support_organisation))
        when = day_start(step.taken_on)
        events.append(
            Event(
                when,
                _l("Informal step: %(kind)s", kind=label(step.kind)),
                details,
                Summary(when, label(step.kind), f"{step.description} — {step.outcome}"),
                date_only=True,
            )
        )
    return events


def _needs(case: Case) -> list[Event]:
    return [
        Event(
            needs.recorded_at,
            _l("Needs considered"),
            [
                (_l("Needs"), needs.needs_summary),
                (_l("Medical or support considerations"), needs.medical_or_support_considerations),
                (_l("Advocate considered"), yes_no(needs.advocate_considered)),
                (_l("About an advocate"), needs.advocate_notes),
                (_l("Multi-agency approach needed"), yes_no(needs.multi_agency_needed)),
                (_l("About a multi-agency approach"), needs.multi_agency_notes),
                (_l("Could the behaviour be an unmet need?"), yes_no(needs.could_be_unmet_need)),
                (_l("About an unmet need"), needs.unmet_need_notes),
                (_l("Adjustments made"), needs.adjustments_made),
            ],
            Summary(needs.recorded_at, _l("Needs considered"), needs.needs_summary),
        )
        for needs in case.needs_considerations
    ]


def _calls(case: Case) -> list[Event]:
    events = []
    for call in case.terminated_calls:
        warned = _l("Warned first") if call.customer_warned_first else _l("Not warned first")
        events.append(
            Event(
                call.ended_at,
                _l("Call ended by staff"),
                [
                    (_l("Customer told why first"), yes_no(call.customer_warned_first)),
                    (_l("Reason"), call.reason),
                ],
                Summary(call.ended_at, _l("Call ended by staff"), call.reason, [warned]),
            )
        )
    return events


def _referrals(case: Case) -> list[Event]:
    return [
        Event(
            referral.created_at,
            _l("Referral: %(kind)s", kind=label(referral.kind)),
            [
                (_l("Reason"), referral.reason),
                (_l("Status"), label(referral.status)),
                (_l("Outcome"), referral.outcome),
            ],
            Summary(
                referral.created_at,
                _l("Referral"),
                referral.reason,
                [label(referral.kind), label(referral.status)],
            ),
        )
        for referral in case.referrals
    ]


def _escalations(case: Case) -> list[Event]:
    return [
        Event(
            escalation.approved_at or escalation.created_at,
            _l("Escalation: %(kind)s", kind=label(escalation.kind)),
            [
                (_l("Reason"), escalation.reason),
                (_l("Proposed by"), person_name(escalation.proposed_by)),
                (_l("Approved by"), person_name(escalation.approved_by)),
            ],
            Summary(escalation.created_at, label(escalation.kind), escalation.reason),
            is_decision=escalation.approved_at is not None,
        )
        for escalation in case.escalations
    ]


def _complaint_refusals(case: Case) -> list[Event]:
    return [
        Event(
            day_start(refusal.decided_on),
            _l("Complaint no longer considered"),
            [
                (_l("Complaint reference"), refusal.complaint_reference),
                (_l("Reason"), refusal.reason),
                (_l("Decided by"), person_name(refusal.decided_by)),
            ],
            Summary(
                day_start(refusal.decided_on),
                _l("Complaint no longer considered"),
                f"{refusal.complaint_reference}: {refusal.reason}",
            ),
            is_decision=True,
            date_only=True,
        )
        for refusal in case.complaint_refusals
    ]


# Restrictions and their reviews (s3.2–s3.5) ---------------------------------------------


def _proposal(restriction: Restriction, term) -> Event:
    return Event(
        restriction.proposed_at,
        _l("Restriction proposed"),
        [
            (_l("Term"), term),
            (_l("What it means"), " ".join(describe_restriction(restriction))),
            (_l("Why"), restriction.reason),
            (_l("Reviewed"), label(restriction.review_frequency)),
            (
                _l("Why a clash with a recorded need is justified"),
                restriction.needs_conflict_justification,
            ),
            (_l("Proposed by"), person_name(restriction.proposed_by)),
            (_l("Status now"), label(restriction.status)),
            (_l("Reason not approved"), restriction.rejection_reason),
        ],
        Summary(
            restriction.proposed_at,
            _l("Restriction proposed"),
            restriction.reason,
            [label(restriction.status)],
        ),
    )


def _review(review: Review) -> Event:
    when = day_start(review.held_on)
    return Event(
        when,
        _l("Review"),
        [
            (_l("Due"), long_date(review.due_on)),
            (_l("Held"), long_date(review.held_on)),
            (_l("Reviewed by"), person_name(review.reviewer)),
            (_l("Behaviour improved"), yes_no(review.behaviour_improved)),
            (_l("Outcome"), label(review.outcome) if review.outcome else ""),
            (_l("Explanation"), review.explanation),
            (_l("New end date"), long_date(review.new_ends_on)),
        ],
        Summary(
            when,
            _l("Review"),
            review.explanation,
            [label(review.outcome)] if review.outcome else [],
        ),
        is_decision=review.outcome is not None,
        date_only=True,
    )


def _restriction(restriction: Restriction) -> list[Event]:
    term = _l(
        "From %(start)s to %(end)s",
        start=long_date(restriction.starts_on),
        end=long_date(restriction.ends_on),
    )
    events = [_proposal(restriction, term)]
    if restriction.approved_at:
        events.append(
            Event(
                restriction.approved_at,
                _l("Restriction approved"),
                [(_l("Approved by"), person_name(restriction.approved_by)), (_l("Term"), term)],
                Summary(restriction.approved_at, _l("Restriction approved")),
                is_decision=True,
            )
        )
    if restriction.ended_at:
        events.append(
            Event(
                restriction.ended_at,
                _l("Restriction ended: %(status)s", status=label(restriction.status)),
                [(_l("Why"), restriction.end_reason)],
                Summary(restriction.ended_at, label(restriction.status), restriction.end_reason),
            )
        )
    return events + [_review(review) for review in restriction.reviews if review.held_on]


def _restrictions(case: Case) -> list[Event]:
    return [event for restriction in case.restrictions for event in _restriction(restriction)]


# Appeals and reconsideration requests about this case's decisions (s3.4, s4) -------------


def _challenges(model, case: Case):
    return db.session.scalars(
        select(model)
        .outerjoin(Restriction, model.restriction_id == Restriction.id)
        .outerjoin(ComplaintRefusal, model.complaint_refusal_id == ComplaintRefusal.id)
        .where(or_(Restriction.case_id == case.id, ComplaintRefusal.case_id == case.id))
        .order_by(model.submitted_at)
    ).all()


def _appeals(case: Case) -> list[Event]:
    events = []
    for appeal in _challenges(Appeal, case):
        events.append(
            Event(
                appeal.submitted_at,
                _l("Appeal received: %(reference)s", reference=appeal.reference),
                [(_l("Grounds"), appeal.grounds), (_l("Due"), long_date(appeal.due_on))],
                Summary(
                    appeal.submitted_at,
                    _l("Appeal received"),
                    appeal.grounds,
                    [label(appeal.status)],
                ),
            )
        )
        if appeal.decided_at:
            events.append(
                Event(
                    appeal.decided_at,
                    _l("Appeal decided: %(reference)s", reference=appeal.reference),
                    [
                        (_l("Decision"), APPEAL_DECISION_LABELS[appeal.decision]),
                        (_l("Reasons"), appeal.decision_reasons),
                        (_l("Decided by"), person_name(appeal.decided_by)),
                        (_l("Decided by the due date"), yes_no(appeal.sla_met)),
                    ],
                    is_decision=True,
                )
            )
    return events


def _reconsiderations(case: Case) -> list[Event]:
    events = []
    for request in _challenges(ReconsiderationRequest, case):
        events.append(
            Event(
                request.submitted_at,
                _l("Reconsideration requested: %(reference)s", reference=request.reference),
                [
                    (_l("Ground"), GROUNDS[request.ground]),
                    (_l("Details"), request.details),
                    (_l("Answer due"), long_date(request.answer_due_on)),
                ],
                Summary(
                    request.submitted_at,
                    _l("Reconsideration requested"),
                    request.details,
                    [label(request.status)],
                ),
            )
        )
        if request.decided_at:
            events.append(
                Event(
                    request.decided_at,
                    _l("Reconsideration decided: %(reference)s", reference=request.reference),
                    [
                        (_l("Decision"), RECONSIDERATION_DECISION_LABELS[request.decision]),
                        (_l("Reasons"), request.decision_reasons),
                        (_l("Decided by"), person_name(request.decided_by)),
                        (_l("Answered within 10 working days"), yes_no(request.sla_met)),
                    ],
                    is_decision=True,
                )
            )
    return events


# Letters (s3.2, s6.5) and the contact log ------------------------------------------------


def issued_letters(case: Case) -> list[LetterRow]:
    letters = db.session.scalars(
        select(Letter)
        .where(Letter.case_id == case.id, Letter.issued_at.is_not(None))
        .order_by(Letter.issued_at, Letter.id)
    ).all()
    return [
        LetterRow(letter, sorted((letter.content or {}).get("documents", {}) or [letter.locale]))
        for letter in letters
    ]


def _posted(letter: Letter):
    if letter.posted_at:
        return date_and_time(letter.posted_at)
    return _l("Waiting to be posted") if letter.needs_post else NO


def _letter(row: LetterRow) -> Event:
    letter = row.letter
    details = [
        (_l("Reference"), letter.reference),
        (_l("Title"), letter.title_in(letter.locale)),
        (_l("Sent in"), language_name(letter.locale)),
        (
            _l("Also available in"),
            ", ".join(language_name(code) for code in row.languages if code != letter.locale),
        ),
        (_l("Format asked for"), label(letter.requested_format)),
        (_l("Paper copy posted"), _posted(letter)),
        (
            _l("First opened"),
            date_and_time(letter.first_opened_at)
            if letter.first_opened_at
            else _l("Not opened yet"),
        ),
        (_l("Issued by"), person_name(letter.issued_by)),
    ]
    if letter.superseded_by is not None:
        details.append((_l("Replaced by"), letter.superseded_by.reference))
    tags = [label(letter.kind)] + ([_l("Opened")] if letter.first_opened_at else [])
    return Event(
        letter.issued_at,
        _l("Letter issued: %(kind)s", kind=label(letter.kind)),
        details,
        Summary(letter.issued_at, _l("Letter sent"), letter.reference, tags, letter_id=letter.id),
    )


def _contacts(case: Case) -> list[Event]:
    return [
        Event(
            entry.occurred_at,
            _l("Contact logged (staff record)"),
            [
                (_l("How"), label(entry.channel)),
                (_l("Finding"), label(entry.finding)),
                (_l("Summary"), entry.summary),
            ],
            Summary(entry.occurred_at, _l("Contact logged"), entry.summary, [label(entry.finding)]),
            staff_only=True,
        )
        for entry in db.session.scalars(
            select(ContactLogEntry).where(ContactLogEntry.case_id == case.id)
        )
    ]


@dataclass
class Chronology:
    events: list[Event]  # oldest first
    letters: list[LetterRow]


SOURCES = (
    _opened,
    _incidents,
    _informal_steps,
    _needs,
    _calls,
    _referrals,
    _escalations,
    _complaint_refusals,
    _restrictions,
    _appeals,
    _reconsiderations,
    _contacts,
)


def chronology(case: Case) -> Chronology:
    """Everything that happened on the case, oldest first."""
    letters = issued_letters(case)
    events = [event for source in SOURCES for event in source(case)]
    events += [_letter(row) for row in letters]
    events.sort(key=lambda event: event.when)
    return Chronology(events, letters)
