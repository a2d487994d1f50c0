"""The rules a customer record must meet, whether it comes from the housing management
system's export or is typed in by a data steward (issue 13 item 1): one set of rules, here.

:func:`check` takes the raw text of each field and returns the values as the portal stores
them, or the problems found, each a reason code. The codes are translated in one place,
:data:`REASONS`, so a refused import row and a form field say the same thing.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from portal.config import LOCALE_NAMES, SUPPORTED_LOCALES
from portal.translations import lazy_gettext as _l

# The export's columns, in the order the page documents them. ``left_on`` is optional:
# a date there marks a customer who left the landlord (a former customer).
COLUMNS = (
    "reference",
    "full_name",
    "date_of_birth",
    "address",
    "postcode",
    "email",
    "phone",
    "preferred_language",
    "left_on",
)
REQUIRED_COLUMNS = COLUMNS[:-1]
# The customer fields an import sets; everything else on a customer (needs, account) is
# the portal's own and is never touched by an import.
CUSTOMER_FIELDS = (
    "full_name",
    "address",
    "postcode",
    "email",
    "phone",
    "date_of_birth",
    "left_on",
    "preferred_locale",
)

REASONS = {
    "missing_reference": _l("The customer reference is missing"),
    "bad_reference": _l(
        "The customer reference must be up to 20 letters, numbers, hyphens or slashes"
    ),
    "duplicate_reference": _l("The customer reference appears more than once in the file"),
    "reference_taken": _l("A customer with this reference already exists"),
    "missing_name": _l("The customer's name is missing"),
    "long_name": _l("The customer's name must be 120 characters or fewer"),
    "bad_date_of_birth": _l("The date of birth is not a real date in the past"),
    "long_address": _l("The address must be 300 characters or fewer"),
    "bad_postcode": _l("The postcode is missing or not a UK postcode"),
    "bad_email": _l("The email address is not in the right format"),
    "bad_phone": _l("The phone number is not in the right format"),
    "unknown_language": _l("The preferred language is not one the portal supports"),
    "bad_left_on": _l("The date the customer left is not a real date"),
    "formula": _l(
        "A cell starts with =, +, -, @, a tab or a carriage return, which a spreadsheet "
        "could run as a formula"
    ),
    "wrong_columns": _l("The line does not have the same number of cells as the header"),
}

# Problems with a file as a whole: nothing in it is imported.
FILE_REASONS = {
    "encoding": _l("The file must be saved as UTF-8 text (CSV UTF-8 in a spreadsheet)"),
    "empty": _l("The selected file is empty"),
    "missing_columns": _l("The file's first line must name the columns. Missing: %(columns)s"),
    "not_csv": _l("The file is not a CSV file the portal can read"),
    "too_large": _l("The file must be smaller than %(size)s MB"),
}

_REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9/-]{0,19}")
_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,28}")
# A whole cell that is a phone number in international form is data, not a formula.
_INTERNATIONAL_PHONE = re.compile(r"\+[0-9][0-9 ]{5,28}")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ENGLISH_LANGUAGE_NAMES = {
    "english": "en",
    "welsh": "cy",
    "polish": "pl",
    "romanian": "ro",
    "portuguese": "pt",
    "spanish": "es",
    "arabic": "ar",
    "urdu": "ur",
    "bengali": "bn",
    "bangla": "bn",
    "punjabi": "pa",
    "somali": "so",
    "ukrainian": "uk",
}


@dataclass
class Checked:
    """The stored form of one record, and the problems as (field, reason code) pairs."""

    values: dict = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def reason(self) -> str | None:
        return self.problems[0][1] if self.problems else None


def looks_like_formula(name: str, text: str) -> bool:
    """OWASP's CSV injection rule: a cell a spreadsheet would evaluate is refused, not
    silently changed, so the landlord fixes its export."""
    if not text.startswith(FORMULA_STARTS):
        return False
    return not (name == "phone" and _INTERNATIONAL_PHONE.fullmatch(text))


def normalise_reference(text: str) -> str:
    return text.strip().upper()


def normalise_postcode(text: str) -> str:
    """'bs14dj' -> 'BS1 4DJ' (the form stored on customers)."""
    compact = re.sub(r"\s+", "", text).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def parse_date(text: str) -> dt.date | None:
    """ISO (2026-12-31) or the UK's day-first form (31/12/2026); raises ValueError."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    raise ValueError(text)


def language_code(text: str) -> str | None:
    """A supported locale from its code ("cy"), its own name ("Cymraeg") or its English
    name ("Welsh"); empty means English."""
    wanted = text.strip().lower()
    if not wanted:
        return "en"
    code = wanted.replace("-", "_").split("_")[0]
    if code in SUPPORTED_LOCALES:
        return code
    for locale, name in LOCALE_NAMES.items():
        if name.lower() == wanted:
            return locale
    return _ENGLISH_LANGUAGE_NAMES.get(wanted)


def _reference(raw: str, checked: Checked) -> None:
    reference = normalise_reference(raw)
    if not reference:
        checked.problems.append(("reference", "missing_reference"))
    elif not _REFERENCE.fullmatch(reference):
        checked.problems.append(("reference", "bad_reference"))
    checked.values["reference"] = reference[:20]


def _name(raw: str, checked: Checked) -> None:
    name = " ".join(raw.split())
    if not name:
        checked.problems.append(("full_name", "missing_name"))
    elif len(name) > 120:
        checked.problems.append(("full_name", "long_name"))
    checked.values["full_name"] = name


def _date_of_birth(raw: str, checked: Checked, today: dt.date) -> None:
    born = None
    if raw.strip():
        try:
            born = parse_date(raw)
        except ValueError:
            born = None
        if born is None or born > today or born.year < 1900:
            checked.problems.append(("date_of_birth", "bad_date_of_birth"))
            born = None
    checked.values["date_of_birth"] = born.isoformat() if born else None


def _left_on(raw: str, checked: Checked) -> None:
    left = None
    if raw.strip():
        try:
            left = parse_date(raw)
        except ValueError:
            checked.problems.append(("left_on", "bad_left_on"))
    checked.values["left_on"] = left.isoformat() if left else None


def _address_and_postcode(raw: dict, checked: Checked) -> None:
    address = "\n".join(line.strip() for line in raw["address"].splitlines() if line.strip())
    if len(address) > 300:
        checked.problems.append(("address", "long_address"))
    checked.values["address"] = address
    postcode = normalise_postcode(raw["postcode"])
    if not _POSTCODE.fullmatch(postcode.replace(" ", "")):
        checked.problems.append(("postcode", "bad_postcode"))
    checked.values["postcode"] = postcode


def _contact(raw: dict, checked: Checked) -> None:
    email = raw["email"].strip().lower() or None
    if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
        checked.problems.append(("email", "bad_email"))
    checked.values["email"] = email
    phone = " ".join(raw["phone"].split()) or None
    if phone and not _PHONE.fullmatch(phone):
        checked.problems.append(("phone", "bad_phone"))
    checked.values["phone"] = phone
    locale = language_code(raw["preferred_language"])
    if locale is None:
        checked.problems.append(("preferred_language", "unknown_language"))
    checked.values["preferred_locale"] = locale or "en"


def check(raw: dict, *, today: dt.date) -> Checked:
    """Check one record's raw text (a missing column counts as empty)."""
    raw = {name: raw.get(name) or "" for name in COLUMNS}
    checked = Checked()
    formulas = [name for name in COLUMNS if looks_like_formula(name, raw[name])]
    checked.problems.extend((name, "formula") for name in formulas)
    _reference(raw["reference"], checked)
    _name(raw["full_name"], checked)
    _date_of_birth(raw["date_of_birth"], checked, today)
    _address_and_postcode(raw, checked)
    _contact(raw, checked)
    _left_on(raw["left_on"], checked)
    return checked


def stored_values(customer) -> dict:
    """A customer's imported fields in the same form :func:`check` gives them, so that
    "unchanged" is a plain comparison of two dicts."""
    values = {name: getattr(customer, name) for name in CUSTOMER_FIELDS}
    for name in ("date_of_birth", "left_on"):
        if values[name] is not None:
            values[name] = values[name].isoformat()
    return values
