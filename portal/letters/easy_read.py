"""Easy read: short sentences, one idea per line, each with a supporting picture
(Mencap / Department of Health easy read guidance). Pictures are drawn for this project
(static/pictograms, licence in its README); their alt text says what they show."""

from portal.bidi import gettext_isolated as _
from portal.letters.challenge_letters import APPEAL_DECISIONS, RECONSIDERATION_DECISIONS
from portal.letters.sections import STAFF_TEXT_LANGUAGE, date, measure_of, reach_facts
from portal.models.vocab import ContactChannel
from portal.plain_words import describe_measure
from portal.reach_us import TEXT_RELAY_PREFIX


def picture_alt(name: str) -> str:
    alts = {
        "stop": _("A hand held up to say stop"),
        "calendar": _("A calendar"),
        "clock": _("A clock"),
        "person": _("A person"),
        "scales": _("Weighing scales, for a fair decision"),
        "question": _("A question mark"),
        "helper": _("Two people side by side"),
        "phone": _("A telephone"),
        "letter": _("A letter in an envelope"),
        "tick": _("A tick"),
    }
    return alts[name]


def _line(picture: str, text: str, lang: str | None = None) -> dict:
    """One line; ``lang`` marks staff's own words, kept in the language they wrote in."""
    line = {"picture": picture, "alt": picture_alt(picture), "text": text}
    if lang:
        line["lang"] = lang
    return line


def _restriction_lines(facts: dict) -> list[dict]:
    """What the customer may do, each measure in plain words, and why, in the reviewer's
    own words (s3.2): an easy read letter tells the same rules as the full one (issue 16)."""
    lines = [_line("stop", describe_measure(measure_of(m))) for m in facts.get("measures", [])]
    if facts.get("reason"):
        lines += [
            _line("question", _("Why we did this:")),
            _line("letter", facts["reason"], lang=STAFF_TEXT_LANGUAGE),
        ]
    return lines


# The letters whose full text names the Housing Ombudsman: the easy read one does too.
OMBUDSMAN_KINDS = frozenset(
    {
        "restriction_notice",
        "review_outcome",
        "complaint_refusal",
        "appeal_decision",
        "reconsideration_decision",
    }
)


def _contact_line(facts: dict) -> list[dict]:
    """The customer's contact, unless a single point of contact measure already named them."""
    if any(m.get("option") == "single_point_of_contact" for m in facts.get("measures", [])):
        return []
    return [_line("person", _("Your contact is %(name)s.", name=facts.get("contact_name") or ""))]


def _ombudsman_lines(facts: dict) -> list[dict]:
    """The Housing Ombudsman, with the ways to reach them (s3.4)."""
    ombudsman = facts.get("ombudsman")
    if not ombudsman or facts["kind"] not in OMBUDSMAN_KINDS:
        return []
    return [
        _line("scales", _("You can also ask the Housing Ombudsman to look at it.")),
        _line(
            "phone",
            _(
                "Call the Housing Ombudsman on %(phone)s or email %(email)s.",
                phone=ombudsman["phone"],
                email=ombudsman["email"],
            ),
        ),
    ]


def _help_lines(facts: dict) -> list[dict]:
    """Someone to help, and the ways this customer may and can reach us (issue 15): no
    "call us" for someone restricted to email or who cannot use the telephone."""
    reach = reach_facts(facts)
    lines = [_line("helper", _("Someone can help you read this letter."))]
    if reach.get("restricted"):
        lines.append(_line("tick", still_in_easy_words()))
    channels = reach["channels"]
    if ContactChannel.EMAIL in channels:
        lines.append(_line("letter", _("You can email us at %(email)s.", email=reach["email"])))
    if ContactChannel.TELEPHONE in channels:
        lines.append(_line("phone", _("You can call us on %(phone)s.", phone=reach["phone"])))
    if reach.get("text_relay"):
        number = f"{TEXT_RELAY_PREFIX} {reach['phone']}"
        lines.append(_line("phone", _("You can use Relay UK on %(number)s.", number=number)))
    if ContactChannel.WRITING in channels:
        lines.append(_line("letter", _("You can write us a letter.")))
    return lines


def still_in_easy_words() -> str:
    """What no restriction ever stops (s3.2), in easy words (portal.letters.essentials)."""
    return _("You can always contact us about an emergency or a new complaint.")


def _staff_words(text: str | None) -> list[dict]:
    """Staff's own words (a reason, an explanation), quoted as written."""
    return [_line("letter", text, lang=STAFF_TEXT_LANGUAGE)] if text else []


def _reference_line(reference: str | None) -> list[dict]:
    return [_line("letter", _("Its reference is %(reference)s.", reference=reference))]


def _decision_lines(facts: dict, reference: str | None, sentences: dict) -> list[dict]:
    """A decision on an appeal (s3.4) or a request to reconsider (s4): what, and why."""
    said = sentences.get(facts.get("decision") or "")
    return [
        _line("scales", _("We have made a decision.")),
        *_reference_line(reference),
        *([_line("scales", said())] if said else []),
        *([_line("question", _("Why we did this:"))] if facts.get("decision_reasons") else []),
        *_staff_words(facts.get("decision_reasons")),
    ]


def _challenge_lines() -> list[dict]:
    return [
        _line("scales", _("If you think this is wrong, you can appeal.")),
        _line("question", _("If things change, you can ask us to look again.")),
        _line("clock", _("We answer a request to look again in 10 working days.")),
    ]


def _review_lines(facts: dict) -> list[dict]:
    """A review's outcome (s3.4), with the reviewer's explanation whatever it was."""
    outcome = facts.get("outcome")
    if outcome == "lift":
        lines = [_line("tick", _("Your restriction has ended."))]
    elif outcome == "vary":
        lines = [_line("letter", _("We have changed your restriction. We will write to you."))]
    else:
        lines = [
            _line("stop", _("Your restriction stays for now.")),
            _line("calendar", _("It ends on %(date)s.", date=date(facts.get("ends_on")))),
            _line(
                "clock",
                _("We will look at it again on %(date)s.", date=date(facts.get("next_review_on"))),
            ),
        ]
    if facts.get("explanation"):
        lines += [_line("question", _("Why we did this:")), *_staff_words(facts["explanation"])]
    return lines


def _notice_lines(facts: dict) -> list[dict]:
    return [
        _line("stop", _("We have changed how you can contact us.")),
        *_restriction_lines(facts),
        _line("calendar", _("This starts on %(date)s.", date=date(facts.get("starts_on")))),
        _line("calendar", _("This ends on %(date)s.", date=date(facts.get("ends_on")))),
        _line(
            "clock",
            _("We will look at it again on %(date)s.", date=date(facts.get("next_review_on"))),
        ),
        *_contact_line(facts),
        *_challenge_lines(),
    ]


def _warning_lines(facts: dict) -> list[dict]:
    return [
        _line("letter", _("We are worried about how you contact us.")),
        _line("calendar", _("We spoke to you on %(date)s.", date=date(facts.get("step_on")))),
        *_staff_words(facts.get("step_description")),
        _line("stop", _("Please change how you contact us.")),
        _line("helper", _("We can help you get support.")),
    ]


def _ended_lines(facts: dict) -> list[dict]:
    return [
        _line("tick", _("Your restriction has ended.")),
        _line("calendar", _("It ended on %(date)s.", date=date(facts.get("ended_on")))),
        _line("tick", _("You can contact us in the usual ways.")),
    ]


def _appeal_received_lines(facts: dict) -> list[dict]:
    received = date(facts.get("received_on"))
    return [
        _line("letter", _("We got your appeal on %(date)s.", date=received)),
        *_reference_line(facts.get("appeal_reference")),
        _line("scales", _("A senior manager will look at it.")),
        _line("clock", _("We will write to you with the answer.")),
    ]


def _request_received_lines(facts: dict) -> list[dict]:
    due = date(facts.get("answer_due_on"))
    return [
        _line("letter", _("We got your letter.")),
        *_reference_line(facts.get("request_reference")),
        _line("scales", _("A senior manager will look at it.")),
        _line("clock", _("We will answer by %(date)s.", date=due)),
    ]


def _refusal_lines(facts: dict) -> list[dict]:
    reason = facts.get("complaint_reason")
    return [
        _line("stop", _("We will not look at your complaint again.")),
        *_reference_line(facts.get("complaint_reference")),
        *([_line("question", _("Why we did this:"))] if reason else []),
        *_staff_words(reason),
        *_challenge_lines(),
    ]


# One builder per kind of letter; each says every essential fact (portal.letters.essentials).
BUILDERS = {
    "restriction_notice": _notice_lines,
    "informal_warning": _warning_lines,
    "review_outcome": lambda facts: _review_lines(facts) + _challenge_lines(),
    "restriction_ended": _ended_lines,
    "appeal_acknowledgement": _appeal_received_lines,
    "reconsideration_acknowledgement": _request_received_lines,
    "appeal_decision": lambda facts: _decision_lines(
        facts, facts.get("appeal_reference"), APPEAL_DECISIONS
    ),
    "reconsideration_decision": lambda facts: _decision_lines(
        facts, facts.get("request_reference"), RECONSIDERATION_DECISIONS
    ),
    "complaint_refusal": _refusal_lines,
}


def easy_read_lines(facts: dict) -> list[dict]:
    lines = BUILDERS[facts["kind"]](facts)
    return lines + _ombudsman_lines(facts) + _help_lines(facts)
