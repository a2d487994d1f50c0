"""Staff second factor: an authenticator app's time-based codes (RFC 6238) and ten
single-use recovery codes (issue 13; ASVS 6.5, 6.6; NIST SP 800-63B §5.1.4).

pyotp computes the codes and segno draws the QR code: maintained libraries, not our own
cryptography. The rules that are ours: a code is accepted once (its 30-second step must
be later than the last one accepted, so a code seen over a shoulder cannot be replayed
in its window) and the clock may be one step out either way.
"""

import datetime as dt
import hashlib
import hmac
import secrets

import pyotp
import segno
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import RecoveryCode, User

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are read off paper and typed.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CLOCK_DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_code_svg(uri: str, title: str) -> str:
    """The QR code as inline SVG markup (no inline style, so the CSP holds)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, title=title, svgclass="app-qr-code")
    return svg.replace("<svg ", '<svg role="img" ', 1)


def secret_for_typing(secret: str) -> str:
    """The secret in groups of four, for people who cannot scan a QR code."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step whose code this is, within the allowed drift, else None."""
    code = _normalise_code(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - CLOCK_DRIFT_STEPS, current + CLOCK_DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def accept_code(user: User, secret: str, code: str, now: dt.datetime) -> bool:
    """Whether the code is good and not used before; remembers its step so it is not."""
    step = matching_step(secret, code, now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def start_setup(user: User) -> str:
    """A new secret held on the account but not in use until a code confirms it."""
    if user.totp_secret is None or user.has_second_factor:
        user.totp_secret = new_secret()
        user.totp_enabled_at = None
        user.totp_last_step = None
    return user.totp_secret


def confirm_setup(user: User, code: str, now: dt.datetime) -> list[str] | None:
    """Turn the second factor on if the code matches the pending secret; returns the new
    recovery codes (shown once), or None for a wrong code."""
    if user.totp_secret is None or not accept_code(user, user.totp_secret, code, now):
        return None
    user.totp_enabled_at = now
    return new_recovery_codes(user)


def _code_hash(code: str) -> str:
    return hashlib.sha256(_normalise_code(code).encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes; the old ones stop working."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(c)) for c in codes)
    return codes


def use_recovery_code(user: User, code: str, now: dt.datetime) -> bool:
    row = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = now
    return True


def recovery_codes_left(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def verify_second_factor(user: User, code: str, now: dt.datetime) -> bool:
    """A code from the app, or one of the recovery codes."""
    if not user.has_second_factor:
        return False
    return accept_code(user, user.totp_secret, code, now) or use_recovery_code(user, code, now)


def turn_off(user: User) -> None:
    """For a customer or advocate who turns it off, or an admin's reset of a colleague's
    lost authenticator (staff must then set it up again before reaching case data)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
