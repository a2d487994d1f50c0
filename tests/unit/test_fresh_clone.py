"""A fresh clone has no instance/ folder: the embedded SQLite database still opens there."""

from sqlalchemy import text

from portal import create_app
from portal.extensions import db


def test_the_sqlite_folder_is_created_when_missing(tmp_path):
    folder = tmp_path / "not" / "there" / "yet"
    app = create_app(
        {
            "PORTAL_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'portal.sqlite3'}",
        }
    )
    with app.app_context():
        assert db.session.execute(text("SELECT 1")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
    assert (folder / "portal.sqlite3").exists()
