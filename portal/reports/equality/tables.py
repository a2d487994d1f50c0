"""Equality monitoring (s6.3) and appeal overturn rates (s3.4) as report tables: one table
per characteristic, the same cells for the page, the charts, CSV, XLSX and PDF."""

from portal.reports.equality.monitoring import MARKEDLY, SUPPRESS_BELOW, Count, EqualityView
from portal.reports.tables import (
    Cell,
    Chart,
    ReportTable,
    count,
    percent,
    ratio,
    share,
    text,
    withheld,
)
from portal.translations import lazy_gettext as _l


def _flag(group) -> Cell:
    if group.markedly_more_restricted:
        return Cell(_l("Restricted markedly more often than customers overall"), "flag")
    return Cell("", "flag")


def _share(customers: Count, everyone: int) -> Cell:
    return percent(share(customers.value, everyone)) if customers.shown else withheld()


def _ratio(value: float | None, *counts: Count) -> Cell:
    """A rate ratio, withheld with the counts it is worked out from (it would give them
    away)."""
    return ratio(value) if all(c.shown for c in counts) else withheld()


def _everyone_row(item, everyone) -> list[Cell]:
    customers, with_case, restricted = item.totals
    return [
        text(_l("All customers")),
        count(customers.display),
        percent(1.0 if everyone.customers else None),
        count(with_case.display),
        _ratio(1.0 if everyone.with_case else None, with_case),
        count(restricted.display),
        _ratio(1.0 if everyone.restricted else None, restricted),
        text(""),
    ]


def equality_tables(view: EqualityView) -> list[ReportTable]:
    """One table per characteristic (s6.3), then appeal overturn rates (s3.4)."""
    tables = []
    everyone = view.totals
    for item in view.breakdowns:
        rows = [
            [
                text(group.label),
                count(group.customers.display),
                _share(group.customers, everyone.customers),
                count(group.with_case.display),
                _ratio(group.case_ratio, group.with_case, group.customers),
                count(group.restricted.display),
                _ratio(group.restriction_ratio, group.restricted, group.customers),
                _flag(group),
            ]
            for group in item.groups
        ]
        rows.append(_everyone_row(item, everyone))
        note = None
        if item.combined_groups:
            note = _l(
                "Answers given by fewer than %(threshold)s customers each are combined in "
                "one row, so that nobody can be identified (answers combined: %(number)s).",
                threshold=SUPPRESS_BELOW,
                number=item.combined_groups,
            )
        tables.append(
            ReportTable(
                f"equality-{item.key.replace('_', '-')}",
                item.title,
                [
                    _l("Group"),
                    _l("Customers"),
                    _l("Share of customers"),
                    _l("With a case"),
                    _l("Case rate ratio"),
                    _l("With a restriction"),
                    _l("Restriction rate ratio"),
                    _l("Flag"),
                ],
                rows,
                chart=Chart(
                    _l(
                        "Case and restriction rate ratios by group: %(characteristic)s",
                        characteristic=item.title,
                    ),
                    _l(
                        "Bar chart of how often each group had a case, and was restricted, "
                        "compared with customers overall, where 1 means in proportion. A "
                        "withheld figure has no bar. Groups restricted at least %(ratio)s "
                        "times as often are flagged in the table beside it.",
                        ratio=MARKEDLY,
                    ),
                    4,
                    compare_column=6,
                    legend=(_l("Case rate ratio"), _l("Restriction rate ratio")),
                ),
                note=note,
            )
        )
    tables.append(
        ReportTable(
            "appeal-overturn-rates",
            _l("Appeals decided, by the decision-maker whose decision was appealed"),
            [
                _l("Decision-maker"),
                _l("Appeals decided"),
                _l("Upheld"),
                _l("Varied"),
                _l("Overturned"),
                _l("Overturn rate"),
            ],
            [
                [
                    text(row.name),
                    count(row.decided),
                    count(row.upheld),
                    count(row.varied),
                    count(row.overturned),
                    percent(row.overturn_rate),
                ]
                for row in view.decision_makers
            ],
        )
    )
    return tables


SUPPRESSION_NOTE = _l(
    "Counts from 1 to %(below)s are withheld so that nobody can be identified. Where a "
    "withheld count could be worked out from the total, the next smallest count in the same "
    "column is withheld too (primary and secondary suppression, as the Office for National "
    "Statistics and NHS England publish). Every withheld figure reads “withheld”, whatever "
    "its value, and a share or rate ratio is withheld with its count. The page, its charts, "
    "the CSV and spreadsheet files all show the same figures.",
    below=SUPPRESS_BELOW - 1,
)
