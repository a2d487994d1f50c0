"""Chronology events from the case's own records: opened, incidents (s3.1), informal steps
(s3.2, s3.3), needs considered (s6.1, s6.2), calls ended, referrals, escalations (s3.3) and
complaints no longer considered (s3.2)."""

from portal.cases.chronology.entries import (
    Event,
    Summary,
    day_start,
    person_name,
    under_version,
    yes_no,
)
from portal.formatting import labels
from portal.models import (
    Case,
)
from portal.models.vocab import (
    label,
)
from portal.translations import lazy_gettext as _l


def opened(case: Case) -> list[Event]:
    details = [(_l("Opened by"), person_name(case.opened_by)), (_l("Summary"), case.summary)]
    return [Event(case.opened_at, _l("Case opened"), details)]


def incidents(case: Case) -> list[Event]:
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


def informal_steps(case: Case) -> list[Event]:
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


def needs(case: Case) -> list[Event]:
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
            special_category=True,
        )
        for needs in case.needs_considerations
    ]


def calls(case: Case) -> list[Event]:
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


def referrals(case: Case) -> list[Event]:
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


def escalations(case: Case) -> list[Event]:
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


def complaint_refusals(case: Case) -> list[Event]:
    return [
        under_version(
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
            ),
            refusal.policy_version_id,
        )
        for refusal in case.complaint_refusals
    ]
