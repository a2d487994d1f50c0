"""What happened in the demo history's cases (see :mod:`portal.demo.history`): seven kinds of
behaviour (s3.1), with the informal step tried first (s3.2, s3.3), the restriction's measures
(s3.2) and the lighter ones a review varied them to, and the ways restrictions ended."""

import datetime as dt
from dataclasses import dataclass

from portal.models import RestrictionMeasure
from portal.models.vocab import BehaviourType as B
from portal.models.vocab import ContactChannel as Channel
from portal.models.vocab import EscalationKind as Escalate
from portal.models.vocab import InformalStepKind as Step
from portal.models.vocab import QuotaPeriod
from portal.models.vocab import RestrictionOption as Option


@dataclass(frozen=True)
class Scenario:
    summary: str
    channel: Channel
    # Three incidents (behaviours, description): two before the informal step, one after.
    incidents: tuple
    step: Step
    step_text: str
    reason: str
    measures: tuple[str, ...]
    varied_measures: tuple[str, ...]
    escalation: Escalate | None = None


SCENARIOS = (
    Scenario(
        "Very frequent calls about the same repair.",
        Channel.TELEPHONE,
        (
            ((B.CONTACT_OVERLOAD,), "Fourteen calls in one day about a repair already booked."),
            ((B.CONTACT_OVERLOAD, B.UNREASONABLE_PERSISTENCE), "Hourly calls for a week."),
            ((B.CONTACT_OVERLOAD,), "Twenty calls in two days after the conversation."),
        ),
        Step.CONVERSATION,
        "Phoned to explain the repair date and agree weekly updates.",
        "You called us many times a day about the same repair after we had answered.",
        ("email_only", "limit_week", "spoc"),
        ("limit_week",),
    ),
    Scenario(
        "A long email campaign about a complaint already answered.",
        Channel.EMAIL,
        (
            ((B.UNREASONABLE_PERSISTENCE,), "Forty emails in a fortnight about one complaint."),
            ((B.REFUSING_RESOLUTION,), "Refused the offered resolution, copying in every manager."),
            ((B.UNREASONABLE_PERSISTENCE, B.CONTACT_OVERLOAD), "Daily emails after the warning."),
        ),
        Step.WARNING,
        "Warning letter explaining how and how often we will reply.",
        "You kept writing to many staff about a complaint we had answered in full.",
        ("spoc", "limit_week"),
        ("spoc",),
    ),
    Scenario(
        "Abusive calls to the repairs team.",
        Channel.TELEPHONE,
        (
            ((B.VERBAL_ABUSE_OR_VIOLENCE, B.OFFENSIVE_LANGUAGE), "Threatened a repairs adviser."),
            ((B.OFFENSIVE_LANGUAGE,), "Swore repeatedly at a call handler."),
            ((B.VERBAL_ABUSE_OR_VIOLENCE,), "Threatened to visit an adviser at home."),
        ),
        Step.WARNING,
        "Written warning about abusive language on the telephone.",
        "You threatened and swore at members of our repairs team on the telephone.",
        ("writing_only", "spoc"),
        ("spoc",),
        Escalate.POLICE,
    ),
    Scenario(
        "Repeated demands at the office without an appointment.",
        Channel.IN_PERSON,
        (
            ((B.UNREASONABLE_DEMANDS,), "Insisted on seeing a director without an appointment."),
            ((B.UNREASONABLE_DEMANDS, B.UNREASONABLE_PERSISTENCE), "Waited in reception all day."),
            ((B.UNREASONABLE_DEMANDS,), "Came back to reception twice in one week."),
        ),
        Step.SUPPORT_REFERRAL,
        "Referred to the tenancy sustainment team.",
        "You came to our office many times demanding to see senior staff without an appointment.",
        ("barred_office", "phone_only", "advocate"),
        ("set_times",),
    ),
    Scenario(
        "Messages to staff on social media.",
        Channel.SOCIAL_MEDIA,
        (
            ((B.HARASSMENT,), "Posted about a named housing officer and messaged her account."),
            ((B.HARASSMENT, B.OFFENSIVE_LANGUAGE), "Abusive messages to staff's own accounts."),
            ((B.HARASSMENT,), "Messages to staff continued after the warning."),
        ),
        Step.WARNING,
        "Warning about contacting staff through their personal accounts.",
        "You sent distressing messages to our staff through their personal social media.",
        ("email_only", "spoc", "set_times"),
        ("email_only",),
        Escalate.END_DIRECT_CONTACT,
    ),
    Scenario(
        "Letters refusing every offer to resolve a complaint.",
        Channel.WRITING,
        (
            ((B.REFUSING_RESOLUTION,), "Rejected three offered resolutions."),
            (
                (B.REFUSING_RESOLUTION, B.UNREASONABLE_PERSISTENCE),
                "Daily letters on one complaint.",
            ),
            (
                (B.UNREASONABLE_PERSISTENCE,),
                "More letters on the same complaint after the meeting.",
            ),
        ),
        Step.CONVERSATION,
        "Meeting to go through the complaint and our offer.",
        "You kept raising a complaint we had fully answered and would not accept any resolution.",
        ("complaint_declined", "limit_month"),
        ("limit_month",),
    ),
    Scenario(
        "Aggressive behaviour at a community hub.",
        Channel.IN_PERSON,
        (
            ((B.SERIOUS_BREACH_OF_RULES,), "Damaged a notice board at the community hub."),
            ((B.SERIOUS_BREACH_OF_RULES, B.VERBAL_ABUSE_OR_VIOLENCE), "Pushed past hub staff."),
            ((B.VERBAL_ABUSE_OR_VIOLENCE,), "Shouted at hub volunteers."),
        ),
        Step.WARNING,
        "Warning letter about behaviour at the hub.",
        "You damaged property and were aggressive to staff and volunteers at our community hub.",
        ("barred_hub", "spoc"),
        ("barred_hub",),
        Escalate.LEGAL_ACTION_ON_TENANCY,
    ),
)


def measure(key: str, officer_id: int, on: dt.date) -> RestrictionMeasure:
    option, fields = {
        "email_only": (Option.SINGLE_CHANNEL, {"permitted_channel": Channel.EMAIL}),
        "writing_only": (Option.SINGLE_CHANNEL, {"permitted_channel": Channel.WRITING}),
        "phone_only": (Option.SINGLE_CHANNEL, {"permitted_channel": Channel.TELEPHONE}),
        "limit_week": (
            Option.CONTACT_LIMIT,
            {"contact_limit": 3, "limit_period": QuotaPeriod.WEEK},
        ),
        "limit_month": (
            Option.CONTACT_LIMIT,
            {"contact_limit": 4, "limit_period": QuotaPeriod.MONTH},
        ),
        "spoc": (Option.SINGLE_POINT_OF_CONTACT, {"single_point_of_contact_id": officer_id}),
        "set_times": (
            Option.SET_TIMES,
            {
                "permitted_weekdays": "1,3",
                "permitted_from": dt.time(10),
                "permitted_until": dt.time(12),
            },
        ),
        "barred_office": (Option.PREMISES_BARRED, {"barred_premises": "Central office"}),
        "barred_hub": (Option.PREMISES_BARRED, {"barred_premises": "Knowle West community hub"}),
        "advocate": (Option.ADVOCATE_OFFERED, {"advocate_offered_on": on}),
        "complaint_declined": (
            Option.COMPLAINT_DECLINED,
            {
                "declined_complaint_reference": f"CMP-{on:%y%m}-{officer_id:03d}",
                "declined_complaint_reason": "Fully answered at both stages of our complaints "
                "process; the Ombudsman can still be asked to look at it.",
            },
        ),
    }[key]
    return RestrictionMeasure(option=option, **fields)


# How each restriction ended, in turn, with how long it needs (months, days) before today;
# one that would not be over by then is a short one instead.
PATTERNS = {
    "lifted_at_review": (3, 10),
    "kept_then_expired": (6, 5),
    "short": (0, 31),
    "varied_at_review": (6, 8),
    "overturned_on_appeal": (0, 40),
    "varied_on_appeal": (3, 5),
}
