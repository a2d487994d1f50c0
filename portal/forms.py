"""The base of every form, and the form widgets shared by every area.

:class:`PortalForm` refuses hidden characters in every text field of every form (issue 14
item 6): each form in the portal inherits from it, and a test walks the form classes to
keep it so.

The widgets are GOV.UK Frontend markup with translated error prefixes: govuk-frontend-wtf
replaces ``errorMessage`` with the bare error text, which leaves the visually hidden
"Error:" prefix in English; these subclasses put the translated prefix back (FRONTEND.md
§2, caveat 1).
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf import wtforms_widgets as gov
from markupsafe import escape
from wtforms import StringField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from portal.models.vocab import label
from portal.text_input import CONTROL, DIRECTION, hidden_characters

LONG_TEXT = 5000
DATE = {"type": "date"}
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


class RadioInput(TranslatedErrorPrefix, LegendFromLabel, gov.GovRadioInput):
    pass


class CheckboxesInput(TranslatedErrorPrefix, LegendFromLabel, gov.GovCheckboxesInput):
    pass


class Select(TranslatedErrorPrefix, gov.GovSelect):
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
