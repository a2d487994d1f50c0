"""Form widgets shared by every area: GOV.UK Frontend markup with translated error prefixes.

govuk-frontend-wtf replaces ``errorMessage`` with the bare error text, which leaves the
visually hidden "Error:" prefix in English; these subclasses put the translated prefix
back (FRONTEND.md §2, caveat 1).
"""

from flask_babel import gettext as _
from govuk_frontend_wtf import wtforms_widgets as gov
from markupsafe import escape
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from portal.models.vocab import label

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


class RadioInput(TranslatedErrorPrefix, gov.GovRadioInput):
    pass


class CheckboxesInput(TranslatedErrorPrefix, gov.GovCheckboxesInput):
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
