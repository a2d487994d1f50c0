"""Case forms. Labels and messages are translatable; rules live in services."""

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from portal.forms import (
    DATE_TIME,
    LONG_TEXT,
    CheckboxesInput,
    CheckboxInput,
    DateInputField,
    FileInput,
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
from portal.models.vocab import BehaviourType, ContactChannel, EscalationKind, InformalStepKind
from portal.translations import lazy_gettext as _l
from portal.uploads import MAX_FILES, EvidenceFiles


class IncidentForm(PortalForm):
    behaviours = SelectMultipleField(
        _l("What kind of behaviour was it?"),
        choices=choices(BehaviourType),
        widget=CheckboxesInput(),
        description=_l(
            "Choose all that apply. Being assertive or determined is not unacceptable "
            "behaviour (policy section 3.1)."
        ),
        validators=[required(_l("Choose at least one kind of behaviour (policy section 3.1)."))],
    )
    occurred_at = DateTimeLocalField(
        _l("When did it happen?"),
        format="%Y-%m-%dT%H:%M",
        widget=TextInput(),
        render_kw=DATE_TIME,
        validators=[InputRequired(message=_l("Enter the date and time of the incident"))],
    )
    channel = RadioField(
        _l("How was the contact made?"),
        choices=choices(ContactChannel),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose how the contact was made"))],
    )
    description = TextAreaField(
        _l("What happened?"),
        widget=TextArea(),
        description=_l("Describe what was said or done, factually. The customer may read this."),
        validators=[required(_l("Describe what happened")), Length(max=LONG_TEXT)],
    )
    reported_by = StringField(
        _l("Who reported it?"),
        widget=TextInput(),
        validators=[required(_l("Enter who reported the incident")), Length(max=200)],
    )
    attachments = MultipleFileField(
        _l("Attachments (optional)"),
        widget=FileInput(multiple=True),
        description=_l(
            "Up to %(count)d files: PDF, JPG, PNG or Word (DOCX), each smaller than 5 MB. "
            "If the form shows an error, choose the files again.",
            count=MAX_FILES,
        ),
        validators=[EvidenceFiles()],
    )
    submit = SubmitField(_l("Save incident"), widget=SubmitInput())


class InformalStepForm(PortalForm):
    kind = RadioField(
        _l("What informal step was taken?"),
        choices=choices(InformalStepKind),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose the kind of step"))],
    )
    taken_on = DateInputField(
        _l("Date of the step"),
        validators=[InputRequired(message=_l("Enter the date of the step"))],
    )
    description = TextAreaField(
        _l("What was done or said?"),
        widget=TextArea(),
        validators=[required(_l("Describe the step")), Length(max=LONG_TEXT)],
    )
    outcome = TextAreaField(
        _l("What was the outcome?"),
        widget=TextArea(),
        validators=[
            required(_l("Enter the outcome of the step (policy section 3.2)")),
            Length(max=LONG_TEXT),
        ],
    )
    support_organisation = StringField(
        _l("Support organisation (for a support referral)"),
        widget=TextInput(),
        validators=[Optional(), Length(max=200)],
    )
    submit = SubmitField(_l("Save informal step"), widget=SubmitInput())


class NeedsConsiderationForm(PortalForm):
    needs_summary = TextAreaField(
        _l("What needs does the customer have?"),
        widget=TextArea(),
        description=_l(
            "Medical conditions, disability, mental health or neurodiversity, "
            "language, literacy, preferred format (policy section 6.1)."
        ),
        validators=[
            required(_l("Record the customer's needs, or that none are known")),
            Length(max=LONG_TEXT),
        ],
    )
    medical_or_support_considerations = TextAreaField(
        _l("Medical or support considerations"),
        widget=TextArea(),
        validators=[Length(max=LONG_TEXT)],
    )
    could_be_unmet_need = BooleanField(
        _l("The behaviour could be caused by an unmet communication or support need"),
        widget=CheckboxInput(),
    )
    unmet_need_notes = TextAreaField(
        _l("What might the unmet need be?"), widget=TextArea(), validators=[Length(max=LONG_TEXT)]
    )
    advocate_considered = BooleanField(
        _l("We considered whether someone could represent the customer (policy section 6.1)"),
        widget=CheckboxInput(),
    )
    advocate_notes = TextAreaField(
        _l("Notes about an advocate"), widget=TextArea(), validators=[Length(max=LONG_TEXT)]
    )
    multi_agency_needed = BooleanField(
        _l("A multi-agency approach is needed (policy section 6.2)"), widget=CheckboxInput()
    )
    multi_agency_notes = TextAreaField(
        _l("Which organisations support the customer?"),
        widget=TextArea(),
        validators=[Length(max=LONG_TEXT)],
    )
    adjustments_made = TextAreaField(
        _l("How will any restriction be tailored to these needs?"),
        widget=TextArea(),
        validators=[Length(max=LONG_TEXT)],
    )
    submit = SubmitField(_l("Save needs consideration"), widget=SubmitInput())

    def validate_advocate_considered(self, field):
        from wtforms.validators import ValidationError

        if not field.data:
            raise ValidationError(
                _l(
                    "Consider whether someone could represent the customer "
                    "before going further (policy section 6.1)"
                )
            )


class TerminatedCallForm(PortalForm):
    ended_at = DateTimeLocalField(
        _l("When was the call ended?"),
        format="%Y-%m-%dT%H:%M",
        widget=TextInput(),
        render_kw=DATE_TIME,
        validators=[InputRequired(message=_l("Enter when the call was ended"))],
    )
    customer_warned_first = RadioField(
        _l("Was the customer told why their behaviour was unacceptable before the call ended?"),
        choices=options([("yes", _l("Yes")), ("no", _l("No"))]),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Say whether the customer was warned first"))],
    )
    reason = TextAreaField(
        _l("Why was the call ended?"),
        widget=TextArea(),
        validators=[required(_l("Enter why the call was ended")), Length(max=LONG_TEXT)],
    )
    submit = SubmitField(_l("Save ended call"), widget=SubmitInput())


class EscalationForm(PortalForm):
    kind = RadioField(
        _l("Which step?"),
        choices=choices(EscalationKind),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose the step"))],
    )
    reason = TextAreaField(
        _l("Why is this step needed?"),
        widget=TextArea(),
        validators=[required(_l("Enter the reason (policy section 3.3)")), Length(max=LONG_TEXT)],
    )
    # The list starts with an empty "Choose" option (a required list must not start with a
    # real choice, or the first name is chosen for someone who skipped the question).
    approver_id = SelectField(
        _l("Who approved it?"),
        coerce=lambda value: int(value) if value not in ("", None) else None,
        widget=Select(),
        validators=[InputRequired(message=_l("Choose who approved it"))],
    )
    decided_on = DateInputField(
        _l("Date approved"),
        validators=[InputRequired(message=_l("Enter the date approved"))],
    )
    submit = SubmitField(_l("Save escalation"), widget=SubmitInput())


class CloseReferralForm(PortalForm):
    outcome = TextAreaField(
        _l("What was done?"),
        widget=TextArea(),
        description=_l("For example: visited the customer, warned about conduct, police informed."),
        validators=[required(_l("Enter what was done about the referral")), Length(max=LONG_TEXT)],
    )
    submit = SubmitField(_l("Close referral"), widget=SubmitInput())


class ComplaintRefusalForm(PortalForm):
    complaint_reference = StringField(
        _l("Complaint reference"),
        widget=TextInput(),
        validators=[required(_l("Enter the complaint's reference")), Length(max=40)],
    )
    reason = TextAreaField(
        _l("Why will we no longer consider it?"),
        widget=TextArea(),
        description=_l(
            "Say how the complaint has been pursued unreasonably. The customer reads this in "
            "the letter, and can appeal or ask for reconsideration."
        ),
        validators=[
            required(_l("Enter why the complaint will not be considered further")),
            Length(max=LONG_TEXT),
        ],
    )
    decided_on = DateInputField(
        _l("Date of the decision"),
        validators=[InputRequired(message=_l("Enter the date of the decision"))],
    )
    submit = SubmitField(_l("Save the decision"), widget=SubmitInput())
