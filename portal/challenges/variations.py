"""The appeals director varies the measures of a restriction on appeal (s3.4; issue 15
item 6).

s3.4: the Service Director Customer Operations "will review ... the restrictions and the
length of time they have been imposed for", so varying an appeal may change what is
restricted, not only the end date. The changed restriction follows every rule of a proposal
(s3.2 measures, s3.5 six months at most, s6.1 and s6.2 needs considered and tailored to)
and takes effect as the director's decision, as a review manager's change at a review does:
the old restriction ends, the appeal is decided "vary", and two letters follow (the
decision, s3.2 in writing, and the changed restriction).
"""

import datetime as dt

from flask_babel import lazy_gettext as _l

from portal import audit
from portal.challenges import rules
from portal.challenges.decisions import check_independence, draft_decision_letter
from portal.challenges.refusals import (
    AlreadyDecided,
    ReasonsMissing,
    RefusalCannotBeVaried,
    RestrictionNotInPlace,
)
from portal.challenges.services import OPEN
from portal.models import Appeal, Letter, Restriction, User
from portal.models.vocab import AppealDecision, ChallengeStatus, LetterKind, RestrictionStatus
from portal.restrictions import services as restrictions


def check_may_vary(appeal: Appeal, decider: User) -> Restriction:
    """The restriction whose measures the director may change, or the refusal why not."""
    if appeal.status not in OPEN:
        raise AlreadyDecided(_l("This appeal has already been decided."))
    check_independence(appeal, decider)
    if appeal.restriction is None:
        raise RefusalCannotBeVaried
    if appeal.restriction.status != RestrictionStatus.ACTIVE:
        raise RestrictionNotInPlace
    return appeal.restriction


def vary_measures(
    appeal: Appeal,
    proposal: restrictions.Proposal,
    *,
    decider: User,
    reasons: str,
    now: dt.datetime,
    today: dt.date,
) -> tuple[Restriction, Letter]:
    """Decide the appeal "vary" with a changed restriction in place of the old one; the
    decision letter is drafted for the director to preview and issue. Every rule is checked
    before anything is written."""
    replaced = check_may_vary(appeal, decider)
    if not reasons.strip():
        raise ReasonsMissing
    decider_id = decider.id
    restriction, conflicts = restrictions.replace_restriction(
        replaced, proposal, decided_by=decider, today=today, now=now, why="Varied on appeal."
    )
    appeal.status = ChallengeStatus.DECIDED
    appeal.decision = AppealDecision.VARY
    appeal.decision_reasons = reasons
    appeal.decided_by_id = decider_id
    appeal.decided_at = now
    appeal.sla_met = rules.sla_met(today, appeal.due_on)
    audit.save_change(
        "appeal_decide",
        appeal,
        actor=decider,
        object_type="appeal",
        customer_id=appeal.customer_id,
        details={
            "decision": AppealDecision.VARY.value,
            "sla_met": appeal.sla_met,
            "replaces": replaced.id,
            "options": sorted(s.option.value for s in proposal.measures),
            "needs_conflicts": [c.need for c in conflicts],
        },
    )
    letter = draft_decision_letter(appeal, LetterKind.APPEAL_DECISION, "appeal", decider, now)
    return restriction, letter
