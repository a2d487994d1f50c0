"""Reminders that the policy's review is due (s5.4; issue 17): 90 and 30 days before the
next review date, and once when it is overdue, to the policy's owner (s1.6) and the
leadership team, who approve the next version (s9). Sent by the daily review reminder
command (deploy/crontab); each is sent once, however often the command runs."""

import datetime as dt

from sqlalchemy import select

from portal.extensions import db
from portal.external_links import external_url
from portal.mail import send_email
from portal.models import User, UserRole
from portal.models.vocab import Role
from portal.policy.versions import REMINDER_DAYS, review_due

OVERDUE = 0


def threshold(days_left: int) -> int | None:
    """The reminder a review this many days away calls for: 90, 30, 0 (overdue) or none."""
    if days_left < 0:
        return OVERDUE
    passed = [days for days in REMINDER_DAYS if days_left <= days]
    return min(passed) if passed else None


def reminder_body(number: str, due_on: dt.date, days_left: int) -> str:
    """Staff emails are in English, the staff interface's working language."""
    when = (
        f"was due on {due_on:%d %B %Y} and is overdue"
        if days_left < 0
        else f"is due by {due_on:%d %B %Y}, in {days_left} days"
    )
    return (
        f"The review of the Managed Behaviour Policy (version {number}) {when} "
        "(policy section 5.4: reviewed within two years of its approval).\n\n"
        f"Sign in to draft the next version: {external_url('policy.index')}\n"
    )


def send_policy_reminder(today: dt.date) -> int:
    """Email the owner role and leadership when a reminder is due and not yet sent;
    returns how many people were emailed (0 when nothing is due or it was sent)."""
    review = review_due(today)
    if review is None:
        return 0
    wanted = threshold(review.days_left)
    sent = review.version.review_reminder_sent
    if wanted is None or (sent is not None and sent <= wanted):
        return 0
    roles = {review.version.owner_role, Role.LEADERSHIP}
    people = db.session.scalars(
        select(User)
        .join(UserRole)
        .where(UserRole.role.in_(roles), User.is_enabled.is_(True))
        .distinct()
    ).all()
    subject = (
        "Managed behaviour: the policy's review is overdue"
        if wanted == OVERDUE
        else "Managed behaviour: the policy's review is due"
    )
    body = reminder_body(review.version.number, review.due_on, review.days_left)
    for person in people:
        send_email(person.email, subject, body)
    review.version.review_reminder_sent = wanted
    db.session.commit()
    return len(people)
