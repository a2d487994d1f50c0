"""The Housing Ombudsman evidence pack: one case's complete record as a paginated PDF
chronology with a contents page (policy s3.4; DESIGN.md "Beyond" 10).

Policy sections: s3.4 "Customers also have the right to appeal to the Housing Ombudsman";
the pack shows that the policy was followed — informal steps first (s3.2, s3.3), needs
weighed and adjustments made (s6.1, s6.2), each restriction approved (s3.4), limited in
time (s3.5) and put in writing (s3.2), reviewed (s3.4), and every appeal (s3.4) and
reconsideration (s4) decided with reasons.

Protected characteristics (s6.3) are never read here: they feed equality monitoring in
aggregate only. Staff-only notes are included only when the person asks for them.
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
    Letter,
    ReconsiderationRequest,
    Restriction,
    Review,
)
from portal.models.vocab import ReconsiderationDecision, ReconsiderationGround, label
from portal.restrictions.plain_words import describe_restriction

YES, NO = _l("Yes"), _l("No")


@dataclass
class Entry:
    when: dt.datetime
    heading: object
    details: list = field(default_factory=list)  # (label, value) pairs
    is_decision: bool = False
    date_only: bool = False
    number: int = 0

    @property
    def anchor(self) -> str:
        return f"entry-{self.number}"


@dataclass
class LetterRow:
    letter: Letter
    languages: list[str]


@dataclass
class EvidencePack:
    case: Case
    generated_at: dt.datetime
    include_staff_notes: bool
    entries: list[Entry]
    letters: list[LetterRow]
    staff_notes: str = ""

    @property
    def decisions(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.is_decision]


def _day(value: dt.date) -> dt.datetime:
    return dt.datetime.combine(value, dt.time(0), tzinfo=LONDON)


def _name(user) -> str:
    return user.display_name if user is not None else ""


def _yes_no(value) -> object:
    return YES if value else NO


def load_case_for_pack(case_id: int) -> Case | None:
    return db.session.scalar(
        select(Case)
        .where(Case.id == case_id)
        .options(
            selectinload(Case.customer),
            selectinload(Case.incidents),
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


def _evidence_entries(case: Case) -> list[Entry]:
    entries = [
        Entry(
            case.opened_at,
            _l("Case opened"),
            [(_l("Opened by"), _name(case.opened_by)), (_l("Summary"), case.summary)],
        )
    ]
    for incident in case.incidents:
        entries.append(
            Entry(
                incident.occurred_at,
                _l("Incident"),
                [
                    (_l("Type of behaviour"), labels(incident.behaviours)),
                    (_l("How"), label(incident.channel)),
                    (_l("What happened"), incident.description),
                    (_l("Reported by"), incident.reported_by),
                ],
            )
        )
    for step in case.informal_steps:
        details = [
            (_l("What was done"), step.description),
            (_l("Outcome"), step.outcome),
        ]
        if step.support_organisation:
            details.append((_l("Support organisation"), step.support_organisation))
        entries.append(
            Entry(
                _day(step.taken_on),
                _l("Informal step: %(kind)s", kind=label(step.kind)),
                details,
                date_only=True,
            )
        )
    for needs in case.needs_considerations:
        entries.append(
            Entry(
                needs.recorded_at,
                _l("Needs considered"),
                [
                    (_l("Needs"), needs.needs_summary),
                    (
                        _l("Medical or support considerations"),
                        needs.medical_or_support_considerations,
                    ),
                    (_l("Advocate considered"), _yes_no(needs.advocate_considered)),
                    (_l("About an advocate"), needs.advocate_notes),
                    (_l("Multi-agency approach needed"), _yes_no(needs.multi_agency_needed)),
                    (_l("About a multi-agency approach"), needs.multi_agency_notes),
                    (
                        _l("Could the behaviour be an unmet need?"),
                        _yes_no(needs.could_be_unmet_need),
                    ),
                    (_l("About an unmet need"), needs.unmet_need_notes),
                    (_l("Adjustments made"), needs.adjustments_made),
                ],
            )
        )
    for call in case.terminated_calls:
        entries.append(
            Entry(
                call.ended_at,
                _l("Call ended by staff"),
                [
                    (_l("Customer told why first"), _yes_no(call.customer_warned_first)),
                    (_l("Reason"), call.reason),
                ],
            )
        )
    for referral in case.referrals:
        entries.append(
            Entry(
                referral.created_at,
                _l("Referral: %(kind)s", kind=label(referral.kind)),
                [
                    (_l("Reason"), referral.reason),
                    (_l("Status"), label(referral.status)),
                    (_l("Outcome"), referral.outcome),
                ],
            )
        )
    for escalation in case.escalations:
        entries.append(
            Entry(
                escalation.approved_at or escalation.created_at,
                _l("Escalation: %(kind)s", kind=label(escalation.kind)),
                [
                    (_l("Reason"), escalation.reason),
                    (_l("Proposed by"), _name(escalation.proposed_by)),
                    (_l("Approved by"), _name(escalation.approved_by)),
                ],
                is_decision=escalation.approved_at is not None,
            )
        )
    for refusal in case.complaint_refusals:
        entries.append(
            Entry(
                _day(refusal.decided_on),
                _l("Complaint no longer considered"),
                [
                    (_l("Complaint reference"), refusal.complaint_reference),
                    (_l("Reason"), refusal.reason),
                    (_l("Decided by"), _name(refusal.decided_by)),
                ],
                is_decision=True,
                date_only=True,
            )
        )
    return entries


def _restriction_entries(case: Case) -> list[Entry]:
    entries = []
    for restriction in case.restrictions:
        term = _l(
            "From %(start)s to %(end)s",
            start=long_date(restriction.starts_on),
            end=long_date(restriction.ends_on),
        )
        entries.append(
            Entry(
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
                    (_l("Proposed by"), _name(restriction.proposed_by)),
                    (_l("Status now"), label(restriction.status)),
                    (_l("Reason not approved"), restriction.rejection_reason),
                ],
            )
        )
        if restriction.approved_at:
            entries.append(
                Entry(
                    restriction.approved_at,
                    _l("Restriction approved"),
                    [(_l("Approved by"), _name(restriction.approved_by)), (_l("Term"), term)],
                    is_decision=True,
                )
            )
        if restriction.ended_at:
            entries.append(
                Entry(
                    restriction.ended_at,
                    _l("Restriction ended: %(status)s", status=label(restriction.status)),
                    [(_l("Why"), restriction.end_reason)],
                )
            )
        for review in restriction.reviews:
            if review.held_on is None:
                continue
            entries.append(
                Entry(
                    _day(review.held_on),
                    _l("Review"),
                    [
                        (_l("Due"), long_date(review.due_on)),
                        (_l("Held"), long_date(review.held_on)),
                        (_l("Reviewed by"), _name(review.reviewer)),
                        (_l("Behaviour improved"), _yes_no(review.behaviour_improved)),
                        (_l("Outcome"), label(review.outcome) if review.outcome else ""),
                        (_l("Explanation"), review.explanation),
                        (_l("New end date"), long_date(review.new_ends_on)),
                    ],
                    is_decision=review.outcome is not None,
                    date_only=True,
                )
            )
    return entries


def _challenges(model, case: Case):
    return db.session.scalars(
        select(model)
        .outerjoin(Restriction, model.restriction_id == Restriction.id)
        .outerjoin(ComplaintRefusal, model.complaint_refusal_id == ComplaintRefusal.id)
        .where(or_(Restriction.case_id == case.id, ComplaintRefusal.case_id == case.id))
        .order_by(model.submitted_at)
    ).all()


GROUNDS = {
    ReconsiderationGround.CHANGE_IN_CIRCUMSTANCES: _l("A change in circumstances"),
    ReconsiderationGround.FACTUAL_ERROR: _l("A factual error in the decision"),
}

RECONSIDERATION_DECISIONS = {
    ReconsiderationDecision.CHANGE_RESTRICTION: _l("Restriction changed"),
    ReconsiderationDecision.ROUTE_TO_COMPLAINTS: _l("Passed to the complaints process"),
    ReconsiderationDecision.NO_CHANGE: _l("No change"),
}


def _challenge_entries(case: Case) -> list[Entry]:
    from portal.reports.tables import APPEAL_DECISION_LABELS

    entries = []
    for appeal in _challenges(Appeal, case):
        entries.append(
            Entry(
                appeal.submitted_at,
                _l("Appeal received: %(reference)s", reference=appeal.reference),
                [(_l("Grounds"), appeal.grounds), (_l("Due"), long_date(appeal.due_on))],
            )
        )
        if appeal.decided_at:
            entries.append(
                Entry(
                    appeal.decided_at,
                    _l("Appeal decided: %(reference)s", reference=appeal.reference),
                    [
                        (_l("Decision"), APPEAL_DECISION_LABELS[appeal.decision]),
                        (_l("Reasons"), appeal.decision_reasons),
                        (_l("Decided by"), _name(appeal.decided_by)),
                        (_l("Decided by the due date"), _yes_no(appeal.sla_met)),
                    ],
                    is_decision=True,
                )
            )
    for request in _challenges(ReconsiderationRequest, case):
        entries.append(
            Entry(
                request.submitted_at,
                _l("Reconsideration requested: %(reference)s", reference=request.reference),
                [
                    (_l("Ground"), GROUNDS[request.ground]),
                    (_l("Details"), request.details),
                    (_l("Answer due"), long_date(request.answer_due_on)),
                ],
            )
        )
        if request.decided_at:
            entries.append(
                Entry(
                    request.decided_at,
                    _l("Reconsideration decided: %(reference)s", reference=request.reference),
                    [
                        (_l("Decision"), RECONSIDERATION_DECISIONS[request.decision]),
                        (_l("Reasons"), request.decision_reasons),
                        (_l("Decided by"), _name(request.decided_by)),
                        (_l("Answered within 10 working days"), _yes_no(request.sla_met)),
                    ],
                    is_decision=True,
                )
            )
    return entries


def _letters(case: Case) -> list[LetterRow]:
    letters = db.session.scalars(
        select(Letter)
        .where(Letter.case_id == case.id, Letter.issued_at.is_not(None))
        .order_by(Letter.issued_at, Letter.id)
    ).all()
    return [
        LetterRow(letter, sorted((letter.content or {}).get("documents", {}) or [letter.locale]))
        for letter in letters
    ]


def _letter_entries(rows: list[LetterRow]) -> list[Entry]:
    entries = []
    for row in rows:
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
            (
                _l("Paper copy posted"),
                date_and_time(letter.posted_at)
                if letter.posted_at
                else (_l("Waiting to be posted") if letter.needs_post else NO),
            ),
            (
                _l("First opened"),
                date_and_time(letter.first_opened_at)
                if letter.first_opened_at
                else _l("Not opened yet"),
            ),
            (_l("Issued by"), _name(letter.issued_by)),
        ]
        if letter.superseded_by is not None:
            details.append((_l("Replaced by"), letter.superseded_by.reference))
        entries.append(
            Entry(letter.issued_at, _l("Letter issued: %(kind)s", kind=label(letter.kind)), details)
        )
    return entries


def _contact_entries(case: Case) -> list[Entry]:
    return [
        Entry(
            entry.occurred_at,
            _l("Contact logged (staff record)"),
            [
                (_l("How"), label(entry.channel)),
                (_l("Finding"), label(entry.finding)),
                (_l("Summary"), entry.summary),
            ],
        )
        for entry in db.session.scalars(
            select(ContactLogEntry).where(ContactLogEntry.case_id == case.id)
        )
    ]


def build_evidence_pack(case: Case, *, include_staff_notes: bool, now: dt.datetime) -> EvidencePack:
    """One case's chronology, oldest first, for the Housing Ombudsman (s3.4)."""
    letters = _letters(case)
    entries = (
        _evidence_entries(case)
        + _restriction_entries(case)
        + _challenge_entries(case)
        + _letter_entries(letters)
    )
    if include_staff_notes:
        entries += _contact_entries(case)
    entries.sort(key=lambda entry: entry.when)
    for number, entry in enumerate(entries, start=1):
        entry.number = number
        entry.details = [(name, value) for name, value in entry.details if value not in ("", None)]
    return EvidencePack(
        case=case,
        generated_at=now,
        include_staff_notes=include_staff_notes,
        entries=entries,
        letters=letters,
        staff_notes=case.staff_notes if include_staff_notes else "",
    )


def evidence_pack_pdf(pack: EvidencePack, html_lang: str) -> bytes:
    from flask import render_template

    from portal.reports.exports import pdf_from_html, report_css

    html = render_template(
        "reports/evidence_pack.html", pack=pack, css=report_css(), html_lang=html_lang
    )
    return pdf_from_html(html)
