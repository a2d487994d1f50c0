"""The app's own PostgreSQL role: every right it needs, and on the audit trail only SELECT
and INSERT (SECURITY.md §5; ASVS 16.4.2).

Migrations run as the schema owner (``MIGRATION_DATABASE_URL``); the web servers, workers
and commands connect as ``APP_DATABASE_ROLE``. Not owning ``audit_events``, that role
cannot drop or disable its triggers, and without UPDATE, DELETE or TRUNCATE it cannot
change or remove a row even with the triggers gone. ``migrations/env.py`` calls
:func:`grant_app_role` after every ``flask db upgrade``, so tables added later are
granted too. SQLite has no roles: there the triggers alone keep the trail append-only.
"""

from sqlalchemy import Connection, text

AUDIT_TABLE = "audit_events"
READ_ONLY_TABLES = ("alembic_version",)


class UnsafeAppRole(RuntimeError):
    """The role named for the app could rewrite the audit trail."""


def _audit_table_owner(connection: Connection) -> str | None:
    return connection.execute(
        text(
            "SELECT tableowner FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = :table"
        ),
        {"table": AUDIT_TABLE},
    ).scalar()


def _problem(connection: Connection, role: str, owner: str) -> str | None:
    row = connection.execute(
        text(
            "SELECT rolsuper, pg_has_role(:role, :owner, 'MEMBER') AS owns "
            "FROM pg_roles WHERE rolname = :role"
        ),
        {"role": role, "owner": owner},
    ).first()
    if row is None:
        return f"role {role!r} does not exist"
    if row.rolsuper:
        return f"role {role!r} is a superuser: it can do anything to the audit trail"
    if row.owns:
        return f"role {role!r} owns {AUDIT_TABLE} (or is a member of its owner, {owner!r})"
    return None


def grant_app_role(connection: Connection, role: str) -> None:
    """Grant ``role`` what the app needs, and no more than SELECT, INSERT on the audit
    trail. Safe to run again."""
    owner = _audit_table_owner(connection)
    if owner is None:  # downgraded to nothing: no tables to grant
        return
    problem = _problem(connection, role, owner)
    if problem:
        raise UnsafeAppRole(problem)
    quote = connection.dialect.identifier_preparer.quote
    quoted = quote(role)
    schema = quote(connection.execute(text("SELECT current_schema()")).scalar_one())
    for statement in (
        f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
        f"REVOKE ALL ON {AUDIT_TABLE} FROM {quoted}",
        f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {quoted}",
        *(f"REVOKE ALL ON {table} FROM {quoted}" for table in READ_ONLY_TABLES),
        *(f"GRANT SELECT ON {table} TO {quoted}" for table in READ_ONLY_TABLES),
    ):
        connection.exec_driver_sql(statement)


def connected_role_problem(connection: Connection) -> str | None:
    """Why the role this connection uses must not run the app, or None (PostgreSQL)."""
    owner = _audit_table_owner(connection)
    if owner is None:  # a new database, before its first `flask db upgrade`
        return None
    role = connection.execute(text("SELECT current_user")).scalar_one()
    return _problem(connection, role, owner)


def refuse_unsafe_app_role(app) -> None:
    """In production on PostgreSQL, refuse to start as a role that could rewrite the audit
    trail (the owner of ``audit_events``, a member of it, or a superuser)."""
    from portal.config import ConfigurationError
    from portal.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect() as connection:
            problem = connected_role_problem(connection)
        if problem:
            db.engine.dispose()  # the app will not start: leave no connection behind
    if problem:
        raise ConfigurationError(
            f"Refusing to start in production: the database user in DATABASE_URL could "
            f"rewrite the audit trail ({problem}). Connect as APP_DATABASE_ROLE and run "
            f"migrations with MIGRATION_DATABASE_URL (README, Production)."
        )
