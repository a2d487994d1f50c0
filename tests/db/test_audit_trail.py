"""The audit trail is append-only and tamper-evident (DESIGN.md rule 12; ASVS 16.4.2)."""

from concurrent.futures import ThreadPoolExecutor

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


# Chains (issue 18 item 5) -------------------------------------------------------------


def test_each_person_s_events_link_within_their_own_chain(app, backend, owner_engine):
    first, second = make_user(Role.CASE_OFFICER), make_user(Role.CASE_OFFICER)
    assert first.id % audit.CHAINS != second.id % audit.CHAINS
    a1 = audit.record("case_view", actor=first, object_id=1)
    b1 = audit.record("case_view", actor=second, object_id=1)
    a2 = audit.record("case_view", actor=first, object_id=2)
    assert (a1.chain, b1.chain, a2.chain) == (first.id % 16, second.id % 16, first.id % 16)
    assert a2.previous_hash == a1.entry_hash and b1.previous_hash == audit.GENESIS_HASH
    assert a1.id < b1.id < a2.id  # the ids still give the whole trail's order
    assert audit.verify_chain() is None
    # An edit in one chain is found, whichever chain it is in.
    b1_id, a_chain = b1.id, a1.chain
    db.session.commit()  # SQLite: the session's read took the write lock (BEGIN IMMEDIATE)
    with owner_engine.begin() as connection:
        if backend == "postgresql":
            connection.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            connection.execute(sa.text("DROP TRIGGER audit_events_no_update"))
        connection.execute(
            sa.text("UPDATE audit_events SET chain = :c WHERE id = :i"), {"c": a_chain, "i": b1_id}
        )
    db.session.expire_all()
    assert audit.verify_chain() == b1_id  # moved into another chain: its link breaks


def test_one_transaction_appends_to_one_chain(app):
    """A job recording events for many people takes one chain's lock, not many (so two
    transactions can never each hold a lock the other waits for)."""
    events = [
        audit.record("retention_anonymise", customer_id=None, object_id=n, commit=False)
        for n in range(3)
    ]
    officer = make_user(Role.CASE_OFFICER)  # commits: a new transaction
    in_one = [
        audit.record("case_view", actor=officer, object_id=1, commit=False),
        audit.record("case_view", actor=None, object_id=2, commit=False),
    ]
    db.session.commit()
    assert {event.chain for event in events} == {0}
    assert {event.chain for event in in_one} == {officer.id % audit.CHAINS}
    assert audit.verify_chain() is None


def test_a_transaction_s_later_events_follow_its_own_last_one(app):
    """The chain is locked and its last hash read at a transaction's first event only; the
    events of one transaction link one to the next and are inserted together (issue 18:
    the case page recorded two events in six statements; on PostgreSQL three now: the
    lock, the read and one insert). An event undone by a
    savepoint is not followed: the hash is read again."""
    from tests.helpers import statements_while

    officer = make_user(Role.CASE_OFFICER)
    audit.record("case_view", actor=officer, object_id=1)  # the chain has a head
    events = []

    def two_events():
        events.append(audit.record("case_view", actor=officer, object_id=2, commit=False))
        events.append(
            audit.record("special_category_view", actor=officer, object_id=2, commit=False)
        )
        db.session.commit()

    statements = statements_while(two_events)
    first, second = events
    assert second.previous_hash == first.entry_hash and second.id > first.id
    reads = [s for s in statements if "audit_events" in s and s.lstrip().startswith("SELECT")]
    inserts = [s for s in statements if s.lstrip().startswith("INSERT INTO audit_events")]
    # PostgreSQL inserts both in one statement; SQLite's driver one by one.
    together = db.engine.dialect.name == "postgresql"
    assert len(reads) == 1 and len(inserts) == (1 if together else 2), statements
    assert audit.verify_chain() is None

    kept = audit.record("case_view", actor=officer, object_id=3, commit=False)
    nested = db.session.begin_nested()
    audit.record("case_view", actor=officer, object_id=4, commit=False)
    db.session.flush()
    nested.rollback()
    after = audit.record("case_view", actor=officer, object_id=5, commit=False)
    db.session.commit()
    assert after.previous_hash == kept.entry_hash
    assert audit.verify_chain() is None


def _append_in_another_session(app, actor_id: int) -> str:
    """Append an event as ``actor_id`` from a second database session (another app server,
    as far as the database can tell), waiting at most half a second for a lock."""
    from portal.models import User

    def append() -> str:
        with app.app_context():
            try:
                db.session.execute(sa.text("SET LOCAL lock_timeout = '500ms'"))
                audit.record("case_view", actor=db.session.get(User, actor_id), object_id=7)
                return "appended"
            except DatabaseError as error:
                db.session.rollback()
                return "waited" if "lock timeout" in str(error) else str(error)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=1) as other_server:
        return other_server.submit(append).result()


def test_audited_requests_by_different_people_do_not_wait_for_each_other(app, backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL's locks: SQLite lets one writer in at a time anyway")
    first, second = make_user(Role.CASE_OFFICER), make_user(Role.CASE_OFFICER)
    first_id, second_id = first.id, second.id
    audit.record("case_view", actor=first, object_id=1, commit=False)  # its lock held
    assert _append_in_another_session(app, second_id) == "appended"
    assert _append_in_another_session(app, first_id) == "waited"  # same chain: waits
    db.session.commit()
    assert audit.verify_chain() is None
