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
