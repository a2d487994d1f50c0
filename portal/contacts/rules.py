"""A contact from a restricted customer, checked against the restriction's measures
(s3.2; DESIGN.md "Beyond" 1).

A contact is never dropped: emergencies and new complaints always get through (Housing
Ombudsman Complaint Handling Code: nobody is treated differently for complaining), breaches
are recorded, and contact over a quota is routed to the single point of contact.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from portal.clock import LONDON, day_of
from portal.models.vocab import ContactChannel, ContactFinding, QuotaPeriod, RestrictionOption
from portal.restrictions.rules import MeasureSpec, barred_premises_names, normalise_premises


@dataclass(frozen=True)
class ContactAttempt:
    """One contact from the customer; ``occurred_at`` is timezone-aware."""

    occurred_at: dt.datetime
    channel: ContactChannel
    via_single_point_of_contact: bool
    at_premises: str | None = None
    is_emergency: bool = False
    is_new_complaint: bool = False


@dataclass(frozen=True)
class ContactAssessment:
    """What the portal concludes about a contact (s3.2). ``accepted`` is always true."""

    finding: ContactFinding
    breaches: tuple[ContactFinding, ...]
    route_to_single_point_of_contact: bool
    single_point_of_contact_id: int | None
    accepted: bool = True


def _require_aware(moment: dt.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a contact's time must be timezone-aware")


def _first_local_day(moment: dt.datetime, period: QuotaPeriod) -> dt.date:
    _require_aware(moment)
    local_day = day_of(moment)
    if period == QuotaPeriod.WEEK:
        return local_day - dt.timedelta(days=local_day.weekday())
    if period == QuotaPeriod.MONTH:
        return local_day.replace(day=1)
    raise ValueError(f"unknown quota period: {period!r}")


def _london_midnight(day: dt.date) -> dt.datetime:
    # UK clocks change at 01:00 UTC, so local midnight always exists and is never ambiguous.
    return dt.datetime.combine(day, dt.time(0), tzinfo=LONDON).astimezone(dt.UTC)


def quota_period_start(moment: dt.datetime, period: QuotaPeriod) -> dt.datetime:
    """s3.2 "times per week or per month": the start (in UTC) of the London calendar week
    (Monday 00:00) or month containing ``moment``."""
    return _london_midnight(_first_local_day(moment, period))


def quota_period_end(moment: dt.datetime, period: QuotaPeriod) -> dt.datetime:
    """The start (in UTC) of the week or month after the one containing ``moment``."""
    first = _first_local_day(moment, period)
    if period == QuotaPeriod.WEEK:
        return _london_midnight(first + dt.timedelta(days=7))
    return _london_midnight((first + dt.timedelta(days=31)).replace(day=1))


# The order breaches are reported in, whatever the order of the measures.
_BREACH_ORDER = (
    ContactFinding.WRONG_CHANNEL,
    ContactFinding.OUTSIDE_PERMITTED_TIMES,
    ContactFinding.OVER_LIMIT,
    ContactFinding.NOT_VIA_SINGLE_POINT_OF_CONTACT,
    ContactFinding.PREMISES_BARRED,
)

# Breaches that send the contact to the single point of contact rather than the usual queue.
_ROUTED_BREACHES = frozenset(
    {ContactFinding.OVER_LIMIT, ContactFinding.NOT_VIA_SINGLE_POINT_OF_CONTACT}
)


def _wrong_channel(attempt: ContactAttempt, measure: MeasureSpec, _local, _counts) -> bool:
    return attempt.channel != measure.permitted_channel


def _outside_times(_attempt, measure: MeasureSpec, local: dt.datetime, _counts) -> bool:
    on_permitted_day = local.weekday() in measure.permitted_weekdays
    in_hours = (
        measure.permitted_from is not None
        and measure.permitted_until is not None
        and measure.permitted_from <= local.time() < measure.permitted_until
    )
    return not (on_permitted_day and in_hours)


def _over_limit(_attempt, measure: MeasureSpec, _local, counts: Mapping) -> bool:
    return (
        measure.contact_limit is not None
        and measure.limit_period is not None
        and counts.get(measure.limit_period, 0) >= measure.contact_limit
    )


def _not_via_spoc(attempt: ContactAttempt, _measure, _local, _counts) -> bool:
    return not attempt.via_single_point_of_contact


def _at_barred_premises(attempt: ContactAttempt, measure: MeasureSpec, _local, _counts) -> bool:
    return attempt.at_premises is not None and normalise_premises(
        attempt.at_premises
    ) in barred_premises_names(measure.barred_premises)


# What each measure checks (s3.2), and the finding when the contact breaks it. Options
# that are not contact rules (an advocate offered, a referral) break nothing.
_CHECKS = {
    RestrictionOption.SINGLE_CHANNEL: (_wrong_channel, ContactFinding.WRONG_CHANNEL),
    RestrictionOption.SET_TIMES: (_outside_times, ContactFinding.OUTSIDE_PERMITTED_TIMES),
    RestrictionOption.CONTACT_LIMIT: (_over_limit, ContactFinding.OVER_LIMIT),
    RestrictionOption.SINGLE_POINT_OF_CONTACT: (
        _not_via_spoc,
        ContactFinding.NOT_VIA_SINGLE_POINT_OF_CONTACT,
    ),
    RestrictionOption.PREMISES_BARRED: (_at_barred_premises, ContactFinding.PREMISES_BARRED),
}


def _breaches(
    attempt: ContactAttempt,
    measures: Sequence[MeasureSpec],
    contacts_so_far: Mapping[QuotaPeriod, int],
) -> list[ContactFinding]:
    local = attempt.occurred_at.astimezone(LONDON)
    found: set[ContactFinding] = set()
    for measure in measures:
        check = _CHECKS.get(measure.option)
        if check is not None and check[0](attempt, measure, local, contacts_so_far):
            found.add(check[1])
    return [finding for finding in _BREACH_ORDER if finding in found]


def assess_contact(
    attempt: ContactAttempt,
    measures: Sequence[MeasureSpec],
    *,
    contacts_so_far: Mapping[QuotaPeriod, int],
) -> ContactAssessment:
    """s3.2, DESIGN "Beyond" 1: which of the restriction's measures a contact breaches;
    emergencies and new complaints always get through, and nothing is dropped.

    ``contacts_so_far`` counts the contacts already logged in the same week or month as
    this one, whenever in it they happened: one logged late still counts, so no more
    contacts than the limit are ever found within it.
    """
    _require_aware(attempt.occurred_at)
    if not measures:
        return ContactAssessment(ContactFinding.NO_RESTRICTION, (), False, None)
    spoc_id = next(
        (
            m.single_point_of_contact_id
            for m in measures
            if m.option == RestrictionOption.SINGLE_POINT_OF_CONTACT
        ),
        None,
    )
    if attempt.is_emergency:
        return ContactAssessment(ContactFinding.EMERGENCY, (), False, spoc_id)
    if attempt.is_new_complaint:
        return ContactAssessment(ContactFinding.NEW_COMPLAINT, (), False, spoc_id)
    breaches = tuple(_breaches(attempt, measures, contacts_so_far))
    finding = breaches[0] if breaches else ContactFinding.WITHIN_RESTRICTION
    # Without a single point of contact there is nobody to route to: the breach is still
    # recorded and the contact handled as usual.
    route = spoc_id is not None and bool(_ROUTED_BREACHES.intersection(breaches))
    return ContactAssessment(finding, breaches, route, spoc_id)
