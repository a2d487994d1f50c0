"""Jinja filters: dates and numbers formatted by Babel for the reader's locale."""

import datetime as dt
import functools

from babel import dates, numbers
from flask_babel import format_date, format_datetime, format_decimal

from portal.clock import day_of


def long_date(value: dt.date | dt.datetime | None) -> str:
    """The long form of a date ("4 March 2026") in the reader's language; of a time, its day
    in London."""
    from flask_babel import get_locale

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = day_of(value)
    locale = get_locale()
    if locale is None:  # outside a request: Babel's default locale, as format_date
        return format_date(value, "long")
    return _long_date(value, str(locale))


@functools.lru_cache(maxsize=4096)
def _long_date(day: dt.date, locale: str) -> str:
    """Kept once worked out: a list page shows the same few dates many times, at 10 µs
    each through Babel (issue 18)."""
    return dates.format_date(day, "long", locale=locale)


def date_and_time(value: dt.datetime | None) -> str:
    return "" if value is None else format_datetime(value, "medium")


def number(value) -> str:
    return decimal(value)


def decimal(value, pattern: str | None = None) -> str:
    """flask_babel.format_decimal, kept once worked out for the reader's locale: a report
    page formats some four hundred numbers, at 12 µs each through Babel (issue 18)."""
    from flask_babel import get_locale

    locale = get_locale()
    if locale is None:  # outside a request: Babel's default locale, as format_decimal
        return format_decimal(value, pattern)
    return _decimal(value, pattern, str(locale))


@functools.lru_cache(maxsize=4096)
def _decimal(value, pattern: str | None, locale: str) -> str:
    return numbers.format_decimal(value, pattern, locale=locale)


def language_name(code: str | None) -> str:
    """A language's name in the reader's language: "pl" -> "Polish" / "Pwyleg"."""
    from flask_babel import get_locale

    if not code:
        return ""
    reader = get_locale()
    return _display_name(code, str(reader) if reader else None)


@functools.lru_cache(maxsize=1024)
def _display_name(code: str, reader: str | None) -> str:
    """Kept once worked out: Babel looks for the locale's data file on disk each time it
    parses one (issue 18: a letter page named languages 82 times)."""
    from babel import Locale

    try:
        in_language = Locale.parse(reader) if reader else None  # None: in its own
        return Locale.parse(code).get_display_name(in_language) or code
    except (ValueError, LookupError):
        return code


def labels(values) -> str:
    """Translated labels of vocabulary values, sorted, as one comma-separated line."""
    from portal.models.vocab import label

    return ", ".join(sorted(label(value) for value in values))


def file_size(size_bytes: int) -> str:
    """A file size as people say it, in the reader's number format: "340 KB", "2.1 MB"."""
    from flask_babel import gettext as _

    if size_bytes < 1024 * 1024:
        return _("%(size)s KB", size=format_decimal(max(1, round(size_bytes / 1024))))
    return _("%(size)s MB", size=format_decimal(round(size_bytes / (1024 * 1024), 1)))


def file_kind(media_type: str) -> str:
    from flask_babel import gettext as _

    kinds = {
        "application/pdf": "PDF",
        "image/jpeg": "JPG",
        "image/png": "PNG",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    }
    return kinds.get(media_type, _("file"))


def language_name_own(code: str) -> str:
    """A language's name in that language ("Cymraeg", "العربية"), for language links."""
    from portal.config import LOCALE_NAMES

    return LOCALE_NAMES.get(code, code)


FILTERS = {
    "language_name_own": language_name_own,
    "file_size": file_size,
    "file_kind": file_kind,
    "long_date": long_date,
    "date_and_time": date_and_time,
    "number": number,
    "labels": labels,
    "language_name": language_name,
}
