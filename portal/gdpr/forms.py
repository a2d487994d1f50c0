"""Forms of the data steward's pages."""

from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.forms import (
    LONG_TEXT,
    DateInputField,
    PortalForm,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
    required,
)
from portal.translations import lazy_gettext as _l


class FindCustomerForm(PortalForm):
    reference = StringField(
        _l("Customer reference"),
        widget=TextInput(),
        validators=[required(_l("Enter the customer reference")), Length(max=20)],
    )
    submit = SubmitField(_l("Find customer"), widget=SubmitInput())


class SubjectAccessForm(PortalForm):
    received_on = DateInputField(
        _l("When did we receive the request?"),
        validators=[InputRequired(message=_l("Enter the date the request was received"))],
    )
    submit = SubmitField(_l("Record the request and make the export"), widget=SubmitInput())


class PlaceHoldForm(PortalForm):
    case_id = SelectField(_l("What does the hold cover?"), widget=Select(), coerce=str)
    reason = TextAreaField(
        _l("Why is the hold needed?"),
        widget=TextArea(),
        validators=[required(_l("Say why the hold is needed")), Length(max=LONG_TEXT)],
    )
    submit = SubmitField(_l("Place legal hold"), widget=SubmitInput())


class LiftHoldForm(PortalForm):
    lift_reason = TextAreaField(
        _l("Why can the hold be lifted?"),
        widget=TextArea(),
        validators=[required(_l("Say why the hold can be lifted")), Length(max=LONG_TEXT)],
    )
    submit = SubmitField(_l("Lift legal hold"), widget=SubmitInput())
