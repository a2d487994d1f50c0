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
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.formatting import date_and_time, language_name, long_date
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
from portal.models.vocab import ReconsiderationGround, label
from portal.reports.evidence_entries import (
    NO,
    Entry,
    LetterRow,
    case_entries,
    person_name,
    restriction_entries,
    yes_no,
)
from portal.reports.tables import APPEAL_DECISION_LABELS, RECONSIDERATION_DECISION_LABELS


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


def _challenge_entries(case: Case) -> list[Entry]:
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
                        (_l("Decided by"), person_name(appeal.decided_by)),
                        (_l("Decided by the due date"), yes_no(appeal.sla_met)),
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
                        (_l("Decision"), RECONSIDERATION_DECISION_LABELS[request.decision]),
                        (_l("Reasons"), request.decision_reasons),
                        (_l("Decided by"), person_name(request.decided_by)),
                        (_l("Answered within 10 working days"), yes_no(request.sla_met)),
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
            (_l("Issued by"), person_name(letter.issued_by)),
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
        case_entries(case)
        + restriction_entries(case)
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
