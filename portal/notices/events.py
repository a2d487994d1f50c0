"""What the services call when something happens that someone must act on (issue 15
item 7). Each function queues one email job per reader in the caller's transaction: the
caller's commit saves the change and its emails together, or neither."""

import datetime as dt

from sqlalchemy import select

from portal import jobs
from portal.extensions import db
from portal.models import AdvocateAuthority, Restriction, User, UserRole
from portal.models.vocab import Role
from portal.notices.emails import JOB_KIND


def _queue(notice: str, reader: str, reader_id: int, **extra) -> None:
    jobs.enqueue(JOB_KIND, {"notice": notice, "reader": reader, "reader_id": reader_id, **extra})


def _queue_staff(notice: str, user_ids, endpoint: str, **values) -> None:
    for user_id in user_ids:
        _queue(notice, "user", user_id, endpoint=endpoint, values=values)


def staff_with_role(role: Role) -> list[int]:
    return list(
        db.session.scalars(
            select(User.id)
            .join(UserRole)
            .where(UserRole.role == role, User.is_enabled.is_(True))
            .order_by(User.id)
        )
    )


def challenge_received(challenge, kind: str, today: dt.date) -> None:
    """s3.4, s4: the customer, and every advocate whose valid authority lets them act for
    the customer, are told the appeal or request arrived and when to expect the answer."""
    _queue("challenge_received", "customer", challenge.customer_id, challenge=kind)
    acting = db.session.scalars(
        select(AdvocateAuthority).where(
            AdvocateAuthority.customer_id == challenge.customer_id,
            AdvocateAuthority.can_act.is_(True),
            AdvocateAuthority.revoked_at.is_(None),
        )
    )
    for authority in acting:
        if authority.is_valid_on(today):
            _queue("challenge_received", "authority", authority.id, challenge=kind)


def proposal_waiting(restriction: Restriction) -> None:
    """s3.4: a proposal waits for a review manager; every one but its proposer is told."""
    managers = [m for m in staff_with_role(Role.REVIEW_MANAGER) if m != restriction.proposed_by_id]
    _queue_staff("proposal_waiting", managers, "restrictions.show", restriction_id=restriction.id)


def proposal_decided(restriction: Restriction, *, approved: bool) -> None:
    """The proposer hears the decision; once approved, the case officer is told the
    letter (s3.2: every restriction is communicated in writing) waits for them."""
    notice = "proposal_approved" if approved else "proposal_rejected"
    _queue_staff(
        notice, [restriction.proposed_by_id], "restrictions.show", restriction_id=restriction.id
    )
    if approved:
        letter_waiting(restriction)


def letter_waiting(restriction: Restriction) -> None:
    """A restriction took effect: its case officer is told its letter waits (s3.2)."""
    officer_id = restriction.case.case_officer_id
    if officer_id is not None:
        _queue_staff("letter_to_issue", [officer_id], "letters.new", case_id=restriction.case_id)


def referral_waiting(team: list[int]) -> None:
    """s3.2: a Community Safety referral nobody has accepted (``notices.referrals``)."""
    _queue_staff("referral_waiting", team, "staff.community_safety")
