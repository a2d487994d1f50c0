"""Report forms: plain GET forms (bookmarkable, no CSRF needed: they change nothing)."""

from wtforms import BooleanField, SelectField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from portal.forms import (
    CheckboxInput,
    DateInputField,
    PortalForm,
    Select,
    SubmitInput,
    options,
)
from portal.reports.equality.monitoring import CHARACTERISTICS
from portal.translations import lazy_gettext as _l


class PeriodForm(PortalForm):
    class Meta:
        csrf = False

    start = DateInputField(
        _l("Start of the period"),
        validators=[InputRequired(message=_l("Enter the start of the period"))],
    )
    end = DateInputField(
        _l("End of the period"),
        validators=[InputRequired(message=_l("Enter the end of the period"))],
    )
    submit = SubmitField(_l("Show the figures"), widget=SubmitInput())


def characteristic_choices():
    return options([("", _l("All characteristics")), *CHARACTERISTICS.items()])


class EqualityForm(PeriodForm):
    characteristic = SelectField(
        _l("Protected characteristic"),
        choices=characteristic_choices,
        widget=Select(),
        validate_choice=False,  # our own message below, not WTForms' "Not a valid choice"
    )

    def validate_characteristic(self, field):
        if field.data and field.data not in CHARACTERISTICS:
            raise ValidationError(_l("Choose a protected characteristic from the list"))


class EvidencePackForm(PortalForm):
    include_staff_notes = BooleanField(
        _l("Include staff-only notes"),
        widget=CheckboxInput(),
        description=_l("The case's staff notes and the log of contacts from the customer."),
    )
    submit = SubmitField(_l("Download the evidence pack (PDF)"), widget=SubmitInput())
