"""Statistical disclosure control for every report output: one rule, one home.

Equality monitoring counts people by protected characteristic (policy s6.3; special
category data, UK GDPR Art. 9; DESIGN.md rule 4), so a small count could identify someone.
The page, its charts, CSV, XLSX and PDF all take their figures from :func:`protect`, so no
output can show what another hides.

The method is the one the ONS and NHS England publish for tables of counts:

* Primary suppression: a count from 1 to ``THRESHOLD - 1`` is withheld. Zero is shown (a
  zero identifies nobody).
* Secondary suppression: a withheld count must not be recoverable from the column's
  published total. In every column, the withheld cells must be at least two and together
  add up to at least ``THRESHOLD``; otherwise the next smallest shown non-zero cell of that
  column is withheld too, until they do. A reader who subtracts the shown cells from the
  total learns only the sum of two or more withheld cells, at least ``THRESHOLD``, so
  cannot tell a withheld zero from a withheld 1 to 4.
* A total that is itself from 1 to ``THRESHOLD - 1`` is withheld (its cells are then all
  zero or withheld), as is a total whose withheld cells cannot be protected by its column.

Tables are published with column totals only (a total per measure, over the groups); no
row or grand totals, which would need suppression across both directions at once.

Every withheld cell reads the same ("withheld"), whatever its value and whichever rule hid
it, so the marker itself says nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5


def is_small(value: int) -> bool:
    """A count that could identify someone: from 1 to ``THRESHOLD - 1``."""
    return 0 < value < THRESHOLD


@dataclass(frozen=True)
class Protected:
    """A table of counts with what may be published: ``None`` where withheld."""

    values: tuple[tuple[int, ...], ...]
    hidden: frozenset[tuple[int, int]]
    column_totals: tuple[int | None, ...]

    def cell(self, row: int, column: int) -> int | None:
        return None if (row, column) in self.hidden else self.values[row][column]

    def is_hidden(self, row: int, column: int) -> bool:
        return (row, column) in self.hidden


def _protect_column(column: list[int]) -> tuple[set[int], bool]:
    """The rows to withhold in one column, and whether its total may be published."""
    total = sum(column)
    hidden = {r for r, value in enumerate(column) if is_small(value)}
    if is_small(total):
        return hidden, False  # every non-zero cell is small, so withheld already
    while hidden and (len(hidden) < 2 or sum(column[r] for r in hidden) < THRESHOLD):
        # Secondary suppression: the next smallest count. A zero would add nothing to the
        # withheld sum, and zeros are shown anyway, so it is the next smallest above zero.
        shown = [(value, r) for r, value in enumerate(column) if r not in hidden and value]
        if not shown:
            return hidden, False
        hidden.add(min(shown)[1])
    return hidden, True


def protect(grid: Sequence[Sequence[int]]) -> Protected:
    """What of ``grid`` (rows of counts, one column per measure) may be published, with each
    column's total (the sum of its cells) published beneath it."""
    values = tuple(tuple(int(v) for v in row) for row in grid)
    columns = len(values[0]) if values else 0
    hidden: set[tuple[int, int]] = set()
    totals: list[int | None] = []
    for c in range(columns):
        column = [row[c] for row in values]
        rows, publish = _protect_column(column)
        hidden |= {(r, c) for r in rows}
        totals.append(sum(column) if publish else None)
    return Protected(values, frozenset(hidden), tuple(totals))
