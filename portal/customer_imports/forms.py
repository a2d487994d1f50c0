"""Forms of the data steward's customer pages: the upload, and one customer by hand.

The customer form has no rules of its own beyond lengths: its fields are named like the
export's columns and checked by the same rules (portal/customer_records/import_rules.py).
"""

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from portal.config import LOCALE_NAMES
from portal.forms import FileInput, PortalForm, Select, SubmitInput, TextArea, TextInput, options
from portal.translations import lazy_gettext as _l

DATE_HINT = _l("For example, 27/3/1980")


class UploadForm(PortalForm):
    file = FileField(
        _l("Upload the export (CSV)"),
        widget=FileInput(),
        validators=[FileRequired(message=_l("Select the CSV file to import"))],
    )
    submit = SubmitField(_l("Upload and check"), widget=SubmitInput())


class ConfirmForm(PortalForm):
    """A button and its CSRF token (confirm, abandon, resume)."""


def _text(label, length, **kwargs):
    return StringField(label, widget=TextInput(), validators=[Length(max=length)], **kwargs)


class CustomerDetailsForm(PortalForm):
    full_name = _text(_l("Full name"), 200)
    date_of_birth = _text(_l("Date of birth (optional)"), 20, description=DATE_HINT)
    address = TextAreaField(
        _l("Address (optional)"), widget=TextArea(), validators=[Length(max=400)]
    )
    postcode = _text(_l("Postcode"), 12)
    email = _text(_l("Email address (optional)"), 254)
    phone = _text(_l("Phone number (optional)"), 40)
    preferred_language = SelectField(_l("Preferred language"), widget=Select(), coerce=str)
    left_on = _text(
        _l("Date the customer left (only for a former customer)"), 20, description=DATE_HINT
    )
    submit = SubmitField(_l("Save customer"), widget=SubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preferred_language.choices = options(LOCALE_NAMES.items())

    def raw(self) -> dict:
        return {name: self[name].data or "" for name in self.raw_fields()}

    def raw_fields(self):
        return [f.name for f in self if f.type not in ("CSRFTokenField", "SubmitField")]


class NewCustomerForm(CustomerDetailsForm):
    reference = _text(_l("Customer reference"), 40)

    def __iter__(self):
        # The reference first, as the export orders its columns.
        fields = list(super().__iter__())
        reference = [f for f in fields if f.name == "reference"]
        return iter(reference + [f for f in fields if f.name != "reference"])
