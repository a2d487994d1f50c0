"""The customer's "Your needs" page (s6.1, s6.5; the Accessible Information Standard's
ask–record–flag model: what the customer says here is flagged to staff)."""

from wtforms import BooleanField, HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.config import LOCALE_NAMES, SUPPORTED_LOCALES
from portal.forms import (
    LONG_TEXT,
    CheckboxInput,
    PortalForm,
    RadioInput,
    SubmitInput,
    TextArea,
    options,
)
from portal.letters.forms import FORMAT_LABELS
from portal.translations import lazy_gettext as _l

CHANNEL_LABELS = {
    "": _l("No preference"),
    "writing": _l("Letter"),
    "email": _l("Email"),
    "telephone": _l("Telephone"),
    "in_person": _l("In person"),
}


class NeedsForm(PortalForm):
    locale = RadioField(
        _l("Which language do you want us to use?"),
        choices=options((code, LOCALE_NAMES[code]) for code in SUPPORTED_LOCALES),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose a language"))],
    )
    letter_format = RadioField(
        _l("How do you want to get your letters?"),
        choices=options(FORMAT_LABELS.items()),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose a format"))],
    )
    channel = RadioField(
        _l("How do you prefer us to contact you?"),
        choices=options(CHANNEL_LABELS.items()),
        widget=RadioInput(),
        default="",
        validators=[],
    )
    finds_writing_difficult = BooleanField(
        _l("Reading or writing is difficult for me"), widget=CheckboxInput()
    )
    cannot_use_telephone = BooleanField(
        _l("I cannot use the telephone (for example, I am deaf or hard of hearing)"),
        widget=CheckboxInput(),
    )
    needs_in_person_access = BooleanField(
        _l("I can only get help in person"), widget=CheckboxInput()
    )
    support_needs = TextAreaField(
        _l("Anything else we should know about your needs (optional)"),
        widget=TextArea(),
        description=_l(
            "For example: a health condition, a disability, or support you get from another "
            "organisation. Your case officer will see this."
        ),
        validators=[Length(max=LONG_TEXT, message=_l("This must be %(max)d characters or fewer"))],
    )
    # Which saved needs the form was filled in from (customer_side.services.needs_version):
    # a save made from an older version is refused rather than undoing someone's change.
    version = HiddenField()
    submit = SubmitField(_l("Save my needs"), widget=SubmitInput())
