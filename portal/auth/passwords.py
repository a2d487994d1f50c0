"""argon2id password hashing (ASVS 11.4.2; SECURITY.md §0.1: Werkzeug's default fails it)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# Longer passphrases than this are refused before hashing: argon2 cost makes huge inputs
# a denial-of-service lever (ASVS 15.2.2). 64+ characters stay allowed (ASVS 6.2.9).
MAX_PASSWORD_LENGTH = 1024


def hasher() -> PasswordHasher:
    parameters = current_app.config.get("ARGON2_PARAMETERS")
    return PasswordHasher(**parameters) if parameters else PasswordHasher()


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        return False
    try:
        return hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH: dict[str, str] = {}


def burn_equal_time(password: str) -> None:
    """Verify against a throwaway hash so an unknown email takes as long as a wrong
    password (no account enumeration by timing)."""
    key = repr(current_app.config.get("ARGON2_PARAMETERS"))
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hash_password("not-a-real-password")
    verify_password(_DUMMY_HASH[key], password)
