"""Age bands for equality monitoring (s6.3, "age" is a protected characteristic).

A recorded band goes stale as people grow older; a date of birth does not. So a customer
whose date of birth is known is counted in the band of their age on the period's last day
(a London calendar day, the landlord's clock: portal/reports/periods.py), and only a
customer without one falls back to the band they told us.
"""

import datetime as dt

from portal.models.vocab import AgeBand

# (youngest age in the band, band), oldest first.
_BANDS = (
    (75, AgeBand.FROM_75),
    (65, AgeBand.FROM_65_TO_74),
    (55, AgeBand.FROM_55_TO_64),
    (45, AgeBand.FROM_45_TO_54),
    (35, AgeBand.FROM_35_TO_44),
    (25, AgeBand.FROM_25_TO_34),
)


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years from ``born`` to ``day``; someone born on 29 February has their birthday
    on 1 March in other years (as UK law counts it)."""
    had_birthday = (day.month, day.day) >= (born.month, born.day)  # 28 Feb < 29 Feb
    return day.year - born.year - (0 if had_birthday else 1)


def band_for_age(age: int) -> AgeBand:
    for youngest, band in _BANDS:
        if age >= youngest:
            return band
    return AgeBand.UNDER_25


def age_band(born: dt.date | None, recorded: str | None, on: dt.date) -> str | None:
    """The band a customer is counted in on ``on``: from the date of birth when known,
    otherwise as recorded (None when neither is)."""
    if born is not None and born <= on:
        return band_for_age(age_on(born, on)).value
    return None if recorded is None else str(recorded)
