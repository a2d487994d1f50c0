"""Forms for drafting and publishing a policy version (s9; issue 17)."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.forms import (
    LONG_TEXT,
    DateInputField,
    PortalForm,
    SubmitInput,
    TextArea,
    TextInput,
    required,
)
from portal.policy import related

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
