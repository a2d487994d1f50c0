"""The chronology entries of the Housing Ombudsman evidence pack that come from the case
itself: incidents, informal steps, needs considered, calls ended, referrals, escalations,
complaint refusals, and each restriction with its approval, end and reviews (policy s3.1–
s3.5, s6.1, s6.2). Protected characteristics are never read here (s6.3)."""

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from portal.clock import LONDON
from portal.formatting import labels, long_date
from portal.models import Case, Letter
from portal.models.vocab import label
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


def day_start(value: dt.date) -> dt.datetime:
    return dt.datetime.combine(value, dt.time(0), tzinfo=LONDON)


def person_name(user) -> str:
    return user.display_name if user is not None else ""


def yes_no(value) -> object:
    return YES if value else NO


def case_entries(case: Case) -> list[Entry]:
    entries = [
        Entry(
            case.opened_at,
            _l("Case opened"),
            [(_l("Opened by"), person_name(case.opened_by)), (_l("Summary"), case.summary)],
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
                day_start(step.taken_on),
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
                    (_l("Advocate considered"), yes_no(needs.advocate_considered)),
                    (_l("About an advocate"), needs.advocate_notes),
                    (_l("Multi-agency approach needed"), yes_no(needs.multi_agency_needed)),
                    (_l("About a multi-agency approach"), needs.multi_agency_notes),
                    (
                        _l("Could the behaviour be an unmet need?"),
                        yes_no(needs.could_be_unmet_need),
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
                    (_l("Customer told why first"), yes_no(call.customer_warned_first)),
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
                    (_l("Proposed by"), person_name(escalation.proposed_by)),
                    (_l("Approved by"), person_name(escalation.approved_by)),
                ],
                is_decision=escalation.approved_at is not None,
            )
        )
    for refusal in case.complaint_refusals:
        entries.append(
            Entry(
                day_start(refusal.decided_on),
                _l("Complaint no longer considered"),
                [
                    (_l("Complaint reference"), refusal.complaint_reference),
                    (_l("Reason"), refusal.reason),
                    (_l("Decided by"), person_name(refusal.decided_by)),
                ],
                is_decision=True,
                date_only=True,
            )
        )
    return entries


def restriction_entries(case: Case) -> list[Entry]:
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
                    (_l("Proposed by"), person_name(restriction.proposed_by)),
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
                    [(_l("Approved by"), person_name(restriction.approved_by)), (_l("Term"), term)],
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
                    day_start(review.held_on),
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
                    is_decision=review.outcome is not None,
                    date_only=True,
                )
            )
    return entries
