"""Slowing password guessing per account without letting an attacker lock its owner out
(issue 14 item 3; SECURITY.md §4: OWASP Authentication Cheat Sheet, Cyber Essentials 4.2.1).

Each email address typed at sign-in has a row, whether or not an account uses it, so a
wrong email and a wrong password meet the same waits and the same words (no enumeration).

- The first ``free_tries`` wrong guesses cost nothing.
- After that no password is checked until a wait has passed: ``first_wait``, doubling with
  each further wrong guess up to ``longest_wait``. With the defaults (5 free, 30 seconds,
  15 minutes) that is at most 8 guesses in any 5 minutes (Cyber Essentials: at most 10).
- Tries refused while waiting are counted but check nothing, so they neither teach the
  attacker anything nor lengthen the wait.
- After ``lock_after`` wrong guesses the account is locked until a password reset (the
  owner's email link) or an admin ends it: the owner can always get back in.

The try is counted *before* the password is checked, by one statement that holds the row
lock (PostgreSQL) or the write lock (SQLite's BEGIN IMMEDIATE) and is committed at once, so
concurrent guesses queue on the row and each sees the ones before it: no race lets more
guesses through than the rule allows. A right password then clears the row.
"""

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from portal.extensions import db
from portal.models import SignInThrottle


class SignInRefused(Exception):
    """Wrong email, wrong password, disabled or locked account: one answer for all, so
    the page never tells an attacker which (OWASP Authentication Cheat Sheet). The audit
    trail is told which: ``reason``, the ``user`` (None for an address with no account),
    and ``locked_now`` when this wrong answer locked the address."""

    reason = "refused"

    def __init__(self, reason: str | None = None, user=None, *, locked_now: bool = False):
        super().__init__(reason or self.reason)
        self.reason = reason or self.reason
        self.user = user
        self.locked_now = locked_now


class SignInPaused(SignInRefused):
    """Too many wrong guesses for this email address: no password is checked before
    ``until``. Said alike for addresses with and without an account."""

    reason = "waiting"

    def __init__(self, until: dt.datetime):
        super().__init__()
        self.until = until


class SignInLocked(SignInRefused):
    """So many wrong guesses that only a password reset or an admin lets anyone in."""

    reason = "locked"


@dataclass(frozen=True)
class ThrottleRule:
    free_tries: int
    first_wait: dt.timedelta
    longest_wait: dt.timedelta
    lock_after: int

    @classmethod
    def from_config(cls, config) -> "ThrottleRule":
        return cls(
            free_tries=config["SIGN_IN_FREE_TRIES"],
            first_wait=config["SIGN_IN_FIRST_WAIT"],
            longest_wait=config["SIGN_IN_LONGEST_WAIT"],
            lock_after=config["SIGN_IN_LOCK_AFTER"],
        )

    def wait_after(self, wrong_guesses: int) -> dt.timedelta | None:
        """How long to wait after this many wrong guesses; None: no wait."""
        beyond = wrong_guesses - self.free_tries
        if beyond < 0:
            return None
        return min(self.first_wait * 2 ** min(beyond, 20), self.longest_wait)


def email_key(email: str) -> str:
    """The address as a keyed hash: enough to count, useless if the table leaks."""
    secret = current_app.config["SECRET_KEY"].encode()
    normalised = email.strip().lower().encode()
    return hmac.new(secret, normalised, hashlib.sha256).hexdigest()


def _count_try(key: str, now: dt.datetime):
    """Add one failed try (taken back by a success) and return the row as it now stands.
    The upsert takes the row lock, held until the commit."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(SignInThrottle)
        .values(email_key=key, failed_tries=1, wrong_guesses=0, last_failed_at=now)
        .on_conflict_do_update(
            index_elements=["email_key"],
            set_={"failed_tries": SignInThrottle.failed_tries + 1, "last_failed_at": now},
        )
        .returning(
            SignInThrottle.wrong_guesses, SignInThrottle.next_try_at, SignInThrottle.locked_at
        )
    )
    return db.session.execute(statement).one()


def claim_guess(email: str, *, now: dt.datetime, rule: ThrottleRule) -> bool:
    """Count a try at this address and, if it may be checked now, count it as a wrong
    guess in advance (a right one clears the row). Commits at once, so a refused try still
    counts and no lock is held while the password is hashed. Raises ``SignInPaused`` or
    ``SignInLocked`` when no password may be checked; returns whether a wrong answer now
    locks the address (for the audit trail's lockout event)."""
    key = email_key(email)
    row = _count_try(key, now)
    if row.locked_at is not None:
        db.session.commit()
        raise SignInLocked
    if row.next_try_at is not None and now < row.next_try_at:
        db.session.commit()
        raise SignInPaused(row.next_try_at)
    guesses = row.wrong_guesses + 1
    wait = rule.wait_after(guesses)
    db.session.execute(
        sa.update(SignInThrottle)
        .where(SignInThrottle.email_key == key)
        .values(
            wrong_guesses=SignInThrottle.wrong_guesses + 1,
            next_try_at=now + wait if wait is not None else None,
            locked_at=now if guesses >= rule.lock_after else None,
        )
    )
    db.session.commit()
    return guesses >= rule.lock_after


def forget_failures(email: str) -> None:
    """The right password, a password reset or an admin's unlock: start again from
    nothing. The caller commits."""
    key = email_key(email)
    db.session.execute(sa.delete(SignInThrottle).where(SignInThrottle.email_key == key))


def throttle_for(email: str) -> SignInThrottle | None:
    """The failures recorded for this address, for the admin's account page."""
    return db.session.get(SignInThrottle, email_key(email))
