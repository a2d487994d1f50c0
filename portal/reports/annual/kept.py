"""A closed period's annual-report figures, kept as first worked out after it ended
(issue 18: the report recomputed about forty aggregates over all history on every view,
0.4 s at the largest landlord's scale).

A period that ended before today is closed: its figures are worked out once and kept, as
figures given to the leadership team stay what they were (policy s5.1). Something recorded
later about a closed period (an incident entered late, say) is therefore not in them until
someone asks for the figures to be worked out again; the report page says when they were
worked out and offers that. A period that ends today is never kept.
"""

import dataclasses
import datetime as dt

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import KeptReportFigures
from portal.models.types import utcnow
from portal.models.vocab import (
    AppealDecision,
    BehaviourType,
    EscalationKind,
    ReconsiderationDecision,
    RestrictionOption,
    ReviewOutcome,
)
from portal.reports.annual.figures import AnnualReport, PeriodFigures, period_figures
from portal.reports.periods import Period

# Bump when a definition in figures.py changes: kept figures of the old kind are then
# worked out again.
FIGURES_VERSION = 2  # 2: feedback on the policy (issue 17)
# The vocabulary of each figure that counts by kind; the others are numbers (or, for the
# length bands, plain keys).
_KEYED_BY = {
    "behaviour_cases": BehaviourType,
    "behaviour_incidents": BehaviourType,
    "restriction_options": RestrictionOption,
    "escalations": EscalationKind,
    "review_outcomes": ReviewOutcome,
    "appeal_decisions": AppealDecision,
    "reconsideration_decisions": ReconsiderationDecision,
    "length_bands": str,
}


def _key(period: Period) -> str:
    return f"annual/v{FIGURES_VERSION}/{period.start.isoformat()}/{period.end.isoformat()}"


def to_json(figures: PeriodFigures) -> dict:
    data = {
        field.name: getattr(figures, field.name)
        for field in dataclasses.fields(figures)
        if field.name != "period"
    }
    for name in _KEYED_BY:
        data[name] = {str(key): count for key, count in data[name].items()}
    return data


def from_json(data: dict, period: Period) -> PeriodFigures:
    values = dict(data)
    for name, vocabulary in _KEYED_BY.items():
        values[name] = {vocabulary(key): count for key, count in values[name].items()}
    return PeriodFigures(period=period, **values)


def _figures(period: Period, today: dt.date) -> tuple[PeriodFigures, dt.datetime | None]:
    """The period's figures and, when they were kept, when they were worked out."""
    if period.end >= today:
        return period_figures(period), None
    kept = db.session.get(KeptReportFigures, _key(period))
    if kept is not None:
        return from_json(kept.figures, period), kept.worked_out_at
    figures = period_figures(period)
    row = KeptReportFigures(key=_key(period), figures=to_json(figures), worked_out_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(row)
        db.session.commit()
    except IntegrityError:  # worked out by someone else meanwhile: the same figures
        db.session.rollback()
        return figures, utcnow()
    return figures, row.worked_out_at


def annual_report(period: Period, *, today: dt.date) -> AnnualReport:
    """The annual report for a period with the period before it (s5.1), closed periods'
    figures as kept."""
    current, current_at = _figures(period, today)
    previous, previous_at = _figures(period.previous(), today)
    kept = [at for at in (current_at, previous_at) if at is not None]
    return AnnualReport(current, previous, worked_out_at=min(kept) if kept else None)


def work_out_again(period: Period) -> None:
    """Forget the kept figures of the period and the one before it (the caller commits):
    the next view works them out from the records as they are now."""
    keys = [_key(period), _key(period.previous())]
    db.session.execute(delete(KeptReportFigures).where(KeptReportFigures.key.in_(keys)))
