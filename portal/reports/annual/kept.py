"""A closed period's annual-report figures, kept as first worked out after it ended
(policy s5.1; how and when: portal/reports/kept.py). This module says how the figures
become JSON and back."""

import dataclasses
import datetime as dt

from portal.models.vocab import (
    AppealDecision,
    BehaviourType,
    EscalationKind,
    ReconsiderationDecision,
    RestrictionOption,
    ReviewOutcome,
)
from portal.reports import kept
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
    return kept.key("annual", FIGURES_VERSION, period)


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
    data, worked_out_at = kept.kept_or_worked_out(
        _key(period), period, lambda: to_json(period_figures(period)), today=today
    )
    return from_json(data, period), worked_out_at


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
    kept.forget([_key(period), _key(period.previous())])
