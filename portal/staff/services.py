"""The work queues on each staff role's home page. Aggregate queries, ``today`` passed in."""

import datetime as dt

from sqlalchemy import any_, func, select
from sqlalchemy.orm import aliased, selectinload

from portal.extensions import db
from portal.models import (
    Appeal,
    Case,
    Customer,
    ReconsiderationRequest,
    Referral,
    Restriction,
    Review,
    User,
)
from portal.models.vocab import (
    STAFF_ROLES,
    ChallengeStatus,
    ReferralKind,
    ReferralStatus,
    RestrictionStatus,
)

# s3.4 reviews: the dashboard looks this far ahead (issue 4).
REVIEW_LOOKAHEAD = dt.timedelta(days=14)
OPEN_CHALLENGE = (ChallengeStatus.RECEIVED, ChallengeStatus.BEING_CONSIDERED)


def caseload(officer_id: int, order: str = "next_review"):
    """Open cases an officer holds, with their active restrictions' earliest review date."""
    return db.session.execute(caseload_query(officer_id, order)).all()


def caseload_query(officer_id: int, order: str = "next_review"):
    """The caseload as a statement, for a page at a time (portal.pagination), in the order
    chosen: next review first (the default: s3.4 reviews must not be missed), newest or
    oldest opened first."""
    active = (
        select(
            Restriction.case_id,
            func.count(Restriction.id).label("active_count"),
            func.min(Restriction.next_review_on).label("next_review_on"),
        )
        .where(Restriction.status == RestrictionStatus.ACTIVE)
        .group_by(Restriction.case_id)
        .subquery()
    )
    orders = {
        "next_review": (
            active.c.next_review_on.is_(None),
            active.c.next_review_on,
            Case.opened_at,
        ),
        "opened_newest": (Case.opened_at.desc(),),
        "opened_oldest": (Case.opened_at,),
    }
    # Each shown case's customer comes in a second statement for just those rows: joined
    # here, PostgreSQL hashed all 350,000 customers to sort an officer's 2,000 cases
    # (35 ms of three processes' time per page at a large landlord; issue 18).
    return (
        select(Case, active.c.active_count, active.c.next_review_on)
        .outerjoin(active, active.c.case_id == Case.id)
        .where(Case.case_officer_id == officer_id, Case.closed_at.is_(None))
        .order_by(*orders.get(order, orders["next_review"]), Case.id)
        .options(selectinload(Case.customer))
    )


# The queues below are statements, shown a page at a time (portal.pagination): at a large
# landlord a fortnight's reviews due run to hundreds of rows (issue 18). Each ordering
# ends on the id so a row never moves between pages.


def _awaiting_approval():
    return (Restriction.status == RestrictionStatus.PROPOSED,)


def restrictions_awaiting_approval_query():
    """Restrictions proposed and waiting for a second person's approval (s3.3)."""
    return (
        select(Restriction, Case, Customer)
        .join(Case, Restriction.case_id == Case.id)
        .join(Customer, Case.customer_id == Customer.id)
        .where(*_awaiting_approval())
        .order_by(Restriction.proposed_at, Restriction.id)
    )


def restrictions_awaiting_approval_ids():
    """The same restrictions, for counting: every restriction has its case and customer."""
    return select(Restriction.id).where(*_awaiting_approval())


def _review_due(today: dt.date):
    return (
        Restriction.status == RestrictionStatus.ACTIVE,
        Restriction.next_review_on <= today + REVIEW_LOOKAHEAD,
    )


def reviews_due_query(today: dt.date):
    """Active restrictions whose review is overdue or due within the look-ahead, oldest
    first, for the whole team, with each case's officer (s3.4)."""
    officer = aliased(User)
    return (
        select(Restriction, Case, Customer, officer.display_name)
        .join(Case, Restriction.case_id == Case.id)
        .join(Customer, Case.customer_id == Customer.id)
        .outerjoin(officer, Case.case_officer_id == officer.id)
        .where(*_review_due(today))
        .order_by(Restriction.next_review_on, Restriction.id)
    )


def reviews_due_ids(today: dt.date):
    """The same restrictions, for counting (served by the status and review-date index)."""
    return select(Restriction.id).where(*_review_due(today))


def _with_review_not_held():
    """Restrictions with a review not yet held: a few hundred, where restrictions that ended
    pile up without end. On PostgreSQL the ids are gathered first, from their partial
    index, into an array, and the restrictions looked up by id: as a join, the planner
    hashed all 7,244 ended restrictions at the largest landlord's scale to meet them
    (issue 18: 4.2 -> 0.4 ms, and the count 1.7 -> 0.4 ms)."""
    not_held = select(Review.restriction_id).where(Review.held_on.is_(None))
    if db.engine.dialect.name == "postgresql":
        return Restriction.id == any_(func.array(not_held.scalar_subquery()))
    return Restriction.id.in_(not_held)


def _ended_awaiting_review(statement):
    """``statement`` (selecting from restrictions) kept to those that lapsed at their end
    date with a review not yet held."""
    return statement.where(Restriction.status == RestrictionStatus.EXPIRED, _with_review_not_held())


def ended_awaiting_review_query():
    """Restrictions that lapsed at their end date and were flagged for review (s3.5)."""
    return _ended_awaiting_review(
        select(Restriction, Case, Customer)
        .join(Case, Restriction.case_id == Case.id)
        .join(Customer, Case.customer_id == Customer.id)
    ).order_by(Restriction.ends_on, Restriction.id)


def ended_awaiting_review_ids():
    """The same restrictions, for counting."""
    return _ended_awaiting_review(select(Restriction.id))


def open_appeals_query():
    """Appeals not yet decided (s3.4), by due date."""
    return (
        select(Appeal, Customer)
        .join(Customer, Appeal.customer_id == Customer.id)
        .where(Appeal.status.in_(OPEN_CHALLENGE))
        .order_by(Appeal.due_on, Appeal.submitted_at, Appeal.id)
    )


def open_requests_query():
    """Reconsideration requests not yet answered (s4), by the date the answer is due."""
    return (
        select(ReconsiderationRequest, Customer)
        .join(Customer, ReconsiderationRequest.customer_id == Customer.id)
        .where(ReconsiderationRequest.status.in_(OPEN_CHALLENGE))
        .order_by(ReconsiderationRequest.answer_due_on, ReconsiderationRequest.id)
    )


def restrictions_awaiting_approval():
    return db.session.execute(restrictions_awaiting_approval_query()).all()


def reviews_due(today: dt.date):
    return db.session.execute(reviews_due_query(today)).all()


def ended_awaiting_review():
    return db.session.execute(ended_awaiting_review_query()).all()


def open_challenges():
    """Appeals (s3.4) and reconsideration requests (s4) not yet decided, by due date."""
    return (
        db.session.execute(open_appeals_query()).all(),
        db.session.execute(open_requests_query()).all(),
    )


def community_safety_queue():
    """Referrals for verbal abuse, threats or violence (s3.2), oldest first."""
    return db.session.execute(
        select(Referral, Case, Customer)
        .join(Case, Referral.case_id == Case.id)
        .join(Customer, Case.customer_id == Customer.id)
        .where(Referral.kind == ReferralKind.COMMUNITY_SAFETY)
        .where(Referral.status != ReferralStatus.CLOSED)
        .order_by(Referral.created_at)
    ).all()


def headline_counts(today: dt.date) -> dict[str, int]:
    """Aggregates only: leadership sees no names (s5.1)."""
    return {
        "open_cases": db.session.scalar(
            select(func.count(Case.id)).where(Case.closed_at.is_(None))
        ),
        "active_restrictions": db.session.scalar(
            select(func.count(Restriction.id)).where(Restriction.status == RestrictionStatus.ACTIVE)
        ),
        "overdue_reviews": db.session.scalar(
            select(func.count(Restriction.id)).where(
                Restriction.status == RestrictionStatus.ACTIVE, Restriction.next_review_on < today
            )
        ),
        "open_appeals": db.session.scalar(
            select(func.count(Appeal.id)).where(Appeal.status.in_(OPEN_CHALLENGE))
        ),
        "open_reconsiderations": db.session.scalar(
            select(func.count(ReconsiderationRequest.id)).where(
                ReconsiderationRequest.status.in_(OPEN_CHALLENGE)
            )
        ),
    }


def staff_accounts() -> list[User]:
    users = db.session.scalars(select(User).order_by(User.display_name)).all()
    return [user for user in users if user.roles & STAFF_ROLES]
