"""One fresh database per test, cloned from a template migrated once per run.

Cloning (a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL) gives every
test real commits and real constraints, triggers included, at a few milliseconds each.
"""

import itertools
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.pg_server import PostgresUnavailable, PrivateCluster

# On PostgreSQL the app connects as this role, as in production: not the owner of the
# schema, and only SELECT and INSERT on the audit trail (portal/database_roles.py).
APP_ROLE = "portal_app"


def migrate_to_head(url: str, **config) -> None:
    """Build a schema the way production does: ``flask db upgrade``."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    app = create_app({"PORTAL_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, **config})
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()


class DatabaseFactory:
    def __init__(self, folder: Path):
        self.folder = folder
        self.counter = itertools.count(1)
        self.sqlite_template: Path | None = None
        self.cluster: PrivateCluster | None = None
        self.postgres_failure: str | None = None
        self.admin_engine: sa.Engine | None = None

    # SQLite --------------------------------------------------------------------------
    def new_sqlite(self) -> str:
        if self.sqlite_template is None:
            template = self.folder / "template.sqlite3"
            migrate_to_head(f"sqlite:///{template}")
            self.sqlite_template = template
        path = self.folder / f"test-{next(self.counter)}.sqlite3"
        shutil.copyfile(self.sqlite_template, path)
        return f"sqlite:///{path}"

    # PostgreSQL ----------------------------------------------------------------------
    def postgres_cluster(self) -> PrivateCluster:
        if self.postgres_failure:
            self._unavailable(self.postgres_failure)
        if self.cluster is None:
            try:
                self.cluster = PrivateCluster().start()
            except PostgresUnavailable as error:
                self.postgres_failure = str(error)
                self._unavailable(self.postgres_failure)
            # No pool: each use opens and closes its own connection, so none is left open
            # for the garbage collector when a test ends sessions on the server.
            self.admin_engine = sa.create_engine(
                self.cluster.url(), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
            )
            with self.admin_engine.connect() as connection:
                connection.exec_driver_sql("CREATE DATABASE portal_template")
                connection.exec_driver_sql(f"CREATE ROLE {APP_ROLE} LOGIN")
            migrate_to_head(self.cluster.url("portal_template"), APP_DATABASE_ROLE=APP_ROLE)
        return self.cluster

    @staticmethod
    def _unavailable(reason: str):
        # On CI a missing PostgreSQL is a failure, never a silent skip.
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests cannot run on CI: {reason}")
        pytest.skip(f"PostgreSQL tests skipped: {reason}")

    def new_postgres(self) -> str:
        cluster = self.postgres_cluster()
        name = f"test_{next(self.counter)}"
        with self.admin_engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE portal_template')
        return cluster.url(name, user=APP_ROLE)

    def owner_url(self, url: str) -> str:
        """The same database as its owner (who ran the migrations); SQLite has no roles."""
        if url.startswith("sqlite"):
            return url
        return self.cluster.url(sa.engine.make_url(url).database)

    def new_empty_postgres(self) -> str:
        cluster = self.postgres_cluster()
        name = f"empty_{next(self.counter)}"
        with self.admin_engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        return cluster.url(name)

    def drop(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        elif self.admin_engine is not None:
            name = sa.engine.make_url(url).database
            with self.admin_engine.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def new(self, backend: str) -> str:
        return self.new_sqlite() if backend == "sqlite" else self.new_postgres()

    def close(self) -> None:
        if self.admin_engine is not None:
            self.admin_engine.dispose()
        if self.cluster is not None:
            self.cluster.stop()
