"""One-time links (issue 13): only the hash is stored, they work once, expire, and a newer
link for the same account replaces the older one (ASVS 6.4.1)."""

import datetime as dt

import pytest

from portal.auth import links
from portal.extensions import db
from portal.models import OneTimeLink, UserRole
from portal.models.vocab import LinkPurpose, Role
from tests.factories import make_user

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def test_a_link_works_once_and_only_its_hash_is_stored(app):
    user = make_user(Role.CUSTOMER)
    link, token = links.make_link(
        LinkPurpose.PASSWORD_RESET, email=user.email, user_id=user.id, now=NOW
    )
    db.session.commit()
    stored = db.session.get(OneTimeLink, link.id)
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    found = links.find_link(token, LinkPurpose.PASSWORD_RESET, NOW)
    assert found.id == link.id
    links.use_link(found, NOW)
    db.session.commit()
    with pytest.raises(links.LinkAlreadyUsed):
        links.find_link(token, LinkPurpose.PASSWORD_RESET, NOW)
    with pytest.raises(links.LinkAlreadyUsed):
        links.use_link(found, NOW)


def test_expired_unknown_and_other_purpose_links_are_refused(app):
    user = make_user(Role.CUSTOMER)
    _, token = links.make_link(
        LinkPurpose.PASSWORD_RESET, email=user.email, user_id=user.id, now=NOW
    )
    db.session.commit()
    later = NOW + links.LIFETIMES[LinkPurpose.PASSWORD_RESET]
    with pytest.raises(links.LinkExpired):
        links.find_link(token, LinkPurpose.PASSWORD_RESET, later)
    with pytest.raises(links.LinkUnknown):
        links.find_link(token, LinkPurpose.EMAIL_CHANGE, NOW)
    with pytest.raises(links.LinkUnknown):
        links.find_link("x" * 500, LinkPurpose.PASSWORD_RESET, NOW)
    with pytest.raises(links.LinkUnknown):
        links.find_link("", LinkPurpose.PASSWORD_RESET, NOW)


def test_a_newer_link_replaces_the_older_one(app):
    user = make_user(Role.CUSTOMER)
    _, first = links.make_link(
        LinkPurpose.PASSWORD_RESET, email=user.email, user_id=user.id, now=NOW
    )
    _, second = links.make_link(
        LinkPurpose.PASSWORD_RESET, email=user.email, user_id=user.id, now=NOW
    )
    db.session.commit()
    with pytest.raises(links.LinkExpired):
        links.find_link(first, LinkPurpose.PASSWORD_RESET, NOW)
    assert links.find_link(second, LinkPurpose.PASSWORD_RESET, NOW)


def test_the_data_steward_role_can_be_held(app):
    """The role's CHECK constraint was widened by the migration on both databases."""
    steward = make_user(Role.DATA_STEWARD)
    db.session.commit()
    assert db.session.get(UserRole, (steward.id, Role.DATA_STEWARD)) is not None
