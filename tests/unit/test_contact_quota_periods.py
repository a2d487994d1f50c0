"""Where a contact quota's week or month ends (s3.2; issue 14 item 4): the contacts counted
against a limit are those logged anywhere in the same London week or month."""

import datetime as dt

import pytest

from portal.contacts.rules import quota_period_end, quota_period_start
from portal.models.vocab import QuotaPeriod


def utc(*parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("moment", "period", "end"),
    [
        # Wednesday 8 July 2026 (BST): the week ends at Monday 13 July 00:00 BST.
        (utc(2026, 7, 8, 12), QuotaPeriod.WEEK, utc(2026, 7, 12, 23)),
        # The week the clocks go back ends at Monday 26 Oct 2026 00:00 GMT.
        (utc(2026, 10, 21, 12), QuotaPeriod.WEEK, utc(2026, 10, 26, 0)),
        # December ends at 1 January 00:00 GMT, in the next year.
        (utc(2026, 12, 31, 23, 30), QuotaPeriod.MONTH, utc(2027, 1, 1, 0)),
        # February in a leap year, and March ending in BST.
        (utc(2028, 2, 29, 10), QuotaPeriod.MONTH, utc(2028, 3, 1, 0)),
        (utc(2026, 3, 31, 10), QuotaPeriod.MONTH, utc(2026, 3, 31, 23)),
    ],
)
def test_a_quota_period_ends_where_the_next_one_starts(moment, period, end):
    assert quota_period_end(moment, period) == end
    assert quota_period_start(end, period) == end
    assert quota_period_start(moment, period) < moment < end
