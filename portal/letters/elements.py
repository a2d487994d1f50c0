"""What each kind of letter must say, each element traced to the policy section that asks
for it (DESIGN.md "Beyond" 3). A letter cannot be issued while any element is missing.

Each element is checked against the letter's facts (portal.letters.facts), not its wording:
the wording is fixed text, so what can be missing is the data the wording needs.
"""

from collections.abc import Callable
from dataclasses import dataclass

from portal.models.vocab import LetterKind
from portal.translations import lazy_gettext as _l


@dataclass(frozen=True)
class Element:
    key: str
    section: str  # the policy section, e.g. "3.4"
    label: object  # translatable: what staff see in the checklist
    present: Callable[[dict], bool]


def _has(*keys):
    return lambda facts: all(facts.get(key) not in (None, "", [], {}) for key in keys)


def _always(_facts):
    return True


WHAT = Element("what", "3.2", _l("What is restricted and how"), _has("measures"))
WHY = Element(
    "why", "3.1", _l("Why: the behaviour and when it happened"), _has("behaviours", "reason")
)
HOW_LONG = Element(
    "how_long", "3.5", _l("Start and end dates (at most six months)"), _has("starts_on", "ends_on")
)
NEXT_REVIEW = Element("next_review", "3.4", _l("Next review date"), _has("next_review_on"))
CONTACT = Element("contact", "3.2", _l("The named single point of contact"), _has("contact_name"))
APPEAL_ROUTE = Element(
    "appeal_route", "3.4", _l("How to appeal, and to whom"), _has("appeals_director_name")
)
RECONSIDERATION_ROUTE = Element(
    "reconsideration_route",
    "4",
    _l("How to ask for reconsideration, and the 10-working-day answer"),
    _always,
)
OMBUDSMAN = Element(
    "ombudsman", "3.4", _l("The Housing Ombudsman's contact details"), _has("ombudsman")
)
FORMATS = Element(
    "formats", "6.5", _l("How to get the letter in another format or language"), _always
)
ADVOCATE = Element("advocate", "6.1", _l("How to nominate an advocate"), _always)
SIGNATORY = Element("signatory", "3.2", _l("Who the letter is from"), _has("signatory_name"))

INFORMAL_STEP = Element(
    "informal_step",
    "3.2",
    _l("The conversation or warning: what happened and when"),
    _has("step_on", "step_description"),
)
SUPPORT = Element("support", "3.3", _l("Support that is available"), _always)
REVIEW_OUTCOME = Element(
    "review_outcome", "3.4", _l("The review outcome: lifted, varied or kept"), _has("outcome")
)
KEEP_EXPLANATION = Element(
    "keep_explanation",
    "3.4",
    _l("If kept: why the restriction stays, and for how long"),
    lambda f: f.get("outcome") != "keep" or bool(f.get("explanation") and f.get("ends_on")),
)
ENDED = Element("ended", "3.5", _l("Which restriction ended, when and why"), _has("ended_on"))
APPEAL = Element(
    "appeal",
    "3.4",
    _l("The appeal: reference and date received"),
    _has("appeal_reference", "received_on"),
)
APPEAL_DECISION = Element(
    "appeal_decision",
    "3.4",
    _l("The decision (uphold, vary or overturn) and its reasons"),
    _has("decision", "decision_reasons"),
)
RECONSIDERATION = Element(
    "reconsideration",
    "4",
    _l("The request: reference, grounds and answer-by date"),
    _has("request_reference", "ground", "answer_due_on"),
)
RECONSIDERATION_DECISION = Element(
    "reconsideration_decision",
    "4",
    _l("The decision and its reasons"),
    _has("decision", "decision_reasons"),
)
COMPLAINT = Element(
    "complaint",
    "3.2",
    _l("Which complaint is not being considered, and why"),
    _has("complaint_reference", "complaint_reason"),
)

REQUIRED: dict[LetterKind, tuple[Element, ...]] = {
    LetterKind.INFORMAL_WARNING: (INFORMAL_STEP, SUPPORT, CONTACT, FORMATS, ADVOCATE, SIGNATORY),
    LetterKind.RESTRICTION_NOTICE: (
        WHAT,
        WHY,
        HOW_LONG,
        NEXT_REVIEW,
        CONTACT,
        APPEAL_ROUTE,
        RECONSIDERATION_ROUTE,
        OMBUDSMAN,
        FORMATS,
        ADVOCATE,
        SIGNATORY,
    ),
    LetterKind.REVIEW_OUTCOME: (
        REVIEW_OUTCOME,
        KEEP_EXPLANATION,
        APPEAL_ROUTE,
        RECONSIDERATION_ROUTE,
        OMBUDSMAN,
        FORMATS,
        SIGNATORY,
    ),
    LetterKind.RESTRICTION_ENDED: (ENDED, FORMATS, SIGNATORY),
    LetterKind.APPEAL_ACKNOWLEDGEMENT: (APPEAL, APPEAL_ROUTE, FORMATS, SIGNATORY),
    LetterKind.APPEAL_DECISION: (APPEAL, APPEAL_DECISION, OMBUDSMAN, FORMATS, SIGNATORY),
    LetterKind.RECONSIDERATION_ACKNOWLEDGEMENT: (RECONSIDERATION, FORMATS, SIGNATORY),
    LetterKind.RECONSIDERATION_DECISION: (
        RECONSIDERATION,
        RECONSIDERATION_DECISION,
        OMBUDSMAN,
        FORMATS,
        SIGNATORY,
    ),
    LetterKind.COMPLAINT_REFUSAL: (
        COMPLAINT,
        APPEAL_ROUTE,
        RECONSIDERATION_ROUTE,
        OMBUDSMAN,
        FORMATS,
        SIGNATORY,
    ),
}


def checklist(kind: LetterKind, facts: dict) -> list[tuple[Element, bool]]:
    return [(element, element.present(facts)) for element in REQUIRED[kind]]


def missing(kind: LetterKind, facts: dict) -> list[Element]:
    return [element for element, present in checklist(kind, facts) if not present]
