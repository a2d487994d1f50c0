"""Equality monitoring (s6.3) and appeal overturn rates (s3.4) as report tables: one table
per characteristic, the same cells for the page, the charts, CSV, XLSX and PDF."""

from flask_babel import lazy_gettext as _l

from portal.reports.equality.monitoring import MARKEDLY, SUPPRESS_BELOW, EqualityView
from portal.reports.tables import Cell, Chart, ReportTable, count, percent, ratio, share, text


def _flag(group) -> Cell:
    if group.markedly_more_restricted:
        return Cell(_l("Restricted markedly more often than customers overall"), "flag")
    return Cell("", "flag")


def equality_tables(view: EqualityView) -> list[ReportTable]:
    """One table per characteristic (s6.3), then appeal overturn rates (s3.4)."""
    tables = []
    everyone = view.totals
    for item in view.breakdowns:
        rows = [
            [
                text(group.label),
                count(group.customers.display),
                percent(share(group.customers.value, everyone.customers)),
                count(group.with_case.display),
                ratio(group.case_ratio),
                count(group.restricted.display),
                ratio(group.restriction_ratio),
                _flag(group),
            ]
            for group in item.groups
        ]
        rows.append(
            [
                text(_l("All customers")),
                count(everyone.customers),
                percent(1.0 if everyone.customers else None),
                count(everyone.with_case),
                ratio(1.0 if everyone.with_case else None),
                count(everyone.restricted),
                ratio(1.0 if everyone.restricted else None),
                text(""),
            ]
        )
        note = None
        if item.hidden_groups:
            note = _l(
                "Groups not shown because they have fewer than %(threshold)s customers, so "
                "that nobody can be identified: %(number)s.",
                threshold=SUPPRESS_BELOW,
                number=item.hidden_groups,
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
                        "Restriction rate ratio by group: %(characteristic)s",
                        characteristic=item.title,
                    ),
                    _l(
                        "Bar chart of how often each group was restricted compared with "
                        "customers overall, where 1 means in proportion. Groups restricted "
                        "at least %(ratio)s times as often are flagged in the table beside it.",
                        ratio=MARKEDLY,
                    ),
                    6,
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
    "Counts from 1 to %(below)s are shown as “fewer than %(threshold)s”, with one more count "
    "hidden where needed, so that nobody can be identified.",
    below=SUPPRESS_BELOW - 1,
    threshold=SUPPRESS_BELOW,
)
