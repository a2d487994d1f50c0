"""Disclosure control (portal/reports/disclosure.py) over generated tables of counts: no
withheld count can be worked out from what is published, and a withheld zero cannot be told
from a withheld 1 to 4."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.reports import disclosure
from portal.reports.disclosure import THRESHOLD, protect

# Mostly small counts, where disclosure happens, with some zeros and some large ones.
counts = st.one_of(st.integers(0, 6), st.integers(0, 60))
grids = st.integers(1, 6).flatmap(
    lambda columns: st.lists(
        st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=7
    )
)


def published_equations(table):
    """(cells, total) for every published total: the sum over ``cells`` is ``total``."""
    rows = len(table.values)
    return [
        ([(r, c) for r in range(rows)], total)
        for c, total in enumerate(table.column_totals)
        if total is not None
    ]


def peel(table) -> dict:
    """The attack the brief names: while some published line has exactly one withheld cell,
    its total minus its shown cells gives that cell away. Returns what it recovered."""
    known = {(r, c): v for r, row in enumerate(table.values) for c, v in enumerate(row)}
    known = {cell: v for cell, v in known.items() if not table.is_hidden(*cell)}
    recovered = {}
    progress = True
    while progress:
        progress = False
        for cells, total in published_equations(table):
            unknown = [cell for cell in cells if cell not in known]
            if len(unknown) == 1:
                value = total - sum(known[cell] for cell in cells if cell in known)
                known[unknown[0]] = recovered[unknown[0]] = value
                progress = True
    return recovered


def determined(table) -> set:
    """Withheld cells fixed by the published totals in any linear combination (exact
    Gaussian elimination over the rationals): a stronger attacker than peeling."""
    unknowns = sorted(table.hidden)
    index = {cell: i for i, cell in enumerate(unknowns)}
    matrix = []
    for cells, _total in published_equations(table):
        row = [Fraction(0)] * len(unknowns)
        for cell in cells:
            if cell in index:
                row[index[cell]] = Fraction(1)
        if any(row):
            matrix.append(row)
    pivots = _reduce(matrix)
    # A cell is determined when its unit vector lies in the row space: its reduced row has
    # a pivot in that column and nothing else.
    found = set()
    for row, column in pivots:
        if sum(1 for value in row if value) == 1:
            found.add(unknowns[column])
    return found


def _reduce(matrix):
    pivots, rank = [], 0
    columns = len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [value / lead for value in matrix[rank]]
        for i, row in enumerate(matrix):
            if i != rank and row[column]:
                factor = row[column]
                matrix[i] = [a - factor * b for a, b in zip(row, matrix[rank], strict=True)]
        pivots.append(column)
        rank += 1
    return [(matrix[i], column) for i, column in enumerate(pivots)]


def assert_safe(table):
    # Nothing published is a count from 1 to 4: not a cell, not a total.
    for r, row in enumerate(table.values):
        for c, _value in enumerate(row):
            shown = table.cell(r, c)
            assert shown is None or not disclosure.is_small(shown), (r, c)
    assert not any(t is not None and disclosure.is_small(t) for t in table.column_totals)
    # No withheld cell can be worked out, by subtraction or by any sum of the totals.
    assert peel(table) == {}
    assert determined(table) == set()
    # Zero against small: wherever a published total bounds withheld cells, those cells add
    # up to at least THRESHOLD, so a withheld 0 looks the same as a withheld 1 to 4.
    for cells, total in published_equations(table):
        withheld = [table.values[r][c] for r, c in cells if table.is_hidden(r, c)]
        if withheld:
            assert len(withheld) >= 2 and sum(withheld) >= THRESHOLD
            assert total - sum(
                table.cell(r, c) for r, c in cells if not table.is_hidden(r, c)
            ) == sum(withheld)


@settings(max_examples=300, deadline=None)
@given(grids)
def test_columns_with_totals_give_nothing_away(grid):
    assert_safe(protect(grid))


def test_one_small_cell_takes_the_next_smallest_with_it():
    table = protect([[40], [3], [12], [9]])
    assert [table.cell(r, 0) for r in range(4)] == [40, None, 12, None]
    assert table.column_totals == (64,)


def test_a_small_total_is_withheld_and_zero_is_shown():
    table = protect([[0], [2], [1]])
    assert [table.cell(r, 0) for r in range(3)] == [0, None, None]
    assert table.column_totals == (None,)


def test_age_bands_come_from_the_date_of_birth_on_the_periods_last_day():
    import datetime as dt

    from portal.reports.equality.ages import age_band, age_on

    assert age_on(dt.date(2000, 2, 29), dt.date(2025, 2, 28)) == 24
    assert age_on(dt.date(2000, 2, 29), dt.date(2025, 3, 1)) == 25
    last_day = dt.date(2025, 3, 31)
    assert age_band(dt.date(2000, 3, 31), "75_plus", last_day) == "25_34"
    assert age_band(dt.date(2000, 4, 1), None, last_day) == "under_25"
    assert age_band(dt.date(1950, 1, 1), None, last_day) == "75_plus"
    assert age_band(None, "45_54", last_day) == "45_54"
    assert age_band(None, None, last_day) is None
