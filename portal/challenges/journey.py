"""The appeal and reconsideration journeys as data: their steps, what comes next and
before, and the form that asks each step's question (issue 12 item 4).

An appeal (policy s5) asks why the decision is wrong, then for evidence; a request to
reconsider (s4) asks which of the two grounds applies, then for details and evidence.
Both end on check-your-answers. The view only loads the draft, asks the journey, calls
one service and redirects, as the ONS questionnaire runner's block handlers do.
"""

from dataclasses import dataclass

from portal.challenges import forms
from portal.translations import lazy_gettext as _l

CHECK = "check"

# One question per page: each step's form (GOV.UK "one thing per page").
_STEP_FORMS = {
    "reasons": forms.ReasonsForm,
    "ground": forms.GroundForm,
    "details": forms.DetailsForm,
    "evidence": forms.EvidenceForm,
}
# The answers a step keeps on the draft, once its form has validated (issue 14 item 6:
# an answer that breaks a rule is never saved, so Send never meets one).
_ANSWERS = ("reasons", "ground", "details")


@dataclass(frozen=True)
class Journey:
    kind: str
    steps: tuple[str, ...]
    title: object  # a lazy translated string

    @property
    def first(self) -> str:
        return self.steps[0]

    def has(self, step: str) -> bool:
        return step in self.steps

    def after(self, step: str) -> str:
        return self.steps[self.steps.index(step) + 1]

    def before(self, step: str) -> str | None:
        """The step to go back to, or None on the first step (back to the home page)."""
        index = self.steps.index(step)
        return self.steps[index - 1] if index else None

    @staticmethod
    def form_for(step: str, saved_answers: dict | None):
        """The step's form: filled from the draft on GET, from the request on POST."""
        return _STEP_FORMS[step](data=saved_answers)

    @staticmethod
    def answers(form) -> dict:
        """The step's answers from its validated form, to save on the draft. What a
        refused post held stays on the page, in the form, for the person to correct."""
        return {name: form[name].data for name in _ANSWERS if name in form}


JOURNEYS = {
    "appeal": Journey("appeal", ("reasons", "evidence", CHECK), _l("Appeal a decision")),
    "reconsideration": Journey(
        "reconsideration",
        ("ground", "details", "evidence", CHECK),
        _l("Ask us to reconsider a decision"),
    ),
}
