"""The policy's rules for restrictions on contact, as plain functions (s3.2–s3.5, s6.1).

Nothing here touches the database or the request: callers pass plain values (``today``
included) and get a result back or a :class:`PolicyViolation` naming the policy section.
Section numbers refer to ``docs/policy/managed-behaviour-policy.txt``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portal.dates import add_months
from portal.models.vocab import (
    MAX_RESTRICTION_MONTHS,
    RESTRICTABLE_CHANNELS,
    REVIEW_FREQUENCY_MONTHS,
    ContactChannel,
    QuotaPeriod,
    RestrictionOption,
    ReviewFrequency,
)
from portal.restrictions.refusals import (  # noqa: F401 - callers name them as rules.X
    ChannelNotRestrictable,
    ContactLimitInvalid,
    DuplicateMeasure,
    EndNotAfterStart,
    InformalStepMissing,
    KeepNeedsExplanation,
    MeasureIncomplete,
    NeedsConflictUnjustified,
    NeedsConsiderationMissing,
    NoMeasures,
    PolicyViolation,
    RestrictionTooLong,
    ReviewDateInPast,
    ReviewDateOutsideRestriction,
    SelfApproval,
    StartInPast,
)
from portal.translations import lazy_gettext as _l

if TYPE_CHECKING:
    from portal.restrictions.needs_conflicts import NeedsConflict

# --- Time limits (s3.4, s3.5) -------------------------------------------------------------


def latest_end(starts_on: dt.date) -> dt.date:
    """s3.5: the last day a restriction starting on ``starts_on`` may end (six calendar months)."""
    return add_months(starts_on, MAX_RESTRICTION_MONTHS)


def check_period(starts_on: dt.date, ends_on: dt.date, *, today: dt.date) -> None:
    """s3.2, s3.5: starts today or later, ends after it starts and within six months."""
    if starts_on < today:
        raise StartInPast()
    if ends_on <= starts_on:
        raise EndNotAfterStart()
    last = latest_end(starts_on)
    if ends_on > last:
        raise RestrictionTooLong(latest_end=last)


def next_review_on(starts_on: dt.date, frequency: ReviewFrequency, ends_on: dt.date) -> dt.date:
    """s3.4: quarterly or six-monthly from the start, but no later than the restriction's end."""
    return min(add_months(starts_on, REVIEW_FREQUENCY_MONTHS[frequency]), ends_on)


def check_review_date(
    review_on: dt.date, *, starts_on: dt.date, ends_on: dt.date, today: dt.date
) -> None:
    """s3.4: a review date is today or later and within the restriction's term."""
    if review_on < today:
        raise ReviewDateInPast()
    if not starts_on <= review_on <= ends_on:
        raise ReviewDateOutsideRestriction()


# --- Measures (s3.2) ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureSpec:
    """One s3.2 option with its parameters, mirroring ``RestrictionMeasure`` (times are UK
    local wall-clock times; weekdays Monday=0)."""

    option: RestrictionOption
    single_point_of_contact_id: int | None = None
    permitted_channel: ContactChannel | None = None
    permitted_weekdays: frozenset[int] = frozenset()
    permitted_from: dt.time | None = None
    permitted_until: dt.time | None = None
    contact_limit: int | None = None
    limit_period: QuotaPeriod | None = None
    declined_complaint_reference: str | None = None
    declined_complaint_reason: str | None = None
    barred_premises: str | None = None
    advocate_offered_on: dt.date | None = None


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _spoc_named(measure: MeasureSpec) -> bool:
    return measure.single_point_of_contact_id is not None


def _advocate_offer_dated(measure: MeasureSpec) -> bool:
    return measure.advocate_offered_on is not None


def _channel_checkable(measure: MeasureSpec) -> bool:
    if measure.permitted_channel is None:
        return False
    if measure.permitted_channel not in RESTRICTABLE_CHANNELS:
        raise ChannelNotRestrictable()
    return True


def _times_checkable(measure: MeasureSpec) -> bool:
    return (
        bool(measure.permitted_weekdays)
        and all(isinstance(d, int) and 0 <= d <= 6 for d in measure.permitted_weekdays)
        and measure.permitted_from is not None
        and measure.permitted_until is not None
        and measure.permitted_from < measure.permitted_until
    )


def _limit_checkable(measure: MeasureSpec) -> bool:
    limit = measure.contact_limit
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise ContactLimitInvalid()
    return measure.limit_period is not None


def _complaint_named(measure: MeasureSpec) -> bool:
    return not (
        _blank(measure.declined_complaint_reference) or _blank(measure.declined_complaint_reason)
    )


def _premises_named(measure: MeasureSpec) -> bool:
    return bool(barred_premises_names(measure.barred_premises))


# s3.2: what makes each option complete enough to be checked when a contact is logged.
_COMPLETE = {
    RestrictionOption.SINGLE_POINT_OF_CONTACT: _spoc_named,
    RestrictionOption.ADVOCATE_OFFERED: _advocate_offer_dated,
    RestrictionOption.SINGLE_CHANNEL: _channel_checkable,
    RestrictionOption.SET_TIMES: _times_checkable,
    RestrictionOption.CONTACT_LIMIT: _limit_checkable,
    RestrictionOption.COMPLAINT_DECLINED: _complaint_named,
    RestrictionOption.PREMISES_BARRED: _premises_named,
}


def _check_measure(measure: MeasureSpec) -> None:
    is_complete = _COMPLETE.get(measure.option)
    if is_complete is None or not is_complete(measure):
        raise MeasureIncomplete(option=measure.option)


def check_measures(measures: Sequence[MeasureSpec]) -> None:
    """s3.2: at least one option, each once, each with the details that make it checkable."""
    if not measures:
        raise NoMeasures()
    seen: set[RestrictionOption] = set()
    for measure in measures:
        if measure.option in seen:
            raise DuplicateMeasure(option=measure.option)
        seen.add(measure.option)
    for measure in measures:
        _check_measure(measure)


def barred_premises_names(barred_premises: str | None) -> frozenset[str]:
    """s3.2: the premises a bar names, one per line or comma-separated, compared ignoring
    case and spacing."""
    if not barred_premises:
        return frozenset()
    names = barred_premises.replace(",", "\n").splitlines()
    return frozenset(filter(None, (normalise_premises(name) for name in names)))


def normalise_premises(name: str) -> str:
    """s3.2: a premises name as compared against a bar (case and spacing ignored)."""
    return " ".join(name.split()).casefold()


# --- Proposing, approving and keeping (s3.2–s3.4, s6.1) -----------------------------------


def missing_prerequisites(
    *, informal_step_count: int, has_needs_consideration: bool
) -> list[PolicyViolation]:
    """s3.2, s3.3, s6.1: what must be on the case before a restriction can be proposed, as
    the refusals that would follow (the propose page lists them before the form)."""
    missing: list[PolicyViolation] = []
    if informal_step_count < 1:
        missing.append(InformalStepMissing())
    if not has_needs_consideration:
        missing.append(NeedsConsiderationMissing())
    return missing


def check_can_propose(
    *,
    informal_step_count: int,
    has_needs_consideration: bool,
    conflicts: Sequence[NeedsConflict],
    conflict_justification: str,
) -> None:
    """s3.2, s3.3, s6.1: informal steps first, needs considered, any clash justified."""
    missing = missing_prerequisites(
        informal_step_count=informal_step_count, has_needs_consideration=has_needs_consideration
    )
    if missing:
        raise missing[0]
    if conflicts and _blank(conflict_justification):
        raise NeedsConflictUnjustified(conflicts=conflicts)


def check_approver(proposed_by_id: int, approver_id: int) -> None:
    """s3.4: the person who proposed a restriction cannot approve it."""
    if proposed_by_id == approver_id:
        raise SelfApproval()


def check_keep(explanation: str, new_ends_on: dt.date | None, *, review_held_on: dt.date) -> None:
    """s3.4, s3.5: keeping needs an explanation and a new end date at most six months on."""
    if _blank(explanation) or new_ends_on is None:
        raise KeepNeedsExplanation()
    if new_ends_on <= review_held_on:
        raise EndNotAfterStart(
            _l("The new end date must be after the date of the review (policy section 3.4).")
        )
    last = latest_end(review_held_on)
    if new_ends_on > last:
        raise RestrictionTooLong(latest_end=last)
