from wtforms import PasswordField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from portal.auth.password_rules import (
    MIN_PASSWORD_LENGTH,
    PasswordAboutYou,
    PasswordCommon,
    PasswordPredictable,
    PasswordRefused,
    PasswordTooLong,
    PasswordTooShort,
    check_new_password,
)
from portal.auth.passwords import MAX_PASSWORD_LENGTH
from portal.forms import DateInputField, PasswordInput, PortalForm, SubmitInput, TextInput
from portal.translations import lazy_gettext as _l


class SignInForm(PortalForm):
    # No email-format check here: any mistyped address gets the same generic answer as a
    # wrong password, so the form does not reveal which accounts exist.
    email = StringField(
        _l("Email address"),
        widget=TextInput(),
        validators=[
            DataRequired(message=_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        widget=PasswordInput(),
        validators=[
            DataRequired(message=_l("Enter your password")),
            Length(
                max=MAX_PASSWORD_LENGTH,
                message=_l("Password must be %(max)d characters or fewer", max=MAX_PASSWORD_LENGTH),
            ),
        ],
    )
    submit = SubmitField(_l("Sign in"), widget=SubmitInput())


def email_field(label=None):
    return StringField(
        label or _l("Email address"),
        widget=TextInput(),
        render_kw={"type": "email", "autocomplete": "email", "spellcheck": "false"},
        validators=[
            DataRequired(message=_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(message=_l("Enter an email address like name@example.com")),
        ],
    )


def current_password_field():
    return PasswordField(
        _l("Your current password"),
        widget=PasswordInput(),
        render_kw={"autocomplete": "current-password"},
        validators=[
            DataRequired(message=_l("Enter your current password")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
    )


PASSWORD_REFUSALS = {
    PasswordTooShort: _l(
        "Your password must be at least %(min)d characters", min=MIN_PASSWORD_LENGTH
    ),
    PasswordTooLong: _l(
        "Your password must be %(max)d characters or fewer", max=MAX_PASSWORD_LENGTH
    ),
    PasswordCommon: _l(
        "This password is too common and easy to guess. Try three or four unrelated words"
    ),
    PasswordPredictable: _l(
        "This password is a repeat or a run of keys and easy to guess. Try three or four "
        "unrelated words"
    ),
    PasswordAboutYou: _l(
        "Your password must not be made from your name, your email address or our name"
    ),
}


class NewPasswordForm(PortalForm):
    """Choosing a password: length only, no composition rules (NIST SP 800-63B); the
    service refuses common and guessable ones and :meth:`refuse` shows why."""

    password = PasswordField(
        _l("Create a password"),
        widget=PasswordInput(),
        description=_l(
            "At least %(min)d characters. A few unrelated words together are easy to "
            "remember and hard to guess.",
            min=MIN_PASSWORD_LENGTH,
        ),
        render_kw={"autocomplete": "new-password"},
        validators=[DataRequired(message=_l("Create a password"))],
    )
    confirm = PasswordField(
        _l("Type the password again"),
        widget=PasswordInput(),
        render_kw={"autocomplete": "new-password"},
        validators=[
            DataRequired(message=_l("Type the password again")),
            EqualTo("password", message=_l("The passwords do not match")),
        ],
    )
    submit = SubmitField(_l("Save password"), widget=SubmitInput())

    def validate_password(self, field):
        try:
            check_new_password(field.data or "")
        except PasswordRefused as refused:
            raise ValidationError(str(PASSWORD_REFUSALS[type(refused)])) from None

    def refuse(self, refused: PasswordRefused) -> None:
        """Show a refusal the service found (it knows the person's own words)."""
        self.password.errors = [str(PASSWORD_REFUSALS[type(refused)])]


class ForgotPasswordForm(PortalForm):
    email = email_field()
    submit = SubmitField(_l("Send me a link"), widget=SubmitInput())


class AskForInvitationForm(PortalForm):
    reference = StringField(
        _l("Your customer or tenancy reference"),
        widget=TextInput(),
        description=_l("It is on your letters and your rent statement, for example T-100234."),
        validators=[
            DataRequired(message=_l("Enter your customer or tenancy reference")),
            Length(max=20, message=_l("A reference is 20 characters or fewer")),
        ],
    )
    date_of_birth = DateInputField(
        _l("Your date of birth"),
        example="27 3 1980",
        autocomplete="bday",
        validators=[InputRequired(message=_l("Enter your date of birth"))],
    )
    postcode = StringField(
        _l("Your postcode"),
        widget=TextInput(),
        render_kw={"autocomplete": "postal-code"},
        validators=[
            DataRequired(message=_l("Enter your postcode")),
            Length(max=10, message=_l("A postcode is 10 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Send my invitation"), widget=SubmitInput())


class SecondFactorForm(PortalForm):
    code = StringField(
        _l("Code"),
        widget=TextInput(),
        description=_l(
            "The 6-digit code from your authenticator app, or one of your recovery codes."
        ),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
        validators=[
            DataRequired(message=_l("Enter the code")),
            Length(max=20, message=_l("Enter the code")),
        ],
    )
    submit = SubmitField(_l("Continue"), widget=SubmitInput())
