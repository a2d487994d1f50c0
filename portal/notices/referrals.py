"""Chasing Community Safety referrals nobody has accepted (s3.2; issue 15 item 7).

Verbal abuse, threats or violence are referred to Community Safety at once (s3.2). A
referral still open two working days later (England & Wales bank holidays excluded) is
brought to the whole team by email, once: the reminder is recorded in the audit trail,
the record of who was told what, and a referral with that record is never chased again,
however often the scheduler runs ``flask notices referrals``.
"""

import datetime as dt

from sqlalchemy import and_, exists, select

from portal import audit
from portal.clock import day_of
from portal.dates import add_working_days
from portal.extensions import db
from portal.models import AuditEvent, Referral
from portal.models.vocab import ReferralKind, ReferralStatus, Role
from portal.notices import events

WORKING_DAYS_TO_ACCEPT = 2
REMINDED = "referral_reminder_sent"


def accept_by(referred_at: dt.datetime) -> dt.date:
    """The working day on which an unaccepted referral is chased."""
    return add_working_days(day_of(referred_at), WORKING_DAYS_TO_ACCEPT)


def unaccepted_referrals(today: dt.date) -> list[Referral]:
    """Open Community Safety referrals past their two working days and not yet chased."""
    chased = exists().where(
        and_(
            AuditEvent.action == REMINDED,
            AuditEvent.object_type == "referral",
            AuditEvent.object_id == Referral.id,
        )
    )
    waiting = db.session.scalars(
        select(Referral)
        .where(
            Referral.kind == ReferralKind.COMMUNITY_SAFETY,
            Referral.status == ReferralStatus.OPEN,
            ~chased,
        )
        .order_by(Referral.created_at)
        # Two runs at once on PostgreSQL: the second skips what the first is chasing.
        .with_for_update(skip_locked=True, of=Referral)
    )
    return [referral for referral in waiting if accept_by(referral.created_at) <= today]


def remind_unaccepted(today: dt.date) -> int:
    """Queue one email per Community Safety colleague for each referral due a reminder,
    and record that it was sent, in one transaction. Returns how many were chased."""
    referrals = unaccepted_referrals(today)
    team = events.staff_with_role(Role.COMMUNITY_SAFETY)
    for referral in referrals:
        events.referral_waiting(team)
        audit.record(
            REMINDED,
            actor=None,
            object_type="referral",
            object_id=referral.id,
            customer_id=referral.case.customer_id,
            details={"recipients": len(team)},
            commit=False,
        )
    db.session.commit()
    return len(referrals)
