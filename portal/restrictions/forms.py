"""The restriction proposal and review forms (s3.2–s3.5)."""

from wtforms import (
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
    LONG_TEXT,
    TIME,
    CheckboxesInput,
    DateInputField,
    PortalForm,
    RadioInput,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
    choices,
    options,
    required,
)
from portal.models.vocab import (
    MAX_RESTRICTION_MONTHS,
    RESTRICTABLE_CHANNELS,
    ContactChannel,
    QuotaPeriod,
    RestrictionOption,
    ReviewFrequency,
    ReviewOutcome,
)
from portal.restrictions.rules import MeasureSpec
from portal.restrictions.services import Proposal
from portal.translations import lazy_gettext as _l

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


# s3.2's options in the order the form offers them; each reveals its own details.
MEASURE_ORDER = (
    RestrictionOption.SINGLE_POINT_OF_CONTACT,
    RestrictionOption.SINGLE_CHANNEL,
    RestrictionOption.SET_TIMES,
    RestrictionOption.CONTACT_LIMIT,
    RestrictionOption.COMPLAINT_DECLINED,
    RestrictionOption.PREMISES_BARRED,
    RestrictionOption.ADVOCATE_OFFERED,
)


class ProposalForm(PortalForm):
    starts_on = DateInputField(
        _l("Start date"),
        validators=[InputRequired(message=_l("Enter the start date"))],
    )
    ends_on = DateInputField(
        _l("End date"),
        description=_l(
            "No more than %(months)d months after the start (policy section 3.5).",
            months=MAX_RESTRICTION_MONTHS,
        ),
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
    measures = SelectMultipleField(
        _l("What will the restriction do? (policy section 3.2)"),
        description=_l("Choose only what is needed, then give the details of each."),
        choices=choices(RestrictionOption, members=MEASURE_ORDER),
        widget=CheckboxesInput(),
    )
    single_point_of_contact_id = SelectField(
        _l("Who will be the single point of contact?"),
        coerce=int,
        widget=Select(),
        validators=[Optional()],
    )
    permitted_channel = RadioField(
        _l("Only way the customer may contact us"),
        choices=choices(None, members=RESTRICTABLE_CHANNELS),
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
        choices=choices(QuotaPeriod),
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


class RejectForm(PortalForm):
    rejection_reason = TextAreaField(
        _l("Why is it not approved?"),
        widget=TextArea(),
        validators=[required(_l("Enter why it is not approved")), Length(max=LONG_TEXT)],
    )
    submit = SubmitField(_l("Do not approve"), widget=SubmitInput())


class ReviewForm(PortalForm):
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
    new_ends_on = DateInputField(
        _l("New end date (if kept)"),
        description=_l("No more than six months from today (policy section 3.5)."),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save review"), widget=SubmitInput())


# Turning the filled-in form into a proposal: one small reader per chosen s3.2 option,
# giving the option's measure with whatever details were filled in (the rules then check
# them). Details of an option not chosen are ignored, even when the browser sent them.


def _spoc(form, _today):
    return MeasureSpec(
        RestrictionOption.SINGLE_POINT_OF_CONTACT,
        single_point_of_contact_id=form.single_point_of_contact_id.data or None,
    )


def _channel(form, _today):
    channel = form.permitted_channel.data
    return MeasureSpec(
        RestrictionOption.SINGLE_CHANNEL,
        permitted_channel=ContactChannel(channel) if channel else None,
    )


def _times(form, _today):
    return MeasureSpec(
        RestrictionOption.SET_TIMES,
        permitted_weekdays=frozenset(int(d) for d in form.permitted_weekdays.data or ()),
        permitted_from=form.permitted_from.data,
        permitted_until=form.permitted_until.data,
    )


def _limit(form, _today):
    period = form.limit_period.data
    return MeasureSpec(
        RestrictionOption.CONTACT_LIMIT,
        contact_limit=form.contact_limit.data,
        limit_period=QuotaPeriod(period) if period else None,
    )


def _complaint(form, _today):
    return MeasureSpec(
        RestrictionOption.COMPLAINT_DECLINED,
        declined_complaint_reference=form.declined_complaint_reference.data or None,
        declined_complaint_reason=form.declined_complaint_reason.data or None,
    )


def _premises(form, _today):
    return MeasureSpec(
        RestrictionOption.PREMISES_BARRED, barred_premises=(form.barred_premises.data or "").strip()
    )


def _advocate(_form, today):
    return MeasureSpec(RestrictionOption.ADVOCATE_OFFERED, advocate_offered_on=today)


MEASURE_READERS = {
    RestrictionOption.SINGLE_POINT_OF_CONTACT: _spoc,
    RestrictionOption.SINGLE_CHANNEL: _channel,
    RestrictionOption.SET_TIMES: _times,
    RestrictionOption.CONTACT_LIMIT: _limit,
    RestrictionOption.COMPLAINT_DECLINED: _complaint,
    RestrictionOption.PREMISES_BARRED: _premises,
    RestrictionOption.ADVOCATE_OFFERED: _advocate,
}


def proposal_from(form: ProposalForm, today) -> Proposal:
    """The restriction the officer proposes, as the service takes it (s3.2)."""
    chosen = [RestrictionOption(value) for value in form.measures.data or ()]
    measures = [MEASURE_READERS[option](form, today) for option in chosen]
    return Proposal(
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        review_frequency=ReviewFrequency(form.review_frequency.data),
        reason=form.reason.data,
        measures=measures,
        incident_ids=form.incident_ids.data or [],
        needs_conflict_justification=form.needs_conflict_justification.data or "",
    )
