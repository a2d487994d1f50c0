"""The access rule objects on their own (the route walk is in tests/views)."""

from types import SimpleNamespace

import pytest

from portal.models.vocab import Role
from portal.security import ANY_STAFF, PUBLIC, SIGNED_IN, AccessRule, access


def person(*roles, signed_in=True):
    return SimpleNamespace(
        is_authenticated=signed_in, has_role=lambda *wanted: bool(set(wanted) & set(roles))
    )


def test_public_allows_everyone():
    assert PUBLIC.allows(person(signed_in=False))


def test_signed_in_needs_a_session_but_no_role():
    assert SIGNED_IN.allows(person())
    assert not SIGNED_IN.allows(person(signed_in=False))


def test_role_rule_needs_one_of_its_roles():
    rule = AccessRule(roles=frozenset({Role.CASE_OFFICER, Role.REVIEW_MANAGER}))
    assert rule.allows(person(Role.REVIEW_MANAGER))
    assert not rule.allows(person(Role.CUSTOMER))
    assert not rule.allows(person(signed_in=False))


def test_any_staff_excludes_customers_and_advocates():
    assert ANY_STAFF.allows(person(Role.LEADERSHIP))
    assert not ANY_STAFF.allows(person(Role.CUSTOMER, Role.ADVOCATE))


def test_access_without_a_rule_or_roles_is_a_programming_error():
    with pytest.raises(ValueError):
        access()
