"""The equality monitoring vocabulary (s6.3), beside portal/models/vocab.py (kept apart so
neither module grows past 400 lines): the answers as stored, and their translated labels."""

from portal.models.vocab import AgeBand
from portal.translations import lazy_gettext as _l

# Answers to the equality monitoring questions (s6.3) as they are stored (free text from
# imports and the demo), with the label a report shows; an answer not listed shows as given.
CHARACTERISTIC_ANSWERS = {
    "yes": _l("Yes"),
    "no": _l("No"),
    "female": _l("Female"),
    "male": _l("Male"),
    "prefer_not_to_say": _l("Prefer not to say"),
    AgeBand.UNDER_25.value: _l("Under 25"),
    AgeBand.FROM_25_TO_34.value: _l("25 to 34"),
    AgeBand.FROM_35_TO_44.value: _l("35 to 44"),
    AgeBand.FROM_45_TO_54.value: _l("45 to 54"),
    AgeBand.FROM_55_TO_64.value: _l("55 to 64"),
    AgeBand.FROM_65_TO_74.value: _l("65 to 74"),
    AgeBand.FROM_75.value: _l("75 and over"),
    "White British": _l("White British"),
    "White other": _l("White other"),
    "Black or Black British": _l("Black or Black British"),
    "Asian or Asian British": _l("Asian or Asian British"),
    "Mixed or multiple ethnic groups": _l("Mixed or multiple ethnic groups"),
    "Other ethnic group": _l("Other ethnic group"),
    "No religion": _l("No religion"),
    "Christian": _l("Christian"),
    "Muslim": _l("Muslim"),
    "Hindu": _l("Hindu"),
    "Sikh": _l("Sikh"),
    "Jewish": _l("Jewish"),
    "Buddhist": _l("Buddhist"),
    "Other religion or belief": _l("Other religion or belief"),
    "Heterosexual or straight": _l("Heterosexual or straight"),
    "Gay or lesbian": _l("Gay or lesbian"),
    "Bisexual": _l("Bisexual"),
    "Other sexual orientation": _l("Other sexual orientation"),
    "Married": _l("Married"),
    "Civil partnership": _l("Civil partnership"),
    "Not married or in a civil partnership": _l("Not married or in a civil partnership"),
}


def answer_label(value: str) -> str:
    """The translated label of a stored equality monitoring answer (s6.3)."""
    return str(CHARACTERISTIC_ANSWERS.get(value, value))
