"""s3.5 six-month limit arithmetic and s4's 10 working days."""

import datetime as dt
from types import SimpleNamespace

import pytest

from portal.challenges import rules
from portal.challenges.where_it_stands import answer_by
from portal.clock import day_of
from portal.dates import add_months, add_working_days, is_working_day

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 15), 6, D(2026, 7, 15)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),  # clamped to the month's end
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # leap year
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 12, 25), -3, D(2026, 9, 25)),
        (D(2026, 5, 31), 1, D(2026, 6, 30)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_ten_working_days_skip_weekends_and_christmas_bank_holidays():
    # Fri 18 Dec 2026 + 10 working days: 25 and 28 Dec and 1 Jan 2027 are bank holidays.
    assert add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 6)


def test_working_days_skip_easter_2027():
    # Good Friday 26 March and Easter Monday 29 March 2027.
    assert add_working_days(D(2027, 3, 20), 20) == D(2027, 4, 20)


def test_bank_holidays_are_known_beyond_2028_offline():
    # govuk-bank-holidays' bundled data stops at 2028; `holidays` computes by rule.
    assert not is_working_day(D(2031, 12, 25))
    assert not is_working_day(D(2030, 8, 26))  # summer bank holiday, last Monday of August
    assert is_working_day(D(2030, 8, 27))


def test_a_request_on_a_saturday_counts_from_the_next_working_day():
    assert add_working_days(D(2026, 11, 28), 1) == D(2026, 11, 30)


# The day a moment fell on is London's, not UTC's (portal.clock.day_of) -----------------


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # 00:30 on 1 July in London (BST) is 23:30 on 30 June in UTC.
        (dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), D(2026, 7, 1)),
        (dt.datetime(2026, 6, 30, 22, 59, tzinfo=dt.UTC), D(2026, 6, 30)),
        # In winter London keeps UTC.
        (dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC), D(2026, 12, 5)),
        (dt.datetime(2026, 6, 30, 23, 30), D(2026, 7, 1)),  # naive: taken as UTC
    ],
)
def test_the_day_a_moment_fell_on_is_londons(moment, day):
    assert day_of(moment) == day


def test_an_appeal_received_after_midnight_in_summer_is_answered_from_that_day():
    """s4: the working days run from the day it was received in London."""
    appeal = SimpleNamespace(
        submitted_at=dt.datetime(2026, 7, 2, 23, 30, tzinfo=dt.UTC),  # 00:30 Friday 3 July
        due_on=None,
    )
    assert answer_by(appeal) == rules.appeal_due_on(D(2026, 7, 3))
    assert answer_by(appeal) != rules.appeal_due_on(D(2026, 7, 2))
