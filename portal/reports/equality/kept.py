"""A closed period's equality-monitoring counts, kept as first worked out after it ended
(policy s6.3; how and when: portal/reports/kept.py). Kept before suppression: the counts
are protected (disclosure.py) each time they are shown, as when worked out, so a change
to the protection applies to kept periods too. This module says how the counts become JSON
and back."""

import datetime as dt
from collections.abc import Callable

from portal.reports import kept
from portal.reports.periods import Period

# Bump when a definition in monitoring.py changes: kept counts of the old kind are then
# worked out again.
COUNTS_VERSION = 1

Totals = list[int]  # customers, with a case, restricted
Counts = dict[str, dict]  # {characteristic: {answer or None: [customers, with a case, restricted]}}


def _key(period: Period) -> str:
    return kept.key("equality", COUNTS_VERSION, period)


def to_json(totals: Totals, counts: Counts) -> dict:
    # Lists, not objects, for the groups: "not recorded" is a group whose value is None.
    return {
        "totals": list(totals),
        "counts": {
            characteristic: [[value, *cells] for value, cells in groups.items()]
            for characteristic, groups in counts.items()
        },
    }


def from_json(data: dict) -> tuple[Totals, Counts]:
    counts = {
        characteristic: {row[0]: list(row[1:]) for row in groups}
        for characteristic, groups in data["counts"].items()
    }
    return list(data["totals"]), counts


def counted(
    period: Period, work_out: Callable[[], tuple[Totals, Counts]], *, today: dt.date
) -> tuple[Totals, Counts, dt.datetime | None]:
    """The period's totals and every characteristic's counts, and when they were worked
    out if they are kept."""
    data, worked_out_at = kept.kept_or_worked_out(
        _key(period), period, lambda: to_json(*work_out()), today=today
    )
    return *from_json(data), worked_out_at


def work_out_again(period: Period) -> None:
    """Forget the period's kept counts (the caller commits)."""
    kept.forget([_key(period)])
