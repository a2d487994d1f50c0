"""The audit trail cannot be rewritten unseen (issue 14 item 8; SECURITY.md §5; ASVS
16.4.2, 16.4.3): the app's own PostgreSQL role cannot change it, a chain recomputed
without the key fails, deleting the newest rows is found against a signed checkpoint,
and `flask audit verify` says so with its exit code."""

import email
import email.policy

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.exc import DatabaseError

from portal import audit, audit_checkpoints
from portal.config import ConfigurationError
from portal.database_roles import UnsafeAppRole, grant_app_role
from portal.extensions import db
from portal.models import AuditEvent
from portal.models.types import utcnow
from portal.models.vocab import Role
from tests.conftest import make_test_app
from tests.databases import APP_ROLE
from tests.factories import make_user
from tests.figures import tally


def three_events():
    user = make_user(Role.CASE_OFFICER)
    events = [audit.record("case_view", actor=user, object_id=n) for n in (1, 2, 3)]
    ids = [event.id for event in events]
    db.session.commit()  # SQLite: the reads above hold the write lock (BEGIN IMMEDIATE)
    return ids


def as_owner_without_triggers(owner_engine, backend, *statements):
    """What someone who owns the table (or the file) can do: remove the triggers first."""
    db.session.commit()  # SQLite: let go of the write lock the test's reads took
    with owner_engine.begin() as connection:
        if backend == "postgresql":
            connection.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            connection.execute(sa.text("DROP TRIGGER IF EXISTS audit_events_no_update"))
            connection.execute(sa.text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
        for statement, parameters in statements:
            connection.execute(sa.text(statement), parameters)
    db.session.expire_all()


# The app's own role ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE audit_events SET action = 'x'", "permission denied"),
        ("DELETE FROM audit_events", "permission denied"),
        ("TRUNCATE audit_events", "permission denied"),
        ("ALTER TABLE audit_events DISABLE TRIGGER USER", "must be owner"),
        ("DROP TRIGGER audit_events_no_change ON audit_events", "must be owner"),
        ("ALTER TABLE audit_events OWNER TO portal_app", "must be owner"),
        ("SET ROLE portal", "permission denied to set role"),
    ],
)
def test_the_apps_role_cannot_change_remove_or_unprotect_audit_rows(
    app, backend, statement, refusal
):
    if backend != "postgresql":
        pytest.skip("SQLite has no roles: its triggers are the whole guard (test_audit_trail.py)")
    audit.record("authn_login_fail")
    assert db.session.execute(sa.text("SELECT current_user")).scalar() == APP_ROLE
    with pytest.raises(DatabaseError, match=refusal):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 1
    assert audit.verify_chain() is None


def test_the_apps_role_still_reads_and_writes_everything_else(app, backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL roles only: SQLite has none")
    privileges = dict(
        db.session.execute(
            sa.text(
                "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) "
                "FROM information_schema.role_table_grants WHERE grantee = :role "
                "GROUP BY table_name"
            ),
            {"role": APP_ROLE},
        ).all()
    )
    assert privileges.pop("audit_events") == "INSERT,SELECT"
    assert privileges.pop("alembic_version") == "SELECT"
    assert set(privileges) == set(db.metadata.tables) - {"audit_events"}
    assert set(privileges.values()) == {"DELETE,INSERT,SELECT,UPDATE"}


def test_the_owner_or_a_superuser_is_never_granted_as_the_apps_role(app, backend, owner_engine):
    if backend != "postgresql":
        pytest.skip("PostgreSQL roles only: SQLite has none")
    with owner_engine.begin() as connection:
        with pytest.raises(UnsafeAppRole, match="superuser"):
            grant_app_role(connection, "portal")
        connection.exec_driver_sql("CREATE ROLE table_owner_member")
        connection.exec_driver_sql("GRANT portal TO table_owner_member")
        with pytest.raises(UnsafeAppRole, match="superuser|owns"):
            grant_app_role(connection, "table_owner_member")
        connection.exec_driver_sql("DROP ROLE table_owner_member")


def test_production_refuses_to_run_as_the_owner_of_the_audit_trail(
    app, backend, databases, tmp_path
):
    if backend != "postgresql":
        pytest.skip("PostgreSQL roles only: SQLite has none")
    owner_url = databases.owner_url(app.config["SQLALCHEMY_DATABASE_URI"])
    with pytest.raises(ConfigurationError, match="could rewrite the audit trail"):
        make_test_app(owner_url, tmp_path, PORTAL_ENV="production", SECRET_KEY="s" * 48)


# The keyed chain ---------------------------------------------------------------------


def test_a_chain_recomputed_without_the_key_fails(app, backend, owner_engine):
    """The old, unkeyed SHA-256 chain could be rebuilt by anyone who could write rows."""
    ids = three_events()
    rows = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    rewritten, previous = [], audit.GENESIS_HASH
    for row in rows:
        row.object_id = 99 if row.id == ids[1] else row.object_id
        row.previous_hash = previous
        previous = audit._unkeyed_hash(row)
        rewritten.append({"i": row.id, "o": row.object_id, "p": row.previous_hash, "h": previous})
    db.session.rollback()
    as_owner_without_triggers(
        owner_engine,
        backend,
        *[
            (
                "UPDATE audit_events SET object_id = :o, previous_hash = :p, entry_hash = :h "
                "WHERE id = :i",
                values,
            )
            for values in rewritten
        ],
    )
    assert db.session.get(AuditEvent, ids[1]).object_id == 99
    assert audit.verify_chain() == ids[0]


def test_a_chain_recomputed_with_another_key_fails(app, backend, owner_engine):
    ids = three_events()
    assert audit.verify_chain() is None
    assert audit.verify_chain(key=b"a key that is not the audit key") == ids[0]


# Checkpoints -------------------------------------------------------------------------


def test_deleting_the_newest_rows_is_found_against_a_checkpoint(app, backend, owner_engine):
    ids = three_events()
    checkpoint = audit_checkpoints.take(utcnow())
    assert (checkpoint.last_id, checkpoint.count) == (ids[-1], 3)
    assert audit_checkpoints.problem_with(checkpoint) is None
    db.session.commit()
    as_owner_without_triggers(
        owner_engine, backend, ("DELETE FROM audit_events WHERE id >= :i", {"i": ids[1]})
    )
    assert audit.verify_chain() is None  # what is left is still a valid, shorter chain
    assert "rows were deleted" in audit_checkpoints.problem_with(checkpoint)


def test_a_changed_checkpoint_is_refused(app):
    three_events()
    checkpoint = audit_checkpoints.take(utcnow())
    line = checkpoint.line()
    assert audit_checkpoints.parse(f"2026-05-01 02:00:00 INFO {line}") == checkpoint
    shortened = audit_checkpoints.parse(line.replace('"count":3', '"count":2'))
    assert "not signed with this AUDIT_KEY" in audit_checkpoints.problem_with(shortened)
    assert "not signed" in audit_checkpoints.problem_with(audit_checkpoints.parse(line + "}"))


# flask audit verify ------------------------------------------------------------------


def test_flask_audit_verify_exits_zero_when_clean_and_one_on_tamper(
    app, backend, owner_engine, tmp_path
):
    ids = three_events()
    log = tmp_path / "checkpoints.log"
    runner = app.test_cli_runner()
    taken = runner.invoke(args=["audit", "checkpoint", "--file", str(log)])
    assert taken.exit_code == 0, taken.output
    assert log.read_text().startswith(audit_checkpoints.PREFIX)
    clean = runner.invoke(args=["audit", "verify", "--checkpoints", str(log)])
    assert clean.exit_code == 0, clean.output
    assert "1 checkpoint(s) still match" in clean.output

    as_owner_without_triggers(
        owner_engine, backend, ("DELETE FROM audit_events WHERE id = :i", {"i": ids[-1]})
    )
    deleted = runner.invoke(args=["audit", "verify", "--checkpoints", str(log)])
    assert deleted.exit_code == 1
    assert f"row {ids[-1]} is missing" in deleted.output
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0  # no checkpoint: blind

    as_owner_without_triggers(
        owner_engine, backend, ("UPDATE audit_events SET action = 'x' WHERE id = :i", {"i": ids[0]})
    )
    edited = runner.invoke(args=["audit", "verify", "--checkpoint", log.read_text().strip()])
    assert edited.exit_code == 1
    assert f"the chain breaks at row {ids[0]}" in edited.output
    tally("17 audit", "tampering tried (newest row deleted, a row edited)", 2)
    tally("17 audit", "tampering found by flask audit verify", 2)


def test_flask_audit_checkpoint_emails_the_head_off_the_box(app, tmp_path):
    three_events()
    app.config["AUDIT_CHECKPOINT_EMAIL"] = "audit-anchor@example.org"
    result = app.test_cli_runner().invoke(
        args=["audit", "checkpoint", "--file", str(tmp_path / "c.log")]
    )
    assert result.exit_code == 0, result.output
    [sent] = list((tmp_path / "outbox").glob("*.eml"))
    message = email.message_from_bytes(sent.read_bytes(), policy=email.policy.default)
    assert message["To"] == "audit-anchor@example.org"
    assert (tmp_path / "c.log").read_text().strip() in message.get_content()


# Rows written before the chain was keyed -----------------------------------------------


def test_unkeyed_rows_from_before_the_key_are_anchored_by_the_migration(
    backend, databases, tmp_path
):
    url = (
        f"sqlite:///{tmp_path / 'old.sqlite3'}"
        if backend == "sqlite"
        else databases.new_empty_postgres()
    )
    app = make_test_app(url, tmp_path)
    with app.app_context():
        upgrade(revision="b8d3f5a10014")  # the version before the key
        previous = audit.GENESIS_HASH
        for number in (1, 2):
            old = AuditEvent(
                occurred_at=utcnow().replace(microsecond=0),
                action="case_view",
                object_id=number,
                details={},
                previous_hash=previous,
            )
            old.entry_hash = previous = audit._unkeyed_hash(old)
            # Only the columns of that version (the ORM would ask for later ones back).
            columns = ("occurred_at", "action", "object_id", "details", "previous_hash")
            values = {name: getattr(old, name) for name in (*columns, "entry_hash")}
            db.session.execute(sa.insert(AuditEvent.__table__).values(values))
        db.session.commit()
        db.session.remove()
        upgrade()
        marker = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == audit.CHAIN_KEYED)
        )
        assert marker.previous_hash == previous and marker.details == {"unkeyed_rows": 2}
        audit.record("case_view", object_id=3)
        assert audit.verify_chain() is None
        first_id = db.session.scalar(sa.select(sa.func.min(AuditEvent.id)))
        # An unkeyed row rewritten, and every unkeyed hash after it recomputed: the keyed
        # row still names the old last hash.
        db.session.commit()
        engine = db.engine
        as_owner_without_triggers(
            engine,
            backend,
            ("UPDATE audit_events SET object_id = 42 WHERE id = :i", {"i": first_id}),
        )
        assert audit.verify_chain() == first_id
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)
