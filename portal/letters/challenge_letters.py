"""The wording of the letters about a challenge: an appeal (s3.4) or a request to
reconsider (s4) received and decided, and a complaint we will no longer consider (s3.2).
One builder per kind, registered in portal.letters.wording.BUILDERS."""

from portal.bidi import gettext_isolated as _
from portal.letters.sections import (
    appeal_section,
    date,
    formats_section,
    ombudsman_section,
    quoted,
    reach_section,
    reconsideration_section,
    section,
    still_section,
)


def _subject(facts: dict) -> str:
    if facts.get("subject") == "complaint_refusal":
        return _("our decision not to consider your complaint")
    return _("the restriction on how you contact us")


def appeal_acknowledgement(facts: dict) -> tuple[str, list]:
    return _("We have received your appeal"), [
        section(
            None,
            _(
                "We received your appeal about %(subject)s on %(date)s. Its reference is "
                "%(reference)s.",
                subject=_subject(facts),
                date=date(facts.get("received_on")),
                reference=facts.get("appeal_reference"),
            ),
            _(
                "%(name)s, Service Director, Customer Operations, will look at it and write "
                "to you with the decision (policy section 3.4).",
                name=facts.get("appeals_director_name") or "",
            ),
        ),
        still_section(facts),
        reach_section(facts),
        formats_section(),
    ]


APPEAL_DECISIONS = {
    "uphold": lambda: _("We have looked at your appeal and the decision stays as it was."),
    "vary": lambda: _("We have looked at your appeal and we have changed the decision."),
    "overturn": lambda: _("We have looked at your appeal and we have cancelled the decision."),
}


def appeal_decision(facts: dict) -> tuple[str, list]:
    decision = APPEAL_DECISIONS.get(facts.get("decision") or "", lambda: "")()
    return _("The decision on your appeal"), [
        section(
            None,
            _(
                "This letter is about your appeal %(reference)s, about %(subject)s.",
                reference=facts.get("appeal_reference"),
                subject=_subject(facts),
            ),
        ),
        section(_("What we decided"), decision, quoted(facts.get("decision_reasons") or "")),
        ombudsman_section(facts),
        still_section(facts),
        reach_section(facts),
        formats_section(),
    ]


GROUNDS = {
    "change_in_circumstances": lambda: _("your circumstances have changed"),
    "factual_error": lambda: _("we made a factual error in the decision"),
}


def reconsideration_acknowledgement(facts: dict) -> tuple[str, list]:
    return _("We have received your request to reconsider"), [
        section(
            None,
            _(
                "We received your request on %(date)s. Its reference is %(reference)s. You "
                "told us that %(ground)s.",
                date=date(facts.get("received_on")),
                reference=facts.get("request_reference"),
                ground=GROUNDS.get(facts.get("ground") or "", lambda: "")(),
            ),
            _(
                "We will tell you the outcome by %(date)s: within 10 working days of your "
                "request (policy section 4).",
                date=date(facts.get("answer_due_on")),
            ),
        ),
        still_section(facts),
        reach_section(facts),
        formats_section(),
    ]


RECONSIDERATION_DECISIONS = {
    "change_restriction": lambda: _("We have reconsidered and we are changing the restriction."),
    "route_to_complaints": lambda: _(
        "We have reconsidered and we will now deal with your complaint through our "
        "complaints process."
    ),
    "no_change": lambda: _("We have reconsidered and the decision stays as it was."),
}


def reconsideration_decision(facts: dict) -> tuple[str, list]:
    decision = RECONSIDERATION_DECISIONS.get(facts.get("decision") or "", lambda: "")()
    return _("The outcome of your request to reconsider"), [
        section(
            None,
            _(
                "This letter is about your request %(reference)s, which we received on %(date)s.",
                reference=facts.get("request_reference"),
                date=date(facts.get("received_on")),
            ),
        ),
        section(_("What we decided"), decision, quoted(facts.get("decision_reasons") or "")),
        ombudsman_section(facts),
        still_section(facts),
        reach_section(facts),
        formats_section(),
    ]


def complaint_refusal(facts: dict) -> tuple[str, list]:
    return _("We will not consider your complaint"), [
        section(
            None,
            _(
                "We have decided not to consider your complaint %(reference)s any further.",
                reference=facts.get("complaint_reference"),
            ),
            quoted(facts.get("complaint_reason") or ""),
            _("This does not stop you making a new complaint about something else."),
        ),
        appeal_section(facts),
        reconsideration_section(),
        ombudsman_section(facts),
        still_section(facts),
        reach_section(facts),
        formats_section(),
    ]
