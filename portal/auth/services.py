"""Sign-in rules and server-side sessions. Plain functions: ``now`` is passed in."""

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select

from portal.auth.passwords import burn_equal_time, verify_password
from portal.extensions import db
from portal.models.people import User, UserSession


class SignInRefused(Exception):
    """Wrong email, wrong password, disabled or locked account: one answer for all, so
    the page never tells an attacker which (OWASP Authentication Cheat Sheet). The audit
    trail is told which: ``user`` (None for an unknown address), ``reason``, and
    ``locked_now`` when this failure locked the account."""

    def __init__(self, reason: str, user: User | None = None, *, locked_now: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.user = user
        self.locked_now = locked_now


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(
    email: str, password: str, *, now: dt.datetime, max_failures: int, lockout: dt.timedelta
) -> User:
    """The user with these credentials, or ``SignInRefused``.

    Failures are counted per account; after ``max_failures`` the account is locked for
    ``lockout`` (Cyber Essentials 4.2.1). The counter write is committed by the caller.
    """
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        burn_equal_time(password)
        raise SignInRefused("unknown_account")
    if user_is_locked(user, now):
        burn_equal_time(password)
        raise SignInRefused("locked", user)
    if not verify_password(user.password_hash, password) or not user.is_enabled:
        locked_now = count_failure(user, now=now, max_failures=max_failures, lockout=lockout)
        reason = "account_disabled" if not user.is_enabled else "wrong_password"
        raise SignInRefused(reason, user, locked_now=locked_now)
    user.failed_sign_in_count = 0
    user.locked_until = None
    user.last_signed_in_at = now
    return user


def user_is_locked(user: User, now: dt.datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def count_failure(
    user: User, *, now: dt.datetime, max_failures: int, lockout: dt.timedelta
) -> bool:
    """A wrong password or a wrong second-factor code: both count towards the lockout.
    True when this failure locked the account."""
    user.failed_sign_in_count += 1
    if user.failed_sign_in_count >= max_failures:
        user.locked_until = now + lockout
        user.failed_sign_in_count = 0
        return True
    return False


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


def pending_session(token: str | None, *, now: dt.datetime) -> UserSession | None:
    """The half-finished sign-in waiting for its second-factor code, if still open."""
    if not token:
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
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
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
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
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
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
        row.last_seen_at = now
        db.session.commit()
    return row.user
