from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from portal.auth.passwords import MAX_PASSWORD_LENGTH
from portal.forms import PasswordInput, SubmitInput, TextInput


class SignInForm(FlaskForm):
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
