from wtforms import (
    BooleanField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from portal.forms import (
    DATE_TIME,
    LONG_TEXT,
    CheckboxInput,
    PortalForm,
    RadioInput,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
    choices,
    required,
)
from portal.models.vocab import ContactChannel
from portal.translations import lazy_gettext as _l


class ContactForm(PortalForm):
    occurred_at = DateTimeLocalField(
        _l("When did the customer make contact?"),
        format="%Y-%m-%dT%H:%M",
        widget=TextInput(),
        render_kw=DATE_TIME,
        validators=[InputRequired(message=_l("Enter when the customer made contact"))],
    )
    channel = RadioField(
        _l("How did they make contact?"),
        choices=choices(ContactChannel),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose how they made contact"))],
    )
    is_emergency = BooleanField(
        _l("It is an emergency (an urgent repair or a safeguarding concern): always accepted"),
        widget=CheckboxInput(),
    )
    is_new_complaint = BooleanField(
        _l("It is a new complaint: always accepted"), widget=CheckboxInput()
    )
    via_single_point_of_contact = BooleanField(
        _l("It came through the single point of contact"), widget=CheckboxInput()
    )
    at_premises = StringField(
        _l("Office, hub or event, if in person"),
        widget=TextInput(),
        validators=[Optional(), Length(max=200)],
    )
    case_id = SelectField(_l("Case"), coerce=int, widget=Select(), validators=[Optional()])
    summary = TextAreaField(
        _l("What was it about?"),
        widget=TextArea(),
        validators=[required(_l("Enter what the contact was about")), Length(max=LONG_TEXT)],
    )
    placed_on_file = BooleanField(_l("Placed on file without a reply"), widget=CheckboxInput())
    submit = SubmitField(_l("Log contact"), widget=SubmitInput())
