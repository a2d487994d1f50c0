"""Reporting periods: London calendar days, both ends included (s5.1 "annually")."""

import datetime as dt
from dataclasses import dataclass

from portal.clock import LONDON
from portal.dates import add_months


class PeriodEndsBeforeStart(ValueError):
    """The period's end is before its start."""


class PeriodTooEarly(ValueError):
    """The period starts before the portal's records could (and before dates stay sane)."""


# Nothing the portal holds is older; it also keeps the comparison period a real date.
EARLIEST_START = dt.date(2000, 1, 1)


class PeriodInFuture(ValueError):
    """The period ends after today: its figures would be incomplete."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # included

    @property
    def starts_at(self) -> dt.datetime:
        """The first moment of the period (London midnight), for timestamp columns."""
        return dt.datetime.combine(self.start, dt.time(0), tzinfo=LONDON)

    @property
    def ends_before(self) -> dt.datetime:
        """The first moment after the period (London midnight after its last day)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)

    @property
    def whole_months(self) -> int | None:
        """How many whole calendar months the period spans, if it is whole months."""
        if self.start.day != 1 or (self.end + dt.timedelta(days=1)).day != 1:
            return None
        after = self.end + dt.timedelta(days=1)
        return (after.year - self.start.year) * 12 + after.month - self.start.month

    def previous(self) -> "Period":
        """The period of the same length just before: the previous financial year for a
        financial year, else the same number of days."""
        months = self.whole_months
        if months:
            return Period(add_months(self.start, -months), self.start - dt.timedelta(days=1))
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end)


def last_financial_year(today: dt.date) -> Period:
    """The last complete financial year, April to March (the annual report's default)."""
    year = today.year if today.month >= 4 else today.year - 1
    return Period(dt.date(year - 1, 4, 1), dt.date(year, 3, 31))


def checked_period(start: dt.date, end: dt.date, today: dt.date) -> Period:
    """A period someone asked for, refused if it is back to front or not over yet."""
    if end < start:
        raise PeriodEndsBeforeStart
    if start > today or end > today:
        raise PeriodInFuture
    if start < EARLIEST_START:
        raise PeriodTooEarly
    return Period(start, end)
