"""What each kind of letter must tell the customer, in one place (issue 16 item 3; s3.2:
every decision in writing, with the reasons; s3.4 and s4: how to challenge it; s6.5: in a
format and language the customer can use).

Each essential fact is the text that carries it in the letter's language: a date as
formatted for the language, a reference, a name, staff's own words (quoted as written), a
rule of the restriction in plain words, a decision, a way to reach us or the Housing
Ombudsman, and what always gets through. Every format of the letter (web page, PDF, large
print, easy read, plain text, the words given to the speech engine for audio, braille read
back) must contain each one: ``tests/views/test_letter_essentials.py`` renders every kind
in every format and language and looks for them. A fact may be said in more than one way
(the full letter's sentence, or easy read's shorter one); any of them counts.

Called with the letter's language in force (portal.letters.sections.in_locale).
"""

from dataclasses import dataclass

from portal.letters.challenge_letters import APPEAL_DECISIONS, RECONSIDERATION_DECISIONS
from portal.letters.easy_read import still_in_easy_words
from portal.letters.sections import date, measure_of, reach_facts
from portal.models.vocab import ContactChannel
from portal.plain_words import describe_measure
from portal.reach_us import still_get_through


@dataclass(frozen=True)
class Essential:
    name: str  # what the customer must learn, for a failing test to say
    texts: tuple[str, ...]  # the ways a format may say it


def _one(name: str, text: str | None) -> list[Essential]:
    return [Essential(name, (text,))] if text else []


def _ways(facts: dict) -> list[Essential]:
    """How to reach us (issue 15), and what always gets through while contact is restricted."""
    reach = reach_facts(facts)
    found = []
    if ContactChannel.EMAIL in reach["channels"]:
        found += _one("our email address", reach["email"])
    if ContactChannel.TELEPHONE in reach["channels"]:
        found += _one("our phone number", reach["phone"])
    if reach.get("restricted"):
        said = (still_get_through(), still_in_easy_words())
        found.append(Essential("what always gets through", said))
    return found


def _ombudsman(facts: dict) -> list[Essential]:
    """s3.4: the Housing Ombudsman, by phone and email."""
    ombudsman = facts.get("ombudsman") or {}
    return _one("the Ombudsman's phone", ombudsman.get("phone")) + _one(
        "the Ombudsman's email", ombudsman.get("email")
    )


def _decision(facts: dict, sentences: dict) -> list[Essential]:
    said = sentences.get(facts.get("decision") or "")
    return (_one("the decision", said()) if said else []) + _one(
        "the reasons", facts.get("decision_reasons")
    )


def _restriction_notice(facts: dict) -> list[Essential]:
    rules = [
        Essential(f"rule {n}", (describe_measure(measure_of(m)),))
        for n, m in enumerate(facts.get("measures", []), start=1)
    ]
    return [
        *rules,
        *_one("why", facts.get("reason")),
        *_one("from when", date(facts.get("starts_on"))),
        *_one("until when", date(facts.get("ends_on"))),
        *_one("the next review", date(facts.get("next_review_on"))),
        *_ombudsman(facts),
    ]


def _review_outcome(facts: dict) -> list[Essential]:
    kept = facts.get("outcome") not in ("lift", "vary")
    dates = []
    if kept:
        dates = _one("until when", date(facts.get("ends_on"))) + _one(
            "the next review", date(facts.get("next_review_on"))
        )
    return [*_one("why", facts.get("explanation")), *dates, *_ombudsman(facts)]


KINDS = {
    "restriction_notice": _restriction_notice,
    "informal_warning": lambda f: _one("when we spoke", date(f.get("step_on")))
    + _one("what we spoke about", f.get("step_description")),
    "review_outcome": _review_outcome,
    "restriction_ended": lambda f: _one("when it ended", date(f.get("ended_on"))),
    "appeal_acknowledgement": lambda f: _one("the appeal's reference", f.get("appeal_reference"))
    + _one("when we received it", date(f.get("received_on"))),
    "appeal_decision": lambda f: _one("the appeal's reference", f.get("appeal_reference"))
    + _decision(f, APPEAL_DECISIONS)
    + _ombudsman(f),
    "reconsideration_acknowledgement": lambda f: _one(
        "the request's reference", f.get("request_reference")
    )
    + _one("the answer's date", date(f.get("answer_due_on"))),
    "reconsideration_decision": lambda f: _one(
        "the request's reference", f.get("request_reference")
    )
    + _decision(f, RECONSIDERATION_DECISIONS)
    + _ombudsman(f),
    "complaint_refusal": lambda f: _one("the complaint's reference", f.get("complaint_reference"))
    + _one("why", f.get("complaint_reason"))
    + _ombudsman(f),
}


def essentials(facts: dict) -> list[Essential]:
    """Every fact a letter of this kind must tell, in the language in force."""
    return KINDS[facts["kind"]](facts) + _ways(facts)
