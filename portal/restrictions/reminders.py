"""Review reminders (s3.4; DESIGN.md "Beyond" 7): what is due, to whom."""

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.external_links import external_url
from portal.mail import send_email
from portal.models import Case, Customer, Restriction, User, UserRole
from portal.models.vocab import RestrictionStatus, Role


def reminder_lines(*, today: dt.date, days: int) -> list[str]:
    """One line per active restriction whose review is overdue or due within ``days``.
    Reminders go to staff, in English, as the staff interface's working language."""
    officer = aliased(User)
    rows = db.session.execute(
        select(Restriction.next_review_on, Case.reference, Customer.full_name, officer.display_name)
        .join(Case, Restriction.case_id == Case.id)
        .join(Customer, Case.customer_id == Customer.id)
        .outerjoin(officer, Case.case_officer_id == officer.id)
        .where(
            Restriction.status == RestrictionStatus.ACTIVE,
            Restriction.next_review_on <= today + dt.timedelta(days=days),
        )
        .order_by(Restriction.next_review_on)
    ).all()
    lines = []
    for due, reference, customer, officer_name in rows:
        state = "OVERDUE" if due < today else "due"
        lines.append(
            f"{reference}  {customer}  review {state} {due.isoformat()}  "
            f"(officer: {officer_name or 'none'})"
        )
    return lines


def reminder_body(*, overdue: int, due: int, days: int) -> str:
    """The email says how many, and where to sign in: no customer, reference or officer
    (issue 15 item 7 — an email can be forwarded or read over a shoulder; the names are
    on the signed-in reviews page)."""
    link = external_url("staff.reviews")
    return (
        "Restriction reviews (policy section 3.4):\n\n"
        f"  overdue: {overdue}\n"
        f"  due within {days} days: {due}\n\n"
        f"Sign in to see them: {link}\n"
    )


def send_reminders(*, today: dt.date, days: int) -> int:
    """Email each enabled review manager the counts; returns how many were emailed."""
    due_dates = db.session.scalars(
        select(Restriction.next_review_on).where(
            Restriction.status == RestrictionStatus.ACTIVE,
            Restriction.next_review_on <= today + dt.timedelta(days=days),
        )
    ).all()
    overdue = sum(1 for due in due_dates if due < today)
    body = reminder_body(overdue=overdue, due=len(due_dates) - overdue, days=days)
    managers = db.session.scalars(
        select(User)
        .join(UserRole)
        .where(UserRole.role == Role.REVIEW_MANAGER, User.is_enabled.is_(True))
    ).all()
    for manager in managers:
        send_email(manager.email, "Managed behaviour: reviews due", body)
    return len(managers)
