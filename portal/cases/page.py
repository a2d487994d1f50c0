"""What the case page shows: the chronology's summaries, newest first, the restrictions
current and past, and what the case still needs before a restriction (s3.2, s6.1)."""

import datetime as dt
from dataclasses import dataclass, field, replace

from portal.cases.chronology import Summary, case_letters, chronology
from portal.models import Case, Restriction
from portal.models.vocab import CURRENT_RESTRICTION_STATUSES, RestrictionStatus
from portal.translations import lazy_gettext as _l


@dataclass
class CasePage:
    case: Case
    timeline: list[Summary]
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


WITHHELD = _l(
    "Only the customer's case officer, review managers and the appeals director see what was "
    "recorded about the customer's health and support needs."
)


def _summary_for(event, special_category: bool) -> Summary | None:
    """The event's summary; for health and support notes the viewer may not read (need to
    know, portal.special_category), the summary without them."""
    if event.summary is None:
        return None
    summary = replace(event.summary, date_only=event.date_only)
    if special_category or not event.special_category:
        return summary
    return replace(summary, text=str(WITHHELD))


def build_case_page(case: Case, *, special_category: bool = False) -> CasePage:
    """``special_category``: the viewer may read the customer's health and support notes."""
    letters = case_letters(case)
    events = chronology(case, letters).events
    summaries = [s for s in (_summary_for(e, special_category) for e in events) if s]
    summaries.sort(key=lambda summary: summary.when, reverse=True)
    restrictions = sorted(case.restrictions, key=lambda r: r.starts_on, reverse=True)
    return CasePage(
        case=case,
        timeline=summaries,
        current_restrictions=[r for r in restrictions if r.status in CURRENT_RESTRICTION_STATUSES],
        past_restrictions=[r for r in restrictions if r.status not in CURRENT_RESTRICTION_STATUSES],
        informal_step_count=len(case.informal_steps),
        has_needs_consideration=bool(case.needs_considerations),
        draft_letters=[letter for letter in letters if letter.issued_at is None],
    )
