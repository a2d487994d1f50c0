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

from portal.challenges.decisions import (
    check_independence,
    draft_decision_letter,
    record_appeal_decision,
)
from portal.challenges.refusals import (
    AlreadyDecided,
    ReasonsMissing,
    RefusalCannotBeVaried,
    RestrictionNotInPlace,
)
from portal.challenges.services import OPEN
from portal.models import Appeal, Letter, Restriction, User
from portal.models.vocab import AppealDecision, LetterKind, RestrictionStatus
from portal.restrictions import services as restrictions
from portal.translations import lazy_gettext as _l


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
    restriction, conflicts = restrictions.replace_restriction(
        replaced, proposal, decided_by=decider, today=today, now=now, why="Varied on appeal."
    )
    record_appeal_decision(
        appeal,
        AppealDecision.VARY,
        reasons,
        decider,
        now=now,
        today=today,
        replaces=replaced.id,
        options=sorted(s.option.value for s in proposal.measures),
        needs_conflicts=[c.need for c in conflicts],
    )
    letter = draft_decision_letter(appeal, LetterKind.APPEAL_DECISION, "appeal", decider, now)
    return restriction, letter
