"""New-password rules (issue 13; NIST SP 800-63B length, no composition rules)."""

import pytest

from portal.auth.password_rules import (
    MIN_PASSWORD_LENGTH,
    PasswordAboutYou,
    PasswordCommon,
    PasswordPredictable,
    PasswordTooLong,
    PasswordTooShort,
    check_new_password,
)

ABOUT = ("Jane Smith", "jane.smith@example.com", "Alliance Homes")


@pytest.mark.parametrize(
    ("password", "refusal"),
    [
        ("a" * (MIN_PASSWORD_LENGTH - 1), PasswordTooShort),
        ("horse battery " * 80, PasswordTooLong),
        ("aaaaaaaaaaaaaaaa", PasswordPredictable),
        ("abcabcabcabcabcabc", PasswordPredictable),
        ("1234567890123456", PasswordPredictable),
        ("qwertyuiopasdfg", PasswordPredictable),
        ("passwordpassword1", PasswordCommon),
        ("Password12345678", PasswordCommon),
        ("p@ssw0rdp@ssw0rd", PasswordCommon),
        ("AllianceHomes2026!", PasswordCommon),
        ("JaneSmith12345678", PasswordAboutYou),
        ("smithjane.smith!!", PasswordAboutYou),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, refusal):
    with pytest.raises(refusal):
        check_new_password(password, about=ABOUT)


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "my cat sleeps on the radiator", "Tr0ub4dor&3xyzzyq"],
)
def test_long_unusual_passphrases_are_accepted_without_composition_rules(password):
    assert check_new_password(password, about=ABOUT) is None
