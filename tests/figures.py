"""The security figures of SECURITY.md §8, counted by the tests that prove them and printed
at the end of the run per database, so the closing note reports what the suite measured.

A test adds to a figure with ``tally("2 authorisation matrix", "requests", n)``; a
failing test fails the run, so a printed figure is one that held. Counts from xdist
workers reach the controller through ``workeroutput`` (see tests/conftest.py).
"""

from collections import defaultdict

# figure -> database -> measure -> count
FIGURES: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))


def tally(figure: str, measure: str, count: int = 1, *, database: str | None = None) -> None:
    """Add ``count`` to a figure's measure, for the database the test's app runs on."""
    FIGURES[figure][database or _current_database()][measure] += count


def _current_database() -> str:
    from flask import has_app_context

    if not has_app_context():
        return "sqlite"
    from portal.extensions import db

    return "postgresql" if db.engine.dialect.name == "postgresql" else "sqlite"


def as_plain() -> dict:
    return {f: {d: dict(m) for d, m in dbs.items()} for f, dbs in FIGURES.items()}


def merge(plain: dict) -> None:
    for figure, databases in plain.items():
        for database, measures in databases.items():
            for measure, count in measures.items():
                FIGURES[figure][database][measure] += count


def summary_lines() -> list[str]:
    lines = []
    for figure in sorted(FIGURES, key=lambda f: (int(f.split()[0]), f)):
        for database, measures in sorted(FIGURES[figure].items()):
            parts = ", ".join(f"{m} {n:,}" for m, n in measures.items())
            lines.append(f"{figure} [{database}]: {parts}")
    return lines
