"""The audit trail is append-only and tamper-evident (DESIGN.md rule 12; ASVS 16.4.2)."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from portal import audit
from portal.extensions import db
from portal.models import AuditEvent
from portal.models.vocab import Role
from tests.factories import make_user


def test_events_chain_and_verify(app):
    user = make_user(Role.CASE_OFFICER)
    first = audit.record("case_view", actor=user, object_type="case", object_id=1)
    second = audit.record("case_view", actor=user, object_type="case", object_id=2)
    assert first.previous_hash == audit.GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert audit.verify_chain() is None


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"]
)
def test_the_database_refuses_to_change_or_delete_events(app, owner_engine, statement):
    """Even the table's owner is refused (the app's own role has no UPDATE or DELETE at
    all: test_audit_tamper.py)."""
    audit.record("authn_login_fail")
    with pytest.raises(DatabaseError, match="append-only"):
        with owner_engine.begin() as connection:
            connection.execute(sa.text(statement))
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 1


def test_postgresql_refuses_truncate(app, backend, owner_engine):
    if backend != "postgresql":
        return  # SQLite has no TRUNCATE
    audit.record("authn_login_fail")
    with pytest.raises(DatabaseError, match="append-only"):
        with owner_engine.begin() as connection:
            connection.execute(sa.text("TRUNCATE audit_events"))


def test_a_tampered_event_is_found(app, backend, owner_engine):
    """Someone with the power to remove the triggers (the owner) can still not hide an
    edit."""
    user = make_user(Role.CASE_OFFICER)
    audit.record("case_view", actor=user, object_id=1)
    tampered = audit.record("case_view", actor=user, object_id=2)
    audit.record("case_view", actor=user, object_id=3)
    tampered_id = tampered.id
    db.session.commit()  # SQLite: the session's read took the write lock (BEGIN IMMEDIATE)
    with owner_engine.begin() as connection:
        if backend == "postgresql":
            connection.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            connection.execute(sa.text("DROP TRIGGER audit_events_no_update"))
        connection.execute(
            sa.text("UPDATE audit_events SET object_id = 99 WHERE id = :i"), {"i": tampered_id}
        )
    db.session.expire_all()
    assert audit.verify_chain() == tampered_id
