"""What the audit trail keeps of a refused sign-in (ASVS 16.3.1, 16.2.5; OWASP Logging
Vocabulary ``authn_login_fail:userid`` and ``authn_login_lock:userid``).

The account tried is kept as its user id when the address belongs to an account. For an
address that does not, the address is kept only if it looks like one: people type their
password into the email field, and a password must never reach the log. The password
itself is never kept. The client's address is the one ``audit.record`` reads, which is
the real client's behind ``TRUSTED_PROXIES`` proxies (werkzeug's ProxyFix).
"""

import re

from portal import audit
from portal.auth.services import SignInRefused, normalise_email
from portal.extensions import db

_LOOKS_LIKE_AN_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def account_tried(typed: str) -> str | None:
    """The typed address, if it could be one; otherwise None."""
    address = normalise_email(typed or "")[:254]
    return address if _LOOKS_LIKE_AN_ADDRESS.fullmatch(address) else None


def record_sign_in_failure(refusal: SignInRefused, typed_email: str) -> None:
    """``authn_login_fail`` for the account tried, and ``authn_login_lock`` when this
    failure locked it; committed with the failure counter."""
    user = refusal.user
    details = {"reason": refusal.reason}
    if user is None:
        details["account_tried"] = account_tried(typed_email)
    audit.record(
        "authn_login_fail",
        object_type="user" if user else None,
        object_id=user.id if user else None,
        details=details,
        commit=False,
    )
    if refusal.locked_now and user is not None:
        record_lockout(user)
    db.session.commit()


def record_lockout(user) -> None:
    """Signing in with the account's address is locked after too many wrong guesses,
    until a password reset or an admin ends it (portal.auth.throttle)."""
    audit.record(
        "authn_login_lock",
        object_type="user",
        object_id=user.id,
        details={"until": "password reset or admin unlock"},
        commit=False,
    )
