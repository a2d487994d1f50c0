"""Report tables: one list of tables feeds the page, the charts, CSV, XLSX and PDF, so
every format shows the same figures. The cells and tables every report builds from
(the annual report, equality monitoring)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One value and how to show it: ``kind`` is text, count, change, percent, ratio, days,
    flag (a warning in words) or suppressed (a small count withheld)."""

    value: object
    kind: str = "text"


def text(value) -> Cell:
    return Cell(value, "text")


def count(value: int | None) -> Cell:
    return Cell(None, "suppressed") if value is None else Cell(value, "count")


def withheld() -> Cell:
    """A figure withheld by disclosure control (portal/reports/disclosure.py)."""
    return Cell(None, "suppressed")


def percent(value: float | None) -> Cell:
    return Cell(value, "percent")


def ratio(value: float | None) -> Cell:
    return Cell(value, "ratio")


def days(value: float | None) -> Cell:
    return Cell(value, "days")


def change(now: int, before: int) -> Cell:
    return Cell(now - before, "change")


@dataclass
class Chart:
    """Which columns of the table to draw as bars: the first against the second, if any."""

    title: object
    description: object
    value_column: int
    compare_column: int | None = None
    as_percent: bool = False
    legend: tuple | None = None  # the two series' names, when there is a compare column


@dataclass
class ReportTable:
    key: str  # in URLs and file names: kebab-case
    caption: object
    headers: list
    rows: list[list[Cell]] = field(default_factory=list)
    chart: Chart | None = None
    note: object = None


def share(part: int, whole: int) -> float | None:
    """``part`` as a share of ``whole``; None (shown as a dash) when there is no whole."""
    return None if not whole else part / whole
