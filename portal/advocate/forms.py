"""Advocate forms: a customer's nomination (s3.2, s6.1), staff recording one with the
customer's consent, and the invited person's new account."""

from wtforms import (
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from portal.auth.forms import NewPasswordForm
from portal.forms import (
    LONG_TEXT,
    CheckboxesInput,
    DateInputField,
    PortalForm,
    RadioInput,
    SubmitInput,
    TextArea,
    TextInput,
    choices,
    options,
    required,
)
from portal.models.vocab import AdvocateRelationship
from portal.translations import lazy_gettext as _l

SCOPE_LABELS = {
    "view": _l("See my restrictions, letters and decisions"),
    "act": _l("Appeal or ask for a reconsideration for me"),
    "copies": _l("Get an email when I have a new letter"),
}


class NominationForm(PortalForm):
    name = StringField(
        _l("Their full name"),
        widget=TextInput(),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
        validators=[required(_l("Enter their full name")), Length(max=120)],
    )
    email = StringField(
        _l("Their email address"),
        widget=TextInput(),
        description=_l("We will email them a link to accept."),
        render_kw={"type": "email", "autocomplete": "off", "spellcheck": "false"},
        validators=[
            required(_l("Enter their email address")),
            Email(message=_l("Enter an email address like name@example.com")),
            Length(max=254),
        ],
    )
    relationship = RadioField(
        _l("How do you know them?"),
        choices=choices(AdvocateRelationship),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose how you know them"))],
    )
    scope = SelectMultipleField(
        _l("What can they do for you?"),
        choices=options(SCOPE_LABELS.items()),
        widget=CheckboxesInput(),
        description=_l("Choose all that apply. You can change your mind at any time."),
        validators=[InputRequired(message=_l("Choose what this person can do for you"))],
    )
    expires_on = DateInputField(
        _l("End date (optional)"),
        description=_l("Leave this empty if they can help you until you stop it."),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Send the invitation"), widget=SubmitInput())


class StaffNominationForm(NominationForm):
    consent_evidence = TextAreaField(
        _l("Evidence of the customer's consent"),
        widget=TextArea(),
        description=_l("For example: signed consent form received on 3 March, scanned to file."),
        validators=[
            required(_l("Say what shows the customer agreed to this advocate")),
            Length(max=LONG_TEXT),
        ],
    )
    submit = SubmitField(_l("Record the advocate and send the invitation"), widget=SubmitInput())


class AcceptInvitationForm(PortalForm):
    submit = SubmitField(_l("Accept"), widget=SubmitInput())


class NewAdvocateAccountForm(NewPasswordForm):
    """The invited person's account: one password rule for everyone (issue 13)."""

    display_name = StringField(
        _l("Your name"),
        widget=TextInput(),
        render_kw={"autocomplete": "name"},
        validators=[required(_l("Enter your name")), Length(max=120)],
    )
    submit = SubmitField(_l("Create account and accept"), widget=SubmitInput())

    def __iter__(self):  # the name comes first on the page
        order = ["csrf_token", "display_name", "password", "confirm", "submit"]
        return iter([self[name] for name in order if name in self._fields])


class RevokeForm(PortalForm):
    submit = SubmitField(_l("Yes, stop them acting for me"), widget=SubmitInput())


class ChangeScopeForm(PortalForm):
    """What the advocate may do besides seeing the customer's records (always granted)."""

    scope = SelectMultipleField(
        _l("What can they do for you?"),
        choices=options((key, SCOPE_LABELS[key]) for key in ("act", "copies")),
        widget=CheckboxesInput(),
        description=_l("They can always see your restrictions, letters and decisions."),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save what they can do"), widget=SubmitInput())
