"""Sign-in rules and server-side sessions. Plain functions: ``now`` is passed in."""

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from portal.auth.passwords import burn_equal_time, verify_password
from portal.auth.throttle import (
    SignInLocked,
    SignInPaused,
    SignInRefused,
    ThrottleRule,
    claim_guess,
    forget_failures,
)
from portal.database import commit_keeping_what_is_loaded
from portal.extensions import db
from portal.models.people import User, UserSession

__all__ = ["SignInLocked", "SignInPaused", "SignInRefused"]


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str, *, now: dt.datetime, rule: ThrottleRule) -> User:
    """The user with these credentials, or ``SignInRefused`` (SECURITY.md §4).

    The try is counted against the typed address before anything is checked
    (``portal.auth.throttle``): while the address waits or is locked, no password is
    checked, for known and unknown addresses alike. The count is committed here; a
    success is committed by the caller.
    """
    locks = claim_guess(email, now=now, rule=rule)
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    # Read, then end the transaction: the check touches no table, so SQLite's write lock
    # is not held while argon2 works.
    stored_hash, enabled = (user.password_hash, user.is_enabled) if user else (None, False)
    db.session.commit()
    if user is None:
        burn_equal_time(password)
        raise SignInRefused("unknown_account", locked_now=locks)
    if not verify_password(stored_hash, password) or not enabled:
        reason = "wrong_password" if enabled else "account_disabled"
        raise SignInRefused(reason, user, locked_now=locks)
    forget_failures(user.email)
    user.last_signed_in_at = now
    return user


def claim_code_guess(user: User, *, now: dt.datetime, rule: ThrottleRule) -> bool:
    """A second-factor code is a guess too: it counts against the account's address, and
    while the address waits or is locked no code is checked (``SignInPaused`` or
    ``SignInLocked``). Call before checking the code; a right code clears the count."""
    return claim_guess(user.email, now=now, rule=rule)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    user: User,
    *,
    now: dt.datetime,
    awaiting: bool = False,
    user_agent: str = "",
    remote_addr: str = "",
) -> str:
    """A new server-side session; returns the token for the cookie (never stored).
    ``awaiting``: the password was right but the second-factor code is still to come."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_token_hash(token),
            user=user,
            created_at=now,
            last_seen_at=now,
            awaiting_second_factor=awaiting,
            user_agent=user_agent,
            remote_addr=remote_addr,
        )
    )
    return token


# Time to type the code from the app after the password.
SECOND_FACTOR_WINDOW = dt.timedelta(minutes=5)


def _session_row(token: str) -> UserSession | None:
    """The session named by the cookie's token, with its user, their roles and (for a
    customer) their customer record, in one statement (issue 18: every signed-in request
    starts here, and every customer page then needs the record: for the ways to reach us,
    and to check whose letter or restriction is asked for)."""
    user = joinedload(UserSession.user)
    return (
        db.session.execute(
            select(UserSession)
            .where(UserSession.token_hash == _token_hash(token))
            .options(user.joinedload(User.role_grants), user.joinedload(User.customer))
        )
        .unique()
        .scalar_one_or_none()
    )


def pending_session(token: str | None, *, now: dt.datetime) -> UserSession | None:
    """The half-finished sign-in waiting for its second-factor code, if still open."""
    if not token:
        return None
    row = _session_row(token)
    if (
        row is None
        or not row.awaiting_second_factor
        or row.ended_at is not None
        or now - row.created_at > SECOND_FACTOR_WINDOW
        or not row.user.is_enabled
    ):
        return None
    return row


def current_session(token: str | None) -> UserSession | None:
    if not token:
        return None
    return db.session.scalar(
        select(UserSession).where(UserSession.token_hash == _token_hash(token))
    )


def end_session(token: str | None, *, now: dt.datetime) -> UserSession | None:
    if not token:
        return None
    row = _session_row(token)
    if row is not None and row.ended_at is None:
        row.ended_at = now
    return row


def end_all_sessions(user: User, *, now: dt.datetime) -> None:
    """For a disabled account or a password change (ASVS 7.4.2)."""
    for row in db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ):
        row.ended_at = now


# Touching last_seen_at on every request would make every page a write; a minute's
# granularity is plenty for a 30-minute idle timeout.
TOUCH_INTERVAL = dt.timedelta(seconds=60)


def user_for_session(
    token: str | None, user_id: str, *, now: dt.datetime, idle: dt.timedelta, absolute: dt.timedelta
) -> User | None:
    """The signed-in user if the session is live, else None (ending it if it timed out)."""
    if not token:
        return None
    row = _session_row(token)
    if (
        row is None
        or row.ended_at is not None
        or row.awaiting_second_factor
        or str(row.user_id) != str(user_id)
    ):
        return None
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        row.ended_at = now
        db.session.commit()
        return None
    if not row.user.is_enabled:
        return None
    if now - row.last_seen_at > TOUCH_INTERVAL:
        _touch(row, now)
    return row.user


def _touch(row: UserSession, now: dt.datetime) -> None:
    """Record that the session is in use, at most once a TOUCH_INTERVAL, without waiting.

    A page and its htmx requests, or a person's several tabs, reach the minute together:
    each would update the one row, and on PostgreSQL each waited for the one before to
    commit while holding a web worker. The row is taken only if no other request has it
    (SKIP LOCKED) and is still due, so one of them records it and the rest go on. The
    idle timeout stays exact to the minute: the one that records it writes ``now``.

    What the request loaded (the user, their roles, the customer record) is kept: ending
    the transaction would otherwise expire it, and it would be read again.
    """
    due = (
        select(UserSession.id)
        .where(UserSession.id == row.id, UserSession.last_seen_at < now - TOUCH_INTERVAL)
        .with_for_update(skip_locked=True)
    )
    touched = db.session.execute(
        update(UserSession)
        .where(UserSession.id.in_(due))
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    commit_keeping_what_is_loaded()
    if touched:
        set_committed_value(row, "last_seen_at", now)
