"""Form widgets shared by every area: GOV.UK Frontend markup with translated error prefixes.

govuk-frontend-wtf replaces ``errorMessage`` with the bare error text, which leaves the
visually hidden "Error:" prefix in English; these subclasses put the translated prefix
back (FRONTEND.md §2, caveat 1).
"""

from flask_babel import gettext as _
from govuk_frontend_wtf import wtforms_widgets as gov


class TranslatedErrorPrefix:
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if "errorMessage" in params:
            params["errorMessage"]["visuallyHiddenText"] = _("Error")
        return params


class TextInput(TranslatedErrorPrefix, gov.GovTextInput):
    pass


class PasswordInput(TranslatedErrorPrefix, gov.GovPasswordInput):
    pass


class TextArea(TranslatedErrorPrefix, gov.GovTextArea):
    pass


class RadioInput(TranslatedErrorPrefix, gov.GovRadioInput):
    pass


class CheckboxesInput(TranslatedErrorPrefix, gov.GovCheckboxesInput):
    pass


class Select(TranslatedErrorPrefix, gov.GovSelect):
    pass


class SubmitInput(gov.GovSubmitInput):
    pass
