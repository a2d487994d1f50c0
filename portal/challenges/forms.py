"""Challenge forms, one question per page (GOV.UK "one thing per page")."""

from wtforms import MultipleFileField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.challenges.rules import REASONS_MAX
from portal.forms import (
    DateInputField,
    FileInput,
    PortalForm,
    RadioInput,
    SubmitInput,
    TextArea,
    options,
    required,
)
from portal.translations import lazy_gettext as _l
from portal.uploads import MAX_FILES, EvidenceFiles

GROUND_LABELS = {
    "change_in_circumstances": _l("My circumstances have changed"),
    "factual_error": _l("You made a factual error in the decision"),
}


STATUS_LABELS = {
    "received": _l("Received"),
    "being_considered": _l("Being considered"),
    "decided": _l("Decided"),
    "withdrawn": _l("Withdrawn"),
}


def status_label(status) -> str:
    return str(STATUS_LABELS.get(getattr(status, "value", status), status))


class _Step(PortalForm):
    submit = SubmitField(_l("Save and continue"), widget=SubmitInput())
    later = SubmitField(_l("Save and come back later"), widget=SubmitInput())


class ReasonsForm(_Step):
    reasons = TextAreaField(
        _l("Why do you think the decision is wrong?"),
        widget=TextArea(),
        description=_l(
            "Say what you disagree with and why. You can also say what you would like us to "
            "do instead."
        ),
        validators=[
            required(_l("Enter why you think the decision is wrong")),
            Length(max=REASONS_MAX, message=_l("Reasons must be %(max)d characters or fewer")),
        ],
    )


class GroundForm(_Step):
    ground = RadioField(
        _l("Why are you asking us to reconsider?"),
        choices=options(GROUND_LABELS.items()),
        widget=RadioInput(),
        description=_l("The policy allows these two reasons (policy section 4)."),
        validators=[InputRequired(message=_l("Choose why you are asking us to reconsider"))],
    )


class DetailsForm(_Step):
    details = TextAreaField(
        _l("Tell us what has changed, or what is wrong"),
        widget=TextArea(),
        validators=[
            required(_l("Tell us what has changed, or what is wrong")),
            Length(max=REASONS_MAX, message=_l("Details must be %(max)d characters or fewer")),
        ],
    )


class EvidenceForm(_Step):
    files = MultipleFileField(
        _l("Add evidence (optional)"),
        widget=FileInput(multiple=True),
        description=_l(
            "Up to %(count)d files: PDF, JPG, PNG or Word (DOCX), each smaller than 5 MB.",
            count=MAX_FILES,
        ),
        validators=[EvidenceFiles()],
    )


class SendForm(PortalForm):
    submit = SubmitField(_l("Send"), widget=SubmitInput())


class StartForm(PortalForm):
    submit = SubmitField(_l("Start now"), widget=SubmitInput())


class DecisionForm(PortalForm):
    decision = RadioField(
        _l("Decision"),
        widget=RadioInput(),
        validators=[InputRequired(message=_l("Choose a decision"))],
    )
    reasons = TextAreaField(
        _l("Reasons"),
        widget=TextArea(),
        description=_l("The customer reads these in the decision letter."),
        validators=[
            required(_l("Enter the reasons for the decision")),
            Length(max=REASONS_MAX),
        ],
    )
    new_ends_on = DateInputField(
        _l("New end date (if the restriction is varied or changed)"),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Record the decision and read the letter"), widget=SubmitInput())
