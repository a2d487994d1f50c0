"""Radios, checkboxes and selects keep their GOV.UK markup once made (portal/forms.py,
issue 18): kept markup is exactly what the macro writes for the same params, in every
language, with a choice checked or an error shown, and never for what people type."""

from flask_babel import force_locale
from govuk_frontend_wtf import wtforms_widgets as gov
from werkzeug.datastructures import MultiDict

from portal import forms
from portal.letters.forms import LetterChoiceForm


class PlainRadios(forms.TranslatedErrorPrefix, forms.LegendFromLabel, gov.GovRadioInput):
    """The portal's radios without KeptRender: the macro's markup, made every time."""


def _fresh(field) -> str:
    return str(PlainRadios()(field))


def test_kept_markup_is_the_macros_own(app):
    with app.test_request_context():
        for code in ("en_GB", "cy", "ar"):
            with force_locale(code):
                for data in ({}, {"locale": "pl", "letter_format": "large-print"}):
                    form = LetterChoiceForm(formdata=MultiDict(data), meta={"csrf": False})
                    form.validate()  # with no data: the errors are in the markup too
                    for field in (form.locale, form.letter_format):
                        first, again = str(field()), str(field())
                        assert first == again == _fresh(field), (code, data, field.name)


def test_what_differs_is_not_confused(app):
    with app.test_request_context():
        chosen = LetterChoiceForm(formdata=MultiDict({"locale": "pl"}), meta={"csrf": False})
        other = LetterChoiceForm(formdata=MultiDict({"locale": "cy"}), meta={"csrf": False})
        assert 'value="pl" checked' in str(chosen.locale())
        assert 'value="cy" checked' in str(other.locale())
        with force_locale("cy"):
            welsh = str(LetterChoiceForm(meta={"csrf": False}).letter_format())
        assert welsh != str(LetterChoiceForm(meta={"csrf": False}).letter_format())
    # A Markup value and the same text as plain text are different keys.
    assert forms._frozen({"html": forms.Markup("<b>")}) != forms._frozen({"html": "<b>"})


def test_typed_text_is_never_kept():
    for widget in (forms.TextInput, forms.TextArea, forms.PasswordInput, forms.FileInput):
        assert not issubclass(widget, forms.KeptRender), widget
    for widget in (forms.RadioInput, forms.CheckboxesInput, forms.Select):
        assert issubclass(widget, forms.KeptRender), widget
