"""The landlord's calendar day. Deadlines are in UK local time, not UTC."""

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def today() -> dt.date:
    return dt.datetime.now(LONDON).date()
