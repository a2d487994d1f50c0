"""Jinja filters: dates and numbers formatted by Babel for the reader's locale."""

import datetime as dt

from flask_babel import format_date, format_datetime, format_decimal


def long_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, "long")


def date_and_time(value: dt.datetime | None) -> str:
    return "" if value is None else format_datetime(value, "medium")


def number(value) -> str:
    return format_decimal(value)


def language_name(code: str | None) -> str:
    """A language's name in the reader's language: "pl" -> "Polish" / "Pwyleg"."""
    from babel import Locale
    from flask_babel import get_locale

    if not code:
        return ""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, LookupError):
        return code


def labels(values) -> str:
    """Translated labels of vocabulary values, sorted, as one comma-separated line."""
    from portal.models.vocab import label

    return ", ".join(sorted(label(value) for value in values))


FILTERS = {
    "long_date": long_date,
    "date_and_time": date_and_time,
    "number": number,
    "labels": labels,
    "language_name": language_name,
}
