"""Reporting periods (s5.1 "annually"): the default financial year, the comparison period,
and the periods that cannot be reported."""

import datetime as dt

import pytest

from portal.reports.periods import (
    Period,
    PeriodEndsBeforeStart,
    PeriodInFuture,
    PeriodTooEarly,
    checked_period,
    last_financial_year,
)

D = dt.date


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 11, 28), Period(D(2025, 4, 1), D(2026, 3, 31))),
        (D(2026, 4, 1), Period(D(2025, 4, 1), D(2026, 3, 31))),
        (D(2026, 3, 31), Period(D(2024, 4, 1), D(2025, 3, 31))),
        (D(2026, 1, 5), Period(D(2024, 4, 1), D(2025, 3, 31))),
    ],
)
def test_the_default_is_the_last_complete_financial_year(today, expected):
    assert last_financial_year(today) == expected


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        # A financial year: the financial year before (whole months, leap years ignored).
        (Period(D(2024, 4, 1), D(2025, 3, 31)), Period(D(2023, 4, 1), D(2024, 3, 31))),
        # A calendar month: the month before, whatever its length.
        (Period(D(2025, 3, 1), D(2025, 3, 31)), Period(D(2025, 2, 1), D(2025, 2, 28))),
        # Any other run of days: as many days just before.
        (Period(D(2025, 3, 10), D(2025, 3, 19)), Period(D(2025, 2, 28), D(2025, 3, 9))),
        (Period(D(2025, 3, 10), D(2025, 3, 10)), Period(D(2025, 3, 9), D(2025, 3, 9))),
    ],
)
def test_the_comparison_is_the_period_just_before(period, previous):
    assert period.previous() == previous


def test_a_period_runs_from_london_midnight_to_london_midnight():
    period = Period(D(2025, 4, 1), D(2025, 4, 30))
    # British Summer Time: London midnight is 23:00 UTC the day before.
    assert period.starts_at.astimezone(dt.UTC) == dt.datetime(2025, 3, 31, 23, tzinfo=dt.UTC)
    assert period.ends_before.astimezone(dt.UTC) == dt.datetime(2025, 4, 30, 23, tzinfo=dt.UTC)


def test_periods_that_cannot_be_reported():
    today = D(2026, 11, 28)
    assert checked_period(D(2026, 1, 1), today, today) == Period(D(2026, 1, 1), today)
    with pytest.raises(PeriodEndsBeforeStart):
        checked_period(D(2026, 5, 1), D(2026, 4, 30), today)
    with pytest.raises(PeriodInFuture):
        checked_period(D(2026, 11, 1), D(2026, 11, 29), today)
    with pytest.raises(PeriodInFuture):
        checked_period(D(2027, 1, 1), D(2027, 2, 1), today)
    with pytest.raises(PeriodTooEarly):
        checked_period(D(1, 1, 1), D(2025, 12, 31), today)
