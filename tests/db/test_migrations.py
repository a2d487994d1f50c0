"""The migrations build the schema from empty and take it away again, on both databases,
and the migrated schema matches the models (no drift)."""

import warnings

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal.extensions import db
from tests.conftest import make_test_app

# Tables whose rules the triggers and CHECKs enforce, spot-checked after upgrade.
CORE_TABLES = {
    "users",
    "customers",
    "cases",
    "incidents",
    "restrictions",
    "restriction_measures",
    "reviews",
    "appeals",
    "reconsideration_requests",
    "letters",
    "audit_events",
}


def empty_database(backend, databases, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return databases.new_empty_postgres()


def test_upgrade_from_empty_then_downgrade_to_nothing(backend, databases, tmp_path):
    url = empty_database(backend, databases, tmp_path)
    app = make_test_app(url, tmp_path)
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert CORE_TABLES <= tables
        assert tables - {"alembic_version"} == set(db.metadata.tables)
        downgrade(revision="base")
        db.session.remove()
        left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert left == set()
        upgrade()  # and up again: the downgrade left nothing behind that blocks it
        assert CORE_TABLES <= set(sa.inspect(db.engine).get_table_names())
        db.engine.dispose()
    databases.drop(url)


def test_the_migrated_schema_matches_the_models(app):
    with db.engine.connect() as connection, warnings.catch_warnings():
        if connection.dialect.name == "sqlite":
            # The trigram indexes are PostgreSQL's only (portal/models/people.py), and
            # alembic says it cannot compare expression indexes on SQLite.
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified")
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
