"""The evidence a decider reads on the page where they decide (issue 15 item 6): the
incidents (s3.1) and informal steps (s3.2, s3.3) on the case, the contacts logged since
the last review (s3.4: has the behaviour improved?), the appeals (s3.4) and
reconsideration requests (s4) still open, and a link to the whole case.

Built once, here, for the three decision pages: approving a proposal and reviewing a
restriction (review manager, s3.4) and deciding an appeal or request (appeals director,
s3.4, s4). It reads the case chronology (portal.cases.chronology), so the page says what
the case page says, in a fixed number of SQL statements whatever the size of the case.
"""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from portal.cases.chronology import Summary, load_case
from portal.cases.chronology.correspondence import contacts
from portal.cases.chronology.entries import day_start
from portal.cases.chronology.records import incidents, informal_steps
from portal.extensions import db
from portal.models import Appeal, Case, ComplaintRefusal, ReconsiderationRequest, Restriction
from portal.models.vocab import OPEN_CHALLENGE_STATUSES

SHOWN = 10  # the newest of each kind on the page; the case page has the rest


@dataclass(frozen=True)
class OpenChallenge:
    """An appeal or reconsideration request not yet decided."""

    kind: str  # "appeal" or "reconsideration"
    id: int
    reference: str
    submitted_at: dt.datetime
    due_on: dt.date | None


@dataclass
class Listed:
    """The newest entries of one kind, and how many there are in all."""

    entries: list[Summary] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.entries)


@dataclass
class Evidence:
    case: Case
    incidents: Listed
    informal_steps: Listed
    contacts: Listed
    since: dt.date | None  # the last review held on the case; None: no review yet
    open_challenges: list[OpenChallenge]


def _newest(events) -> Listed:
    summaries = sorted((e.summary for e in events if e.summary), key=lambda s: s.when)
    summaries.reverse()
    return Listed(summaries[:SHOWN], len(summaries))


def last_review_on(case: Case) -> dt.date | None:
    """The last review held on any of the case's restrictions (s3.4)."""
    held = [
        review.held_on
        for restriction in case.restrictions
        for review in restriction.reviews
        if review.held_on is not None
    ]
    return max(held, default=None)


def _open_of(model, case: Case, due, kind: str) -> list[OpenChallenge]:
    rows = db.session.scalars(
        select(model)
        .outerjoin(Restriction, model.restriction_id == Restriction.id)
        .outerjoin(ComplaintRefusal, model.complaint_refusal_id == ComplaintRefusal.id)
        .where(
            or_(Restriction.case_id == case.id, ComplaintRefusal.case_id == case.id),
            model.status.in_(OPEN_CHALLENGE_STATUSES),
        )
        .order_by(model.submitted_at)
    ).all()
    return [OpenChallenge(kind, c.id, c.reference, c.submitted_at, due(c)) for c in rows]


def open_challenges(case: Case) -> list[OpenChallenge]:
    """Appeals (s3.4) and reconsideration requests (s4) on the case not yet decided."""
    return _open_of(Appeal, case, lambda a: a.due_on, "appeal") + _open_of(
        ReconsiderationRequest, case, lambda r: r.answer_due_on, "reconsideration"
    )


def evidence_for(case_id: int) -> Evidence:
    """The evidence summary of one case, for a decision page."""
    case = load_case(case_id)
    since = last_review_on(case)
    logged = [e for e in contacts(case) if since is None or e.when >= day_start(since)]
    return Evidence(
        case=case,
        incidents=_newest(incidents(case)),
        informal_steps=_newest(informal_steps(case)),
        contacts=_newest(logged),
        since=since,
        open_challenges=open_challenges(case),
    )
