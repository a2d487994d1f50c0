"""Pure rules for challenges, with the policy section each comes from."""

import datetime as dt

from portal.dates import add_working_days
from portal.models.vocab import ReconsiderationGround
from portal.text_input import hidden_characters

RECONSIDERATION_WORKING_DAYS = 10  # s4: "within 10 working days of their reconsideration request"
# The policy sets no time for appeals; the landlord's service standard uses the same 10
# working days so that no challenge waits longer than a reconsideration would.
APPEAL_WORKING_DAYS = 10
REASONS_MAX = 5000


# The text answers each journey sends, and the choice a reconsideration names (s4).
TEXT_ANSWERS = {"appeal": ("reasons",), "reconsideration": ("details",)}
GROUNDS = frozenset(ground.value for ground in ReconsiderationGround)


def invalid_answer(kind: str, answers: dict) -> str | None:
    """The first answer of a draft that may not be sent as it is (s3.4, s4), or None.

    The steps' forms already refuse these before saving; this is the check at Send for a
    draft saved before that rule, or changed by other means.
    """
    if kind == "reconsideration" and answers.get("ground") not in GROUNDS:
        return "ground"
    for name in TEXT_ANSWERS[kind]:
        text = answers.get(name)
        if (
            not isinstance(text, str)
            or not text.strip()
            or len(text) > REASONS_MAX
            or hidden_characters(text, multi_line=True)
        ):
            return name
    return None


def answer_due_on(received_on: dt.date) -> dt.date:
    """s4: 10 working days, England & Wales bank holidays excluded."""
    return add_working_days(received_on, RECONSIDERATION_WORKING_DAYS)


def appeal_due_on(received_on: dt.date) -> dt.date:
    return add_working_days(received_on, APPEAL_WORKING_DAYS)


def sla_met(decided_on: dt.date, due_on: dt.date | None) -> bool | None:
    return None if due_on is None else decided_on <= due_on


def conflicts_of_interest(decider_id: int, restriction=None, refusal=None) -> list[str]:
    """DESIGN "Beyond" 4: whoever decides a challenge must not have proposed, approved or
    last reviewed the decision being challenged. Returns what the decider did, if anything."""
    found = []
    if restriction is not None:
        if restriction.proposed_by_id == decider_id:
            found.append("proposed")
        if restriction.approved_by_id == decider_id:
            found.append("approved")
        held = [r for r in restriction.reviews if r.held_on is not None]
        if held and max(held, key=lambda r: r.held_on).reviewer_id == decider_id:
            found.append("reviewed")
    if refusal is not None and refusal.decided_by_id == decider_id:
        found.append("refused the complaint")
    return found
