"""The base of every form, and the form widgets shared by every area.

:class:`PortalForm` refuses hidden characters in every text field of every form (issue 14
item 6): each form in the portal inherits from it, and a test walks the form classes to
keep it so.

The widgets are GOV.UK Frontend markup with translated error prefixes: govuk-frontend-wtf
replaces ``errorMessage`` with the bare error text, which leaves the visually hidden
"Error:" prefix in English; these subclasses put the translated prefix back (FRONTEND.md
§2, caveat 1).
"""

import datetime as dt
import threading

from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from govuk_frontend_wtf import wtforms_widgets as gov
from govuk_frontend_wtf.gov_form_base import GovFormBase
from markupsafe import Markup, escape
from wtforms import Field, StringField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import DataRequired

from portal.models.vocab import label
from portal.text_input import CONTROL, DIRECTION, hidden_characters
from portal.translations import gettext as _
from portal.translations import lazy_gettext as _l

LONG_TEXT = 5000
DATE_TIME = {"type": "datetime-local"}
TIME = {"type": "time"}


class LazyLabel:
    """A vocabulary value's label, translated when rendered in the reader's language."""

    def __init__(self, member):
        self.member = member

    def __str__(self):
        return label(self.member)

    def __html__(self):
        return str(escape(str(self)))


def choices(vocabulary, members=None):
    """(value, label) pairs for a radio or checkbox field from a vocabulary enum."""
    return [SelectChoice(member.value, LazyLabel(member)) for member in (members or vocabulary)]


def options(pairs):
    """SelectChoice objects from (value, label) pairs (WTForms 3.3 deprecates tuples)."""
    return [SelectChoice(value, text) for value, text in pairs]


def required(message):
    return DataRequired(message=message)


HIDDEN_CHARACTER_ERRORS = {
    CONTROL: _l("This contains hidden control characters. Remove them and try again."),
    DIRECTION: _l(
        "This contains hidden characters that change the direction of text. Remove them "
        "and try again."
    ),
}


class PortalForm(FlaskForm):
    """Every form's base: no text field accepts NUL or other control characters (tab and
    new lines only in multi-line text), and no single-line field accepts bidirectional
    override characters (:mod:`portal.text_input`). Checked after the fields' own
    validators, so a field that stops early (empty, not a choice) is left as it is."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        return self.refuse_hidden_characters() and valid

    def refuse_hidden_characters(self) -> bool:
        clean = True
        for field in text_fields(self):
            found = hidden_characters(field.data or "", multi_line=isinstance(field, TextAreaField))
            if found:
                field.errors = [*field.errors, HIDDEN_CHARACTER_ERRORS[found]]
                clean = False
        return clean


def text_fields(form) -> list:
    """The fields where text is typed (passwords, emails and hidden fields included)."""
    return [
        field
        for field in form
        if isinstance(field, StringField)
        and not isinstance(field, CSRFTokenField)
        and isinstance(field.data, str)
    ]


class TranslatedErrorPrefix:
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if "errorMessage" in params:
            params["errorMessage"]["visuallyHiddenText"] = _("Error")
        return params


class TextInput(TranslatedErrorPrefix, gov.GovTextInput):
    pass


class PasswordInput(TranslatedErrorPrefix, gov.GovPasswordInput):
    """The password field with its Show/Hide button in the reader's language, on every
    page that asks for a password (the component's defaults are English)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("showPasswordText", _("Show"))
        params.setdefault("hidePasswordText", _("Hide"))
        params.setdefault("showPasswordAriaLabelText", _("Show password"))
        params.setdefault("hidePasswordAriaLabelText", _("Hide password"))
        params.setdefault("passwordShownAnnouncementText", _("Your password is visible"))
        params.setdefault("passwordHiddenAnnouncementText", _("Your password is hidden"))
        # The component writes its own autocomplete ("current-password" by default): a
        # field's render_kw autocomplete goes there, not into a second attribute.
        autocomplete = params["attributes"].pop("autocomplete", None)
        if autocomplete:
            params["autocomplete"] = autocomplete
        return params


class TextArea(TranslatedErrorPrefix, gov.GovTextArea):
    pass


class LegendFromLabel:
    """The field's label as its fieldset's legend even when the page styles the legend:
    govuk-frontend-wtf adds the legend only when no fieldset is given, so a styled
    legend had no words (issue 15 item 12; WCAG 1.3.1)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        legend = params.setdefault("fieldset", {}).setdefault("legend", {})
        if not legend.get("text") and not legend.get("html"):
            legend["text"] = field.label.text
        return params


KEPT_AT_MOST = 1024  # widgets' markup kept, each a few kilobytes
_kept: dict = {}
_kept_lock = threading.Lock()


def _frozen(value):
    """``params`` as a key: equal only when the GOV.UK macro would write the same markup
    (Markup and lazy strings are not escaped as plain text is, so they are told apart)."""
    if isinstance(value, dict):
        return ("d", tuple(sorted((key, _frozen(item)) for key, item in value.items())))
    if isinstance(value, list | tuple):
        return ("l", tuple(_frozen(item) for item in value))
    if isinstance(value, Markup):
        return ("m", str(value))
    if isinstance(value, LazyString):
        return ("z", str(value))
    if value is None or isinstance(value, bool | int | float | str):
        return (type(value).__name__, value)
    return ("o", type(value).__name__, str(value))


class KeptRender:
    """For widgets whose options are fixed (radios, checkboxes, a select): the GOV.UK
    macros' markup is a function of the params alone, so it is kept once made, for
    identical params (the texts already translated, the choice already checked, the error
    already worded). Issue 18: the radios macro took a fifth of a letter page. Free text
    (inputs, text areas, passwords) is never kept: what people type stays out of memory."""

    def render(self, params):
        key = (self.template, _frozen(params))
        html = _kept.get(key)
        if html is None:
            html = super().render(params)
            with _kept_lock:
                if len(_kept) >= KEPT_AT_MOST:
                    _kept.pop(next(iter(_kept)))
                _kept[key] = html
        return html


class RadioInput(KeptRender, TranslatedErrorPrefix, LegendFromLabel, gov.GovRadioInput):
    pass


class CheckboxesInput(KeptRender, TranslatedErrorPrefix, LegendFromLabel, gov.GovCheckboxesInput):
    pass


class Select(KeptRender, TranslatedErrorPrefix, gov.GovSelect):
    pass


class SubmitInput(gov.GovSubmitInput):
    pass


class FileInput(TranslatedErrorPrefix, gov.GovFileInput):
    pass


class CheckboxInput(TranslatedErrorPrefix, gov.GovCheckboxInput):
    """A single yes/no checkbox (a BooleanField)."""


def show_refusal(form, field_name: str | None, message) -> list[dict]:
    """Put a rule a service refused beside its field (what was typed stays), or, when no
    field is at fault, return it for the error summary at the top of the page."""
    field = getattr(form, field_name, None) if field_name else None
    if field is not None:
        field.errors = [*field.errors, message]
        return []
    return [{"text": message, "href": "#main-content"}]


# --- The GOV.UK date input: one field for every date the portal asks (issue 15 item 8) ---

DATE_PARTS = ("day", "month", "year")
DATE_EXAMPLE = "27 3 2027"

_MISSING = {
    ("day",): _l("%(label)s must include a day"),
    ("month",): _l("%(label)s must include a month"),
    ("year",): _l("%(label)s must include a year"),
    ("day", "month"): _l("%(label)s must include a day and month"),
    ("day", "year"): _l("%(label)s must include a day and year"),
    ("month", "year"): _l("%(label)s must include a month and year"),
}
_NOT_A_NUMBER = {
    "day": _l("%(label)s must be a real date: the day must be a number from 1 to 31"),
    "month": _l("%(label)s must be a real date: the month must be a number from 1 to 12"),
    "year": _l("%(label)s must be a real date: the year must be 4 numbers, like 2027"),
}
_NOT_REAL = _l("%(label)s must be a real date: that month has no day %(day)s")


class DateParseError(ValueError):
    """A date typed in parts that is not a date; ``parts`` names the parts at fault."""

    def __init__(self, message, parts):
        self.parts = tuple(parts)
        super().__init__(message)


def _part_number(name: str, text: str, low: int, high: int) -> int | None:
    # isdecimal: the digits int() reads (Arabic-Indic ones too), never "²" or a long run.
    longest = 4 if name == "year" else 2
    if not text.isdecimal() or len(text) > longest or (name == "year" and len(text) < 4):
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_date_parts(parts: dict[str, str], label: str) -> dt.date:
    """The date typed as day, month and year, or :class:`DateParseError` naming what is
    missing or wrong, in the GOV.UK wording ("Start date must include a month")."""
    missing = tuple(name for name in DATE_PARTS if not parts[name])
    if missing:
        raise DateParseError(str(_MISSING[missing] % {"label": label}), missing)
    limits = {"day": (1, 31), "month": (1, 12), "year": (1, 9999)}
    numbers = {name: _part_number(name, parts[name], *limits[name]) for name in DATE_PARTS}
    for name in DATE_PARTS:
        if numbers[name] is None:
            raise DateParseError(str(_NOT_A_NUMBER[name] % {"label": label}), (name,))
    try:
        return dt.date(numbers["year"], numbers["month"], numbers["day"])
    except ValueError as error:
        message = _NOT_REAL % {"label": label, "day": numbers["day"]}
        raise DateParseError(str(message), ("day",)) from error


class DateInput(TranslatedErrorPrefix, GovFormBase):
    """The GOV.UK date input for a :class:`DateInputField`: a fieldset whose legend is the
    question, the hint "For example, 27 3 2027", three numeric boxes named
    ``<field>-day``, ``<field>-month`` and ``<field>-year`` (what was typed stays), and only
    the parts at fault marked in error. Rendered by the ``date_input`` macro in
    ``components/forms.html``."""

    template = "components/date_input_field.html"

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        return super().__call__(field, **kwargs)

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.pop("label", None)
        params.pop("name", None)
        params.setdefault("fieldset", {"legend": {"text": field.label.text}})
        params["namePrefix"] = field.name
        params["hint"] = {"html": date_hint(field.description, field.example)}
        params.setdefault("items", [self.item(field, name) for name in DATE_PARTS])
        return params

    @staticmethod
    def item(field, name: str) -> dict:
        wrong = field.errors and name in field.wrong_parts
        width = "govuk-input--width-4" if name == "year" else "govuk-input--width-2"
        return {
            "name": name,
            "label": {"day": _("Day"), "month": _("Month"), "year": _("Year")}[name],
            "classes": f"{width} govuk-input--error" if wrong else width,
            "value": field.typed[name],
            "autocomplete": f"{field.autocomplete}-{name}" if field.autocomplete else None,
        }


def date_hint(description, example: str):
    """The field's own hint (if any) above the example date, each escaped."""
    example_text = _("For example, %(example)s", example=example)
    if not description:
        return escape(example_text)
    return Markup("{}<br>{}").format(description, example_text)


def _parts_of_link(text: str) -> dict[str, str]:
    """The parts of a date given whole in a link or bookmark (``?start=2026-04-01``, as the
    report pages' download links carry it); anything else counts as nothing typed."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return dict.fromkeys(DATE_PARTS, "")
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


class DateInputField(Field):
    """A date asked as day, month and year (the GOV.UK date input pattern), used for every
    date question in the portal. An invalid date keeps what was typed and says which part
    is wrong; ``InputRequired`` (its message) applies when nothing at all was typed. A
    link may give the date whole under the field's own name (ISO, ``2026-04-01``)."""

    widget = DateInput()

    def __init__(
        self, label=None, validators=None, example=DATE_EXAMPLE, autocomplete=None, **kwargs
    ):
        super().__init__(label, validators, **kwargs)
        self.example = example
        self.autocomplete = autocomplete
        self.typed = dict.fromkeys(DATE_PARTS, "")
        self.wrong_parts: tuple[str, ...] = DATE_PARTS

    def process(self, formdata, data=unset_value, extra_filters=None):
        self._formdata = formdata
        super().process(formdata, data, extra_filters)

    def process_data(self, value):
        self.data = value
        if isinstance(value, dt.date):
            self.typed = {"day": str(value.day), "month": str(value.month), "year": str(value.year)}

    def process_formdata(self, valuelist):
        self.typed = {name: self._formdata.get(f"{self.name}-{name}", "") for name in DATE_PARTS}
        self.typed = {name: (text or "").strip() for name, text in self.typed.items()}
        if not any(self.typed.values()) and valuelist:
            self.typed = _parts_of_link(valuelist[0])
        self.raw_data = [" ".join(self.typed.values()).strip()]
        self.data = None
        if not self.raw_data[0]:
            self.raw_data = []
            return
        try:
            self.data = parse_date_parts(self.typed, str(self.label.text))
        except DateParseError as error:
            self.wrong_parts = error.parts
            raise

    def _value(self):
        return " ".join(self.typed.values())
