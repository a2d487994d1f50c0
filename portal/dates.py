"""Calendar arithmetic for the policy's time limits."""

import datetime as dt
from calendar import monthrange
from functools import lru_cache

import holidays


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, clamped to the month's end
    (31 August + 6 months = 28 or 29 February). Used for s3.5's six-month limit and the
    s3.4 review intervals."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


@lru_cache(maxsize=64)
def _england_and_wales_holidays(year: int) -> frozenset[dt.date]:
    # The `holidays` package computes any year by rule, offline (TOOLCHAIN.md §6);
    # England's bank holidays are the same as Wales's.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _england_and_wales_holidays(day.year)


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``start``, skipping weekends and England &
    Wales bank holidays (s4: a reconsideration is answered "within 10 working days")."""
    day, remaining = start, count
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
