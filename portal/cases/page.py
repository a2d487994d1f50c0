"""What the case page shows: the chronology's summaries, newest first, the restrictions
current and past, and what the case still needs before a restriction (s3.2, s6.1)."""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from portal.cases.chronology import Summary, chronology
from portal.extensions import db
from portal.models import Case, Letter, Restriction
from portal.models.vocab import CURRENT_RESTRICTION_STATUSES, RestrictionStatus


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


def build_case_page(case: Case) -> CasePage:
    summaries = [event.summary for event in chronology(case).events if event.summary]
    summaries.sort(key=lambda summary: summary.when, reverse=True)
    restrictions = sorted(case.restrictions, key=lambda r: r.starts_on, reverse=True)
    return CasePage(
        case=case,
        timeline=summaries,
        current_restrictions=[r for r in restrictions if r.status in CURRENT_RESTRICTION_STATUSES],
        past_restrictions=[r for r in restrictions if r.status not in CURRENT_RESTRICTION_STATUSES],
        informal_step_count=len(case.informal_steps),
        has_needs_consideration=bool(case.needs_considerations),
        draft_letters=list(
            db.session.scalars(
                select(Letter).where(Letter.case_id == case.id, Letter.issued_at.is_(None))
            )
        ),
    )
