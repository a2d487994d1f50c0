"""The restriction proposal and review forms (s3.2–s3.5)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, Optional

from portal.forms import (
    DATE,
    LONG_TEXT,
    TIME,
    CheckboxesInput,
    CheckboxInput,
    RadioInput,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
    choices,
    options,
    required,
)
from portal.models.vocab import RESTRICTABLE_CHANNELS, QuotaPeriod, ReviewFrequency, ReviewOutcome

WEEKDAYS_PAIRS = [
    ("0", _l("Monday")),
    ("1", _l("Tuesday")),
    ("2", _l("Wednesday")),
    ("3", _l("Thursday")),
    ("4", _l("Friday")),
    ("5", _l("Saturday")),
    ("6", _l("Sunday")),
]
WEEKDAYS = options(WEEKDAYS_PAIRS)


class ProposalForm(FlaskForm):
    starts_on = DateField(
        _l("Start date"),
        widget=TextInput(),
        render_kw=DATE,
        validators=[InputRequired(message=_l("Enter the start date"))],
    )
    ends_on = DateField(
        _l("End date"),
        widget=TextInput(),
        render_kw=DATE,
        description=_l("No more than six months after the start (policy section 3.5)."),
        validators=[InputRequired(message=_l("Enter the end date (policy section 3.5)"))],
    )
    review_frequency = RadioField(
        _l("How often will it be reviewed? (policy section 3.4)"),
        choices=choices(ReviewFrequency),
        widget=RadioInput(),
        validators=[
            InputRequired(message=_l("Choose how often it will be reviewed (policy section 3.4)"))
        ],
    )
    reason = TextAreaField(
        _l("Why is it needed?"),
        widget=TextArea(),
        description=_l("The customer will read this in their letter and online."),
        validators=[required(_l("Enter why the restriction is needed")), Length(max=LONG_TEXT)],
    )
    incident_ids = SelectMultipleField(
        _l("Which incidents is it for?"), coerce=int, widget=CheckboxesInput(), validate_choice=True
    )
    single_point_of_contact_id = SelectField(
        _l("Single point of contact"), coerce=int, widget=Select(), validators=[Optional()]
    )
    permitted_channel = RadioField(
        _l("Only way the customer may contact us"),
        choices=options([("", _l("No limit on the way of contacting"))])
        + choices(None, members=RESTRICTABLE_CHANNELS),
        default="",
        widget=RadioInput(),
        validators=[Optional()],
    )
    permitted_weekdays = SelectMultipleField(
        _l("Days when contact is allowed"), choices=WEEKDAYS, widget=CheckboxesInput()
    )
    permitted_from = TimeField(
        _l("Contact allowed from"), widget=TextInput(), render_kw=TIME, validators=[Optional()]
    )
    permitted_until = TimeField(
        _l("Contact allowed until"), widget=TextInput(), render_kw=TIME, validators=[Optional()]
    )
    contact_limit = IntegerField(
        _l("Most contacts allowed"),
        widget=TextInput(),
        render_kw={"inputmode": "numeric"},
        validators=[Optional()],
    )
    limit_period = RadioField(
        _l("Per"),
        choices=options([("", _l("No limit"))]) + choices(QuotaPeriod),
        default="",
        widget=RadioInput(),
        validators=[Optional()],
    )
    declined_complaint_reference = StringField(
        _l("Complaint no longer considered: reference"),
        widget=TextInput(),
        validators=[Optional(), Length(max=100)],
    )
    declined_complaint_reason = TextAreaField(
        _l("Why the complaint will not be considered further"),
        widget=TextArea(),
        validators=[Optional(), Length(max=LONG_TEXT)],
    )
    barred_premises = TextAreaField(
        _l("Offices, hubs or events the customer must not attend"),
        description=_l("One place per line."),
        widget=TextArea(),
        validators=[Optional(), Length(max=LONG_TEXT)],
    )
    advocate_offered = BooleanField(
        _l("We have offered the customer an advocate"), widget=CheckboxInput()
    )
    needs_conflict_justification = TextAreaField(
        _l("If this clashes with a recorded need, why is it still right?"),
        widget=TextArea(),
        description=_l(
            "Needed only when the portal finds a clash with the customer's needs "
            "(policy section 6.1)."
        ),
        validators=[Optional(), Length(max=LONG_TEXT)],
    )
    submit = SubmitField(_l("Propose restriction"), widget=SubmitInput())


class RejectForm(FlaskForm):
    rejection_reason = TextAreaField(
        _l("Why is it not approved?"),
        widget=TextArea(),
        validators=[required(_l("Enter why it is not approved")), Length(max=LONG_TEXT)],
    )
    submit = SubmitField(_l("Do not approve"), widget=SubmitInput())


class ReviewForm(FlaskForm):
    behaviour_improved = RadioField(
        _l("Has the behaviour improved?"),
        choices=options([("yes", _l("Yes")), ("no", _l("No"))]),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Say whether the behaviour has improved"))],
    )
    outcome = RadioField(
        _l("Outcome of the review"),
        choices=choices(ReviewOutcome),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose the outcome"))],
    )
    explanation = TextAreaField(
        _l("Explanation for the customer"),
        widget=TextArea(),
        description=_l(
            "If the restriction stays, explain why and for how long (policy section 3.4)."
        ),
        validators=[Length(max=LONG_TEXT)],
    )
    new_ends_on = DateField(
        _l("New end date (if kept)"),
        widget=TextInput(),
        render_kw=DATE,
        description=_l("No more than six months from today (policy section 3.5)."),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save review"), widget=SubmitInput())
