"""The newest migration keeps every row, down and up again, on a database full of the
demo data. SQLite rebuilds a table to change a constraint; with foreign keys on, dropping a
table that others reference would delete or refuse their rows, so migrations/env.py turns
the checks off for the rebuild and checks every key before committing."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import clock
from portal.demo import load_demo_data
from portal.demo.history import load_demo_history
from portal.extensions import db
from tests.conftest import make_test_app


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_the_newest_migration_keeps_every_row(backend, databases, tmp_path):
    url = (
        f"sqlite:///{tmp_path / 'full.sqlite3'}"
        if backend == "sqlite"
        else databases.new_empty_postgres()
    )
    app = make_test_app(url, tmp_path, LOAD_DEMO_DATA_ALLOWED=True)
    with app.app_context():
        upgrade()
        load_demo_data(clock.today(), allowed=True)
        load_demo_history(clock.today())
        db.session.commit()
        before = row_counts()
        assert before["reviews"] > 0 and before["letters"] > 0 and before["restrictions"] > 0
        db.session.remove()
        downgrade(revision="-1")
        # Tables the newest migration creates go with its downgrade: every other keeps
        # every row.
        kept = set(sa.inspect(db.engine).get_table_names())
        upgrade()
        after = row_counts()
        assert {t: n for t, n in after.items() if t in kept} == {
            t: n for t, n in before.items() if t in kept
        }
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)
