from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from portal.auth.forms import NewPasswordForm, current_password_field, email_field
from portal.forms import PortalForm, SubmitInput, TextInput
from portal.translations import lazy_gettext as _l


class ChangePasswordForm(NewPasswordForm):
    current_password = current_password_field()
    submit = SubmitField(_l("Change password"), widget=SubmitInput())

    def __iter__(self):  # the current password comes first on the page
        order = ["csrf_token", "current_password", "password", "confirm", "submit"]
        return iter([self[name] for name in order if name in self._fields])


class ChangeEmailForm(PortalForm):
    email = email_field(_l("New email address"))
    current_password = current_password_field()
    submit = SubmitField(_l("Send a link to the new address"), widget=SubmitInput())


class ConfirmForm(PortalForm):
    submit = SubmitField(_l("Confirm"), widget=SubmitInput())


class ReauthenticateForm(PortalForm):
    current_password = current_password_field()
    submit = SubmitField(_l("Continue"), widget=SubmitInput())


class SetUpCodeForm(PortalForm):
    code = StringField(
        _l("Code from the app"),
        widget=TextInput(),
        description=_l("The 6-digit code your authenticator app shows for this account."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
        validators=[
            DataRequired(message=_l("Enter the code")),
            Length(max=20, message=_l("Enter the code")),
        ],
    )
    submit = SubmitField(_l("Turn on"), widget=SubmitInput())
