"""Letter forms: choosing a letter to write, issuing it, and a customer's lasting choice
of language and format."""

from wtforms import RadioField, SelectField, SubmitField
from wtforms.validators import InputRequired

from portal.config import LOCALE_NAMES, SUPPORTED_LOCALES
from portal.forms import PortalForm, RadioInput, Select, SubmitInput, options
from portal.translations import lazy_gettext as _l

FORMAT_LABELS = {
    "html": _l("Web page (HTML)"),
    "pdf": _l("PDF"),
    "large-print": _l("Large print PDF"),
    "easy-read": _l("Easy read PDF, with pictures"),
    "text": _l("Plain text, for screen readers"),
    "audio": _l("Audio (MP3), read by a computer voice"),
    "braille": _l("Braille-ready file (BRF), for an embosser or braille display"),
}


def format_label(slug: str):
    return FORMAT_LABELS[slug]


def _language_options():
    return options((code, LOCALE_NAMES[code]) for code in SUPPORTED_LOCALES)


def letter_choices(possible):
    return options((p.key, f"{p.kind_label} – {p.about}") for p in possible)


class NewLetterForm(PortalForm):
    letter = RadioField(
        _l("Which letter do you want to write?"),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose a letter"))],
    )
    submit = SubmitField(_l("Write the letter"), widget=SubmitInput())


class IssueLetterForm(PortalForm):
    locale = SelectField(
        _l("Language of the letter"),
        choices=_language_options(),
        widget=Select(),
        description=_l(
            "The customer's preferred language is chosen for you. They can also read it in "
            "English and every other language the portal has."
        ),
        validators=[InputRequired(message=_l("Choose a language"))],
    )
    needs_post = RadioField(
        _l("Does a paper copy need to be posted?"),
        choices=options([("yes", _l("Yes, add it to the print batch")), ("no", _l("No"))]),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Say whether a paper copy is needed"))],
    )
    submit = SubmitField(_l("Issue the letter"), widget=SubmitInput())


class LetterChoiceForm(PortalForm):
    locale = RadioField(
        _l("Language"),
        choices=_language_options(),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose a language"))],
    )
    letter_format = RadioField(
        _l("Format"),
        choices=options(FORMAT_LABELS.items()),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose a format"))],
    )
    submit = SubmitField(_l("Use these for all my letters"), widget=SubmitInput())
