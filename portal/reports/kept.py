"""A closed period's report figures, kept as first worked out after the period ended
(issue 18: the annual report recomputed about forty aggregates over all history on every
view, 0.4 s at the largest landlord's scale, and equality monitoring joined all 350,000
customers with their answers, 0.7 s).

A period that ended before today is closed: its figures are worked out once and kept, as
figures given to the leadership team stay what they were (policy s5.1, s6.3). Something
recorded later about a closed period (an incident entered late, an equality answer given
later) is therefore not in them until someone asks for the figures to be worked out again;
each report page says when they were worked out and offers that. A period that ends today
is never kept.

One home for keeping: the annual report (annual/kept.py) and equality monitoring
(equality/kept.py) each say only how their figures become JSON and back.
"""

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import KeptReportFigures
from portal.models.types import utcnow
from portal.reports.periods import Period


def key(report: str, version: int, period: Period) -> str:
    """The kept row's key: which report, by which version of its definitions (a bumped
    version's figures are worked out again), for which days."""
    return f"{report}/v{version}/{period.start.isoformat()}/{period.end.isoformat()}"


def kept_or_worked_out(
    row_key: str, period: Period, work_out: Callable[[], dict], *, today: dt.date
) -> tuple[dict, dt.datetime | None]:
    """The period's figures as JSON-ready data and, when they are kept, when they were
    worked out. A closed period's are worked out once and kept (the caller's transaction is
    committed with them); an open period's are worked out each time."""
    if period.end >= today:
        return work_out(), None
    row = db.session.get(KeptReportFigures, row_key)
    if row is not None:
        return row.figures, row.worked_out_at
    figures = work_out()
    row = KeptReportFigures(key=row_key, figures=figures, worked_out_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(row)
        db.session.commit()
    except IntegrityError:  # worked out by someone else meanwhile: the same figures
        db.session.rollback()
        return figures, utcnow()
    return figures, row.worked_out_at


def forget(row_keys: list[str]) -> None:
    """Forget kept figures (the caller commits): the next view works them out from the
    records as they are now."""
    db.session.execute(delete(KeptReportFigures).where(KeptReportFigures.key.in_(row_keys)))
