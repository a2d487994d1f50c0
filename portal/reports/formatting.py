"""How a report cell reads on the page and in the PDF: Babel formats for the reader's
locale. CSV and XLSX take the raw values instead (exports.py)."""

from flask_babel import format_percent

from portal.formatting import decimal as format_decimal
from portal.translations import gettext as _


def display(cell) -> str:
    kind, value = cell.kind, cell.value
    if kind == "suppressed":
        # The same words for every withheld figure, whatever it is (reports/disclosure.py).
        return _("withheld")
    if kind in ("text", "flag"):
        return str(value)
    if value is None:
        return _("Not applicable")
    if kind == "count":
        return format_decimal(value)
    if kind == "change":
        return "0" if value == 0 else format_decimal(value, "+#,##0;-#,##0")
    if kind == "percent":
        return format_percent(value, "#,##0.0%")
    if kind == "ratio":
        return ratio(value)
    if kind == "days":
        return format_decimal(value, "#,##0.0")
    return str(value)


def is_numeric(cell) -> bool:
    return cell.kind in ("count", "change", "percent", "ratio", "days", "suppressed")


def ratio(value: float | None) -> str:
    if value is None:
        return _("Not applicable")
    return format_decimal(value, "#,##0.00")
