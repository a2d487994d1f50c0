"""The to-do list on a staff member's home page (issue 15 item 7): the same things the
"what happens next" emails announce, for every role the person holds.

A constant number of SQL statements whatever the caseload: one row of counts for the
queues, and one query for the case officer's letters waiting to be issued. The list stays
short whatever the caseload too: the oldest few letters are named, and the rest are one
item leading to the whole list, a page at a time (issue 18: an officer with 1,900 open
cases had several hundred links on every page of their own).
"""

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import ngettext
from sqlalchemy import and_, exists, func, select

from portal.extensions import db
from portal.models import Appeal, Case, Letter, ReconsiderationRequest, Referral, Restriction
from portal.models.vocab import (
    ChallengeStatus,
    LetterKind,
    LetterStatus,
    ReferralKind,
    ReferralStatus,
    RestrictionStatus,
    Role,
)
from portal.translations import gettext as _

OPEN_CHALLENGE = (ChallengeStatus.RECEIVED, ChallengeStatus.BEING_CONSIDERED)
LETTERS_NAMED = 5  # letters to issue named one by one on the to-do list
SENT = (LetterStatus.ISSUED, LetterStatus.SUPERSEDED)


@dataclass(frozen=True)
class ToDoItem:
    text: str
    endpoint: str
    values: dict = field(default_factory=dict)


def _count(model, *conditions):
    return select(func.count(model.id)).where(*conditions).scalar_subquery()


def _queue_counts(user_id: int, today: dt.date) -> dict:
    """Every queue's count in one statement (counted for all roles: cheap, and constant)."""
    row = db.session.execute(
        select(
            _count(
                Restriction,
                Restriction.status == RestrictionStatus.PROPOSED,
                Restriction.proposed_by_id != user_id,  # s3.4: never one's own
            ).label("proposals"),
            _count(
                Restriction,
                Restriction.status == RestrictionStatus.ACTIVE,
                Restriction.next_review_on < today,
            ).label("overdue_reviews"),
            _count(Appeal, Appeal.status.in_(OPEN_CHALLENGE)).label("appeals"),
            _count(ReconsiderationRequest, ReconsiderationRequest.status.in_(OPEN_CHALLENGE)).label(
                "reconsiderations"
            ),
            _count(
                Referral,
                Referral.kind == ReferralKind.COMMUNITY_SAFETY,
                Referral.status == ReferralStatus.OPEN,
            ).label("referrals"),
        )
    ).one()
    return row._asdict()


def letters_to_issue_query(officer_id: int):
    """Restrictions in place on the officer's open cases whose notice (s3.2) has not been
    issued: (restriction id, case id, case reference, approved at), oldest approval first."""
    issued = exists().where(
        and_(
            Letter.restriction_id == Restriction.id,
            Letter.kind == LetterKind.RESTRICTION_NOTICE,
            Letter.status.in_(SENT),
        )
    )
    return (
        select(Restriction.id, Case.id, Case.reference, Restriction.approved_at)
        .join(Case, Restriction.case_id == Case.id)
        .where(
            Case.case_officer_id == officer_id,
            Case.closed_at.is_(None),
            Restriction.status == RestrictionStatus.ACTIVE,
            ~issued,
        )
        .order_by(Restriction.approved_at, Restriction.id)
    )


def _manager_items(counts: dict) -> list[ToDoItem]:
    items = []
    if counts["proposals"]:
        text = ngettext(
            "%(num)d proposed restriction is waiting for your approval",
            "%(num)d proposed restrictions are waiting for your approval",
            counts["proposals"],
        )
        items.append(ToDoItem(text, "staff.reviews"))
    if counts["overdue_reviews"]:
        text = ngettext(
            "%(num)d review is overdue",
            "%(num)d reviews are overdue",
            counts["overdue_reviews"],
        )
        items.append(ToDoItem(text, "staff.reviews"))
    return items


def _director_items(counts: dict) -> list[ToDoItem]:
    items = []
    if counts["appeals"]:
        text = ngettext(
            "%(num)d appeal is waiting for a decision",
            "%(num)d appeals are waiting for a decision",
            counts["appeals"],
        )
        items.append(ToDoItem(text, "staff.appeals"))
    if counts["reconsiderations"]:
        text = ngettext(
            "%(num)d request to reconsider is waiting for a decision",
            "%(num)d requests to reconsider are waiting for a decision",
            counts["reconsiderations"],
        )
        items.append(ToDoItem(text, "staff.appeals"))
    return items


def _community_safety_items(counts: dict) -> list[ToDoItem]:
    if not counts["referrals"]:
        return []
    text = ngettext(
        "%(num)d referral is waiting to be accepted",
        "%(num)d referrals are waiting to be accepted",
        counts["referrals"],
    )
    return [ToDoItem(text, "staff.community_safety")]


def _officer_items(officer_id: int) -> list[ToDoItem]:
    """The oldest ``LETTERS_NAMED`` letters to issue, each by its case; the others counted
    in one item leading to the whole list. One statement: the count rides on each row."""
    rows = db.session.execute(
        letters_to_issue_query(officer_id).add_columns(func.count().over()).limit(LETTERS_NAMED)
    ).all()
    items = [
        ToDoItem(
            _("Issue the letter for the restriction approved on case %(reference)s", reference=ref),
            "letters.new",
            {"case_id": case_id},
        )
        for _restriction_id, case_id, ref, _approved_at, _total in rows
    ]
    more = rows[0][-1] - len(rows) if rows else 0
    if more:
        text = ngettext(
            "%(num)d more restriction is waiting for its letter",
            "%(num)d more restrictions are waiting for their letters",
            more,
        )
        items.append(ToDoItem(text, "staff.letters_to_issue"))
    return items


def to_do_for(user, today: dt.date) -> list[ToDoItem]:
    """What needs this staff member now, across every role they hold."""
    counts = _queue_counts(user.id, today)
    items = []
    if user.has_role(Role.CASE_OFFICER):
        items += _officer_items(user.id)
    if user.has_role(Role.REVIEW_MANAGER):
        items += _manager_items(counts)
    if user.has_role(Role.APPEALS_DIRECTOR):
        items += _director_items(counts)
    if user.has_role(Role.COMMUNITY_SAFETY):
        items += _community_safety_items(counts)
    return items
