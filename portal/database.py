"""Database engine set-up: SQLite made safe for concurrent writers, and a health check."""

import sqlite3
from pathlib import Path

from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine, make_url

from portal.extensions import db


def setup_database(app) -> None:
    ensure_sqlite_folder(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def ensure_sqlite_folder(database_uri: str) -> None:
    """A fresh clone has no ``instance/`` yet: SQLite creates the file, not its folder."""
    url = make_url(database_uri)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, a busy timeout, foreign keys, and ``BEGIN IMMEDIATE`` for every transaction.

    With a deferred BEGIN, two transactions that both read then write deadlock and one
    fails at once with "database is locked" (the busy handler is not used for a lock
    upgrade); taking the write lock at BEGIN makes the second writer wait instead
    (SECURITY.md §0.8: 333/400 failures deferred, 0/400 immediate). Reads take it too,
    because even a GET may write (session touch, audit of a staff view).
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        dbapi_connection.isolation_level = None  # SQLAlchemy, not pysqlite, emits BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def database_is_reachable() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "not reachable" to a health check
        db.session.rollback()
        return False


def release_before_slow_work() -> None:
    """Commit what the request has done so far, so no lock is held while slow work runs.

    On SQLite every transaction holds the write lock from ``BEGIN IMMEDIATE`` (above), so
    laying out a PDF or recording audio inside one made every other user wait for it
    (issue 14 item 10: 10 s behind a cold annual report). On PostgreSQL it ends the
    snapshot early. Read what the slow work needs first: objects expire at the commit, and
    touching one afterwards opens a new (short) transaction to reload it.
    """
    db.session.commit()


def commit_keeping_what_is_loaded() -> None:
    """Commit without expiring the objects the request has loaded, for a request that goes
    on to show them: a commit expires them, and the page would read them all again (issue
    18). Only where nothing else can have changed them meanwhile that matters to the page."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def lock_row(model, row_id):
    """The row, re-read under ``SELECT … FOR UPDATE`` and held until the transaction ends,
    for a rule that counts or looks for rows and then adds one (issue 14 item 4; SECURITY.md
    §5). A second transaction doing the same waits here, then sees the first one's rows.
    SQLite has no row locks and ignores FOR UPDATE; there every transaction already holds
    the write lock from its BEGIN IMMEDIATE, so the rule's read and write are serialised."""
    row = db.session.scalars(select(model).where(model.id == row_id).with_for_update()).first()
    if row is not None:
        # Whatever was read before the lock (a collection too) is read again after it.
        db.session.expire(row)
    return row
