"""One-time links sent by email: password resets and invitations (issue 13)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import UTCDateTime, enum_type, utcnow
from portal.models.vocab import LinkPurpose


class OneTimeLink(db.Model):
    """A link that works once, until it expires. Only the token's SHA-256 is stored, so a
    copy of the database cannot be used to take over an account (ASVS 6.4.1)."""

    __tablename__ = "one_time_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[LinkPurpose] = mapped_column(enum_type(LinkPurpose, "link_purpose"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The address the link was sent to: the only address it may act for.
    email: Mapped[str] = mapped_column(sa.String(254))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # What the link carries beyond its owner, e.g. the roles a colleague is invited to or
    # the new address of an email change.
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
    customer = relationship("Customer", foreign_keys=[customer_id])

    def is_usable(self, now: dt.datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class RateLimitWindow(db.Model):
    """How many tries one network address made at one door in one fixed time window
    (portal.auth.rate_limits). In the database, so every app server counts the same tries;
    the address is kept only as a keyed hash (UK GDPR Art. 5(1)(c))."""

    __tablename__ = "rate_limit_windows"

    bucket: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    client_key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    # The window's number: seconds since the epoch divided by the window's length.
    window: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)


class SignInThrottle(db.Model):
    """Failed sign-in tries for one email address, whether or not an account uses it, so a
    wrong email and a wrong password are slowed alike (portal.auth.throttle; SECURITY.md §4).
    The address is kept only as a keyed hash: people type passwords into the email box."""

    __tablename__ = "sign_in_throttles"

    email_key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    # Every try that did not sign in, including those refused unchecked while waiting.
    failed_tries: Mapped[int] = mapped_column(default=0)
    # Passwords or codes actually checked and wrong since the last success: these set the
    # wait and the lock, so tries refused unchecked cannot lengthen either.
    wrong_guesses: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # No password is checked before this time.
    next_try_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Set after many wrong guesses; only a password reset or an admin ends it.
    locked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
