"""s6.1 and DESIGN.md "Beyond" 2: which restriction measures clash with the customer's
recorded needs (a written-only restriction for someone who finds writing difficult). Plain
values in, plain values out, as in portal.restrictions.rules; computed once per proposal by
portal.restrictions.services.needs_conflicts_of."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portal.models.vocab import ContactChannel, RestrictionOption
from portal.restrictions.rules import MeasureSpec
from portal.translations import lazy_gettext as _l


@dataclass(frozen=True)
class CustomerNeeds:
    """s6.1: the recorded needs a restriction may clash with, mirroring ``Customer``."""

    finds_writing_difficult: bool = False
    cannot_use_telephone: bool = False
    needs_in_person_access: bool = False


@dataclass(frozen=True)
class NeedsConflict:
    """s6.1: one measure that clashes with one recorded need; ``need`` is the needs field."""

    option: RestrictionOption
    need: str
    message: object  # a lazy translatable string


_WRITING_ONLY_CLASH = _l(
    "Contact in writing only clashes with the customer's recorded difficulty with writing."
)
_EMAIL_ONLY_CLASH = _l(
    "Contact by email only clashes with the customer's recorded difficulty with writing."
)
_TELEPHONE_ONLY_CLASH = _l(
    "Contact by telephone only clashes with the customer's recorded difficulty using the telephone."
)
_PREMISES_BAR_CLASH = _l(
    "Barring the customer from offices, hubs or events clashes with their recorded need "
    "for in-person access."
)

_OPTION_ORDER = {option: index for index, option in enumerate(RestrictionOption)}
_NEED_ORDER = {
    "finds_writing_difficult": 0,
    "cannot_use_telephone": 1,
    "needs_in_person_access": 2,
}


def _conflicts_of(needs: CustomerNeeds, measure: MeasureSpec) -> Iterable[NeedsConflict]:
    option = measure.option
    if option is RestrictionOption.SINGLE_CHANNEL:
        channel = measure.permitted_channel
        if needs.finds_writing_difficult and channel is ContactChannel.WRITING:
            yield NeedsConflict(option, "finds_writing_difficult", _WRITING_ONLY_CLASH)
        # Email is writing too.
        if needs.finds_writing_difficult and channel is ContactChannel.EMAIL:
            yield NeedsConflict(option, "finds_writing_difficult", _EMAIL_ONLY_CLASH)
        if needs.cannot_use_telephone and channel is ContactChannel.TELEPHONE:
            yield NeedsConflict(option, "cannot_use_telephone", _TELEPHONE_ONLY_CLASH)
    if option is RestrictionOption.PREMISES_BARRED and needs.needs_in_person_access:
        yield NeedsConflict(option, "needs_in_person_access", _PREMISES_BAR_CLASH)


def needs_conflicts(needs: CustomerNeeds, measures: Iterable[MeasureSpec]) -> list[NeedsConflict]:
    """s6.1: the measures that clash with the customer's recorded needs, in option order."""
    found = [conflict for measure in measures for conflict in _conflicts_of(needs, measure)]
    return sorted(found, key=lambda c: (_OPTION_ORDER[c.option], _NEED_ORDER[c.need]))
