"""The landlord's calendar day. Deadlines are in UK local time, not UTC."""

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# Set only by the test suite (tests/conftest.py): a run that crosses midnight in London
# would otherwise compare dates worked out before midnight with dates the portal works out
# after it ("in 60 days" against "in 59 days"). Nothing in the portal sets it.
_fixed_day: dt.date | None = None


def today() -> dt.date:
    if _fixed_day is not None:
        return _fixed_day
    return dt.datetime.now(LONDON).date()


def fix_day(day: dt.date | None) -> None:
    """Hold ``today()`` at ``day`` for this process (``None`` lets it follow the clock)."""
    global _fixed_day
    _fixed_day = day


def day_of(moment: dt.datetime) -> dt.date:
    """The calendar day in London on which a moment fell. Times are kept in UTC, and a
    letter sent at 00:30 on 1 July (BST) was sent on 1 July, not on 30 June as UTC says.
    A naive moment is taken to be UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LONDON).date()
