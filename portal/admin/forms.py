from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from portal.auth.forms import email_field
from portal.forms import CheckboxesInput, PortalForm, SubmitInput, TextInput, choices
from portal.models.vocab import STAFF_ROLES, Role
from portal.translations import lazy_gettext as _l

STAFF_ROLE_ORDER = [role for role in Role if role in STAFF_ROLES]


def roles_field():
    return SelectMultipleField(
        _l("Roles"),
        choices=choices(Role, STAFF_ROLE_ORDER),
        widget=CheckboxesInput(),
        description=_l("Choose all that apply. Admins manage accounts and never see cases."),
        validators=[InputRequired(message=_l("Choose at least one role"))],
    )


class InviteColleagueForm(PortalForm):
    display_name = StringField(
        _l("Full name"),
        widget=TextInput(),
        validators=[DataRequired(message=_l("Enter their full name")), Length(max=120)],
    )
    email = email_field(_l("Work email address"))
    roles = roles_field()
    submit = SubmitField(_l("Send the invitation"), widget=SubmitInput())


class RolesForm(PortalForm):
    roles = roles_field()
    submit = SubmitField(_l("Save roles"), widget=SubmitInput())


class ActionForm(PortalForm):
    """A button that changes the account (disable, enable, reset the second factor)."""

    submit = SubmitField(_l("Confirm"), widget=SubmitInput())
