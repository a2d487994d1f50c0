"""Forms for drafting and publishing a policy version (s9; issue 17)."""

from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.forms import (
    LONG_TEXT,
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
from portal.models.vocab import FeedbackFrom, FeedbackOutcome
from portal.policy import feedback, related
from portal.translations import lazy_gettext as _l

# The policy document is about 40,000 characters; room for it to grow.
POLICY_TEXT = 200_000


class PolicyDraftForm(PortalForm):
    number = StringField(
        _l("Version number"),
        widget=TextInput(),
        description=_l("For example 2.0. It must be different from every other version."),
        validators=[required(_l("Enter the version number")), Length(max=20)],
    )
    full_text = TextAreaField(
        _l("The policy's full text"),
        widget=TextArea(),
        render_kw={"rows": 20},
        validators=[required(_l("Enter the policy's text")), Length(max=POLICY_TEXT)],
    )
    changes = TextAreaField(
        _l("What changed from the version before"),
        widget=TextArea(),
        description=_l("In plain words, for the review pack and for colleagues."),
        validators=[Optional(), Length(max=LONG_TEXT)],
    )
    eia_completed_on = DateInputField(
        _l("Equality Impact Assessment completed on"), validators=[Optional()]
    )
    eia_reviewed_on = DateInputField(
        _l("Equality Impact Assessment reviewed by the Equality and Diversity Manager on"),
        validators=[Optional()],
    )
    approved_on = DateInputField(
        _l("Approved by the senior leadership team on"), validators=[Optional()]
    )
    amendments = TextAreaField(
        _l("Minor amendments made"),
        widget=TextArea(),
        description=_l("When, and what. Leave empty if there were none."),
        validators=[Optional(), Length(max=LONG_TEXT)],
    )
    next_review_on = DateInputField(
        _l("Next review date"),
        description=_l(
            "Within two years of the approval date (policy section 5.4). Left empty, it is "
            "two years from the approval date."
        ),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save the draft"), widget=SubmitInput())


class PublishForm(PortalForm):
    in_force_from = DateInputField(
        _l("In force from"),
        description=_l(
            "Today or later. Decisions made from this date record this version, and letters say so."
        ),
        validators=[InputRequired(message=_l("Enter the date the version comes into force"))],
    )
    submit = SubmitField(_l("Publish this version"), widget=SubmitInput())


class DraftForm(PortalForm):
    """Only the button: the draft starts from the words of the version in force."""

    submit = SubmitField(_l("Draft the next version"), widget=SubmitInput())


def _web_address(_form, field):
    try:
        related.check_address(field.data or "")
    except related.NotAWebAddress:
        raise ValidationError(_l("Enter a web address that starts with https://")) from None


class RelatedDocumentsForm(PortalForm):
    """One address per associated document (s8); empty means not linked."""

    submit = SubmitField(_l("Save the addresses"), widget=SubmitInput())


for _key, _name in related.DOCUMENTS.items():
    setattr(
        RelatedDocumentsForm,
        _key,
        StringField(
            _name,
            widget=TextInput(),
            description=_l(
                "Its web address, starting with https://. Leave empty to list it without a link."
            ),
            validators=[Optional(), Length(max=500), _web_address],
        ),
    )


def _a_section(_form, field):
    if field.data not in feedback.SECTIONS:
        raise ValidationError(_l("Choose which part of the policy it is about"))


class PolicyFeedbackForm(PortalForm):
    """Anyone's feedback on the policy (s5.3), anonymous unless they leave a way to reach
    them. ``started`` is the time trap (portal.policy.feedback)."""

    section = SelectField(
        _l("Which part of the policy is it about?"),
        choices=lambda: options(feedback.SECTIONS.items()),
        widget=Select(),
        # A plain check, not InputRequired: its "required" attribute on a select whose
        # first option is a real choice is invalid HTML.
        validate_choice=False,
        validators=[_a_section],
    )
    text = TextAreaField(
        _l("Your feedback"),
        widget=TextArea(),
        description=_l("What works, what does not, and what you would change."),
        validators=[required(_l("Enter your feedback")), Length(max=LONG_TEXT)],
    )
    given_by = RadioField(
        _l("Are you giving feedback as"),
        choices=choices(FeedbackFrom),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose who you are giving feedback as"))],
    )
    contact_name = StringField(
        _l("Your name (optional)"),
        widget=TextInput(),
        description=_l(
            "Leave your name and a way to reach you only if you would like an answer. "
            "Without them your feedback is anonymous."
        ),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    contact_email = StringField(
        _l("Email address (optional)"),
        widget=TextInput(),
        validators=[Optional(), Length(max=254)],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    contact_phone = StringField(
        _l("Telephone number (optional)"),
        widget=TextInput(),
        validators=[Optional(), Length(max=40)],
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    started = HiddenField()
    submit = SubmitField(_l("Send feedback"), widget=SubmitInput())


class ConsiderFeedbackForm(PortalForm):
    outcome = RadioField(
        _l("What was done with this feedback?"),
        choices=choices(FeedbackOutcome),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose what was done with the feedback"))],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        widget=TextArea(),
        description=_l("For example what will change, or how the person was answered."),
        validators=[Optional(), Length(max=LONG_TEXT)],
    )
    submit = SubmitField(_l("Save"), widget=SubmitInput())
