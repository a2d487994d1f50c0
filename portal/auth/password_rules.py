"""What makes an acceptable new password (issue 13; NIST SP 800-63B-4 §3.1.1.2; ASVS 6.2).

Length, not composition: at least 15 characters (the password is the only factor for
customers and advocates; staff add an authenticator but meet the same rule, one rule
for everyone), up to 1,024 so passphrases fit. No "one capital and one symbol" rules:
NIST says they make passwords worse. Instead a new password is refused when it is a
commonly used or breached-looking one, a run or a repeat, or is built from the person's
own name or email or the landlord's name. Every refusal is a named exception.
"""

import re
from functools import cache
from importlib import resources

from portal.auth.passwords import MAX_PASSWORD_LENGTH

MIN_PASSWORD_LENGTH = 15

# What people substitute for letters; undone before comparing with the list.
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s",
                       "5": "s", "7": "t", "+": "t", "8": "b", "9": "g"})  # fmt: skip
# Runs along the keyboard or the alphabet, rows joined so "qwertyuiopasdf" counts as one run.
_RUNS = ("1234567890", "qwertyuiopasdfghjklzxcvbnm", "qazwsxedcrfvtgbyhnujmikolp",
         "abcdefghijklmnopqrstuvwxyz")  # fmt: skip


class PasswordRefused(Exception):
    """A new password that cannot be used; the subclass says why."""


class PasswordTooShort(PasswordRefused):
    pass


class PasswordTooLong(PasswordRefused):
    pass


class PasswordCommon(PasswordRefused):
    """On the shipped list of common and breached passwords, or made only of its words."""


class PasswordPredictable(PasswordRefused):
    """One character or a short pattern repeated, or a run along the keyboard."""


class PasswordAboutYou(PasswordRefused):
    """Built from the person's own name or email, or the landlord's name."""


@cache
def common_words() -> frozenset[str]:
    text = resources.files("portal.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _letters_only(password: str) -> str:
    return re.sub(r"[^a-z]", "", password.lower().translate(_LEET))


def _cores(password: str) -> set[str]:
    """The password's letters, read two ways: with look-alike digits and symbols turned
    back into letters ("p@ssw0rd"), and with the digits and symbols people tack on at
    either end dropped first ("Password12345678", "AllianceHomes2026!")."""
    trimmed = re.sub(r"^[^a-zA-Z]+|[^a-zA-Z]+$", "", password)
    return {core for core in (_letters_only(password), _letters_only(trimmed)) if core}


def _made_of(core: str, words: frozenset[str] | set[str], depth: int = 0) -> bool:
    """Whether ``core`` is nothing but listed words (of three letters or more) joined."""
    if not core:
        return depth > 0
    if depth > 4:
        return False
    return any(
        core.startswith(word) and _made_of(core[len(word) :], words, depth + 1)
        for word in words
        if len(word) >= 3
    )


def _is_predictable(password: str) -> bool:
    lowered = password.lower()
    if len(set(lowered)) <= 3:
        return True
    for size in range(1, 6):  # "abcabcabc…", "ab12ab12ab12…"
        unit = lowered[:size]
        if unit * (len(lowered) // size) + unit[: len(lowered) % size] == lowered:
            return True
    return any(lowered in run * 2 or lowered in run[::-1] * 2 for run in _RUNS)


def check_new_password(password: str, *, about: tuple[str, ...] = ()) -> None:
    """Raise the first ``PasswordRefused`` that applies. ``about`` holds the words this
    password must not be built from: the person's name and email, the landlord's name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordTooLong
    if _is_predictable(password):
        raise PasswordPredictable
    cores = _cores(password)
    words = common_words()
    if any(len(core) < 4 or core in words or _made_of(core, words) for core in cores):
        raise PasswordCommon
    personal = {
        _letters_only(part)
        for text in about
        for part in re.split(r"[\s@._-]+", text or "")
        if len(_letters_only(part)) >= 3
    }
    if personal and any(_made_of(core, personal | words) for core in cores):
        raise PasswordAboutYou
