"""Per-network-address limits on the doors an attacker knocks on: signing in, the
sign-in code, and the self-service emails (SECURITY.md §4, ASVS 6.3.1, Cyber Essentials
4.2.1).

The per-account lockout (portal.auth.services) stops guessing one account's password; these
limits stop one address spraying many accounts, trying dates of birth for an invitation, or
using argon2's cost to tie up the servers (ASVS 15.2.2). Every try counts, right or wrong:
the cost is paid before the answer is known. Counts live in the database, so every app
server agrees; the limits are set in config (RATE_LIMITS), high enough for an office of
colleagues behind one address.
"""

import functools
import hashlib
import hmac
import time

import sqlalchemy as sa
from flask import current_app, request
from sqlalchemy.dialects import postgresql, sqlite

from portal.errors import too_many_tries
from portal.extensions import db
from portal.models import RateLimitWindow


def _client_key() -> str:
    """The caller's address as a keyed hash: enough to count, useless if the table leaks."""
    address = (request.remote_addr or "unknown").encode()
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, address, hashlib.sha256).hexdigest()


def count_try(bucket: str, *, now: float | None = None) -> int | None:
    """Count one try at ``bucket`` from this address and commit it at once (a refused try
    still counts). Returns the seconds to wait when the limit is passed, else None."""
    limit, seconds = current_app.config["RATE_LIMITS"][bucket]
    now = time.time() if now is None else now
    window = int(now // seconds)
    values = {"bucket": bucket, "client_key": _client_key(), "window": window, "hits": 1}
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(RateLimitWindow)
        .values(values)
        .on_conflict_do_update(
            index_elements=["bucket", "client_key", "window"],
            set_={"hits": RateLimitWindow.hits + 1},
        )
        .returning(RateLimitWindow.hits)
    )
    hits = db.session.execute(statement).scalar_one()
    # Windows before the last one can never count again.
    db.session.execute(
        sa.delete(RateLimitWindow).where(
            RateLimitWindow.bucket == bucket, RateLimitWindow.window < window - 1
        )
    )
    db.session.commit()
    if hits <= limit:
        return None
    return max(1, int((window + 1) * seconds - now))


def limited(bucket: str):
    """Refuse a POST to the wrapped view with 429 once this address passes the limit."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if request.method == "POST":
                wait = count_try(bucket)
                if wait is not None:
                    return too_many_tries(wait)
            return view(*args, **kwargs)

        return wrapper

    return decorate
