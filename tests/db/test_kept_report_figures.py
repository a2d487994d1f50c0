"""A closed period's annual-report figures are worked out once and kept (issue 18), on
SQLite and PostgreSQL: the same figures as working them out, kept until someone asks for
them to be worked out again, and never kept for a period that ends today."""

import datetime as dt
import json

import sqlalchemy as sa

from portal.extensions import db
from portal.models import KeptReportFigures
from portal.models.vocab import BehaviourType
from portal.reports.annual import figures, kept
from portal.reports.periods import Period
from tests.helpers import statements_while
from tests.report_data import AFTER, PERIOD, _incident, at, build_report_world


def _statements_while(action) -> int:
    return len(statements_while(action))


def test_kept_figures_are_the_figures_worked_out(app):
    build_report_world()
    worked_out = figures.build_annual_report(PERIOD)
    for period_figures in (worked_out.current, worked_out.previous):
        stored = json.loads(json.dumps(kept.to_json(period_figures)))  # as the column holds it
        assert kept.from_json(stored, period_figures.period) == period_figures
    first = kept.annual_report(PERIOD, today=AFTER)
    again = kept.annual_report(PERIOD, today=AFTER)
    assert (first.current, first.previous) == (worked_out.current, worked_out.previous)
    assert (again.current, again.previous) == (worked_out.current, worked_out.previous)
    assert again.worked_out_at is not None


def test_a_closed_period_is_worked_out_once_until_asked_again(app):
    world = build_report_world()
    kept.annual_report(PERIOD, today=AFTER)
    # Kept: two reads of kept rows instead of about forty aggregates.
    assert _statements_while(lambda: kept.annual_report(PERIOD, today=AFTER)) <= 3

    # An incident recorded late about the period is not in the kept figures...
    _incident(world["cases"][0], world["officer"], at(2024, 6, 1), [BehaviourType.HARASSMENT])
    db.session.commit()
    before = kept.annual_report(PERIOD, today=AFTER).current.behaviour_incidents
    # ...until the figures are worked out again.
    kept.work_out_again(PERIOD)
    db.session.commit()
    after = kept.annual_report(PERIOD, today=AFTER).current.behaviour_incidents
    assert after[BehaviourType.HARASSMENT] == before[BehaviourType.HARASSMENT] + 1


def test_a_period_ending_today_is_never_kept(app):
    build_report_world()
    today = dt.date(2025, 3, 31)  # the period's last day: still being recorded
    report = kept.annual_report(PERIOD, today=today)
    assert report.worked_out_at is not None  # the previous period, closed, is kept
    keys = set(db.session.scalars(sa.select(KeptReportFigures.key)))
    assert keys == {kept._key(PERIOD.previous())}
    open_period = Period(dt.date(2025, 1, 1), today)
    assert kept.annual_report(open_period, today=today).current == figures.period_figures(
        open_period
    )
    assert kept._key(open_period) not in set(db.session.scalars(sa.select(KeptReportFigures.key)))


def test_kept_equality_counts_are_the_counts_worked_out_until_asked_again(app):
    """Equality monitoring keeps a closed period's counts, before suppression, the same as
    working them out (JSON keeps "not recorded" as a group); a later answer is counted only
    once they are worked out again."""
    from portal.models import Customer, ProtectedCharacteristics
    from portal.reports.equality import kept as equality_kept
    from portal.reports.equality import monitoring

    build_report_world()
    open_view = monitoring.build_equality_view(PERIOD, today=PERIOD.end)
    assert open_view.worked_out_at is None
    first = monitoring.build_equality_view(PERIOD, today=AFTER)
    again = monitoring.build_equality_view(PERIOD, today=AFTER)
    assert first.worked_out_at is not None and again.worked_out_at is not None
    assert first.totals == again.totals == open_view.totals
    assert first.breakdowns == again.breakdowns == open_view.breakdowns
    # Kept: the totals and nine characteristics' counts come from one row.
    statements = _statements_while(lambda: monitoring.build_equality_view(PERIOD, today=AFTER))
    assert statements <= 3  # the kept row, and the appeals by decision-maker

    # A customer who had not answered says they are disabled, after the period closed.
    unanswered = db.session.scalars(
        sa.select(Customer).where(~Customer.protected_characteristics.has()).limit(1)
    ).one()
    db.session.add(ProtectedCharacteristics(customer=unanswered, disability="yes"))
    db.session.commit()

    def yes_count(view):
        disability = next(b for b in view.breakdowns if b.key == "disability")
        return next(g.customers.value for g in disability.groups if g.value == "yes")

    assert yes_count(monitoring.build_equality_view(PERIOD, today=AFTER)) == yes_count(first)
    equality_kept.work_out_again(PERIOD)
    db.session.commit()
    assert yes_count(monitoring.build_equality_view(PERIOD, today=AFTER)) == yes_count(first) + 1
