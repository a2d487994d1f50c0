"""Feedback on the policy (s5.3: "customers, colleagues, and service users may be involved
in giving feedback on this policy, leading to amendments where appropriate"; issue 17).

Anyone may give it, signed in or not, anonymously or leaving a way to reach them. The
public form has no CAPTCHA (which shuts out many disabled people): a signed time trap
refuses a form sent faster than a person can fill it in, and a per-address rate limit
(portal.auth.rate_limits) caps how many one address can send. The owner records what was
done with each (s5.3), and the review pack lists what came in since the version in force
began.
"""

import datetime as dt
import time

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import func, select

from portal import audit
from portal.clock import LONDON, day_of
from portal.extensions import db
from portal.models import PolicyFeedback
from portal.models.vocab import FeedbackFrom, FeedbackOutcome, Role
from portal.policy import versions
from portal.translations import lazy_gettext as _l

# The policy's own sections (its numbering), or the whole of it.
SECTIONS = {
    "whole": _l("The whole policy"),
    "1": _l("1. Background and objectives"),
    "2": _l("2. Policy statement"),
    "3.1": _l("3.1. What we mean by unacceptable behaviour"),
    "3.2": _l("3.2. How we manage it"),
    "3.3": _l("3.3. What actions we take"),
    "3.4": _l("3.4. The right to appeal, and reviews"),
    "3.5": _l("3.5. How long restrictions last"),
    "4": _l("4. Asking us to reconsider"),
    "5": _l("5. Monitoring, consultation and review"),
    "6": _l("6. Equality and diversity"),
    "7": _l("7. Complaints"),
    "8": _l("8. Associated documents"),
}

# A person reads the form and writes something: faster than this is a program.
FASTEST_HUMAN_SECONDS = 3
# A form left open longer than this is stale (start again; what was typed is kept).
FORM_LIFETIME_SECONDS = 24 * 3600
_SALT = "policy-feedback-started"


class TooFast(Exception):
    """Sent faster than a person could, or with a missing or stale time stamp."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def started_stamp(now: float | None = None) -> str:
    """The form's hidden, signed record of when it was shown."""
    return _serializer().dumps(time.time() if now is None else now)


def check_time_trap(stamp: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    try:
        shown = float(_serializer().loads(stamp or "", max_age=FORM_LIFETIME_SECONDS))
    except (BadData, TypeError, ValueError):
        raise TooFast from None
    if now - shown < FASTEST_HUMAN_SECONDS:
        raise TooFast


def given_by_default(user) -> FeedbackFrom | None:
    """Who a signed-in person is, to start the form from (they may change it)."""
    if user is None:
        return None
    if user.has_role(Role.CUSTOMER):
        return FeedbackFrom.CUSTOMER
    if user.has_role(Role.ADVOCATE):
        return FeedbackFrom.ADVOCATE
    if user.is_staff:
        return FeedbackFrom.COLLEAGUE
    return None


def receive(
    *,
    section: str,
    text: str,
    given_by: FeedbackFrom,
    user,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    now: dt.datetime,
) -> PolicyFeedback:
    """Keep one piece of feedback with the version in force that day."""
    if section not in SECTIONS:
        raise ValueError(section)
    feedback = PolicyFeedback(
        received_at=now,
        policy_version_id=versions.id_in_force(day_of(now)),
        section=section,
        text=text.strip(),
        given_by=given_by,
        user_id=user.id if user is not None else None,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
    )
    db.session.add(feedback)
    db.session.flush()
    audit.record(
        "policy_feedback_receive",
        actor=user,
        object_type="policy_feedback",
        object_id=feedback.id,
        details={"section": section},
        commit=False,
    )
    db.session.commit()
    return feedback


def consider(
    feedback: PolicyFeedback, *, outcome: FeedbackOutcome, note: str, by, now: dt.datetime
) -> None:
    """The owner records what was done with it (s5.3); it may be recorded again."""
    feedback.outcome = outcome
    feedback.outcome_note = note.strip()
    feedback.considered_by_id = by.id
    feedback.considered_at = now
    audit.record(
        "policy_feedback_consider",
        actor=by,
        object_type="policy_feedback",
        object_id=feedback.id,
        details={"outcome": outcome.value},
        commit=False,
    )
    db.session.commit()


def since(start: dt.date | None):
    """Feedback received on or after ``start`` (all of it for None), by section then
    oldest first: the owner's list and the review pack."""
    statement = select(PolicyFeedback)
    if start is not None:
        statement = statement.where(
            PolicyFeedback.received_at >= dt.datetime.combine(start, dt.time(), tzinfo=LONDON)
        )
    order = {key: position for position, key in enumerate(SECTIONS)}
    items = list(db.session.scalars(statement.order_by(PolicyFeedback.received_at)))
    return sorted(items, key=lambda item: order.get(item.section, len(order)))


def review_period_start(today: dt.date) -> dt.date | None:
    """Since the version in force came into force (None: since the first feedback)."""
    version = versions.in_force_on(today)
    return version.in_force_from if version is not None else None


def counts_in(start_at: dt.datetime, end_before: dt.datetime) -> tuple[int, int]:
    """(received, considered) in a period: the annual report's figures (s5.1, s5.3)."""
    received, considered = db.session.execute(
        select(func.count(PolicyFeedback.id), func.count(PolicyFeedback.outcome)).where(
            PolicyFeedback.received_at >= start_at, PolicyFeedback.received_at < end_before
        )
    ).one()
    return received, considered
