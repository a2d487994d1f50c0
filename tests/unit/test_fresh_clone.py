"""A newcomer's first run: a fresh clone has no instance/ folder (the embedded SQLite
database still opens there), `make run` checks its port first and ends saying where to go."""

import socket
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from portal import create_app
from portal.demo.personas import DEMO_PASSWORD, FIRST_CUSTOMER, FIRST_STAFF
from portal.extensions import db

ROOT = Path(__file__).resolve().parents[2]


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


def _check_port(host: str, port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_port.py"), host, str(port)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_make_run_stops_at_once_when_its_port_is_taken():
    """Issue 15 item 13: a taken port is reported first, with the way out, not after set-up."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        taken = _check_port("127.0.0.1", port)
    assert taken.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in taken.stderr
    assert f"make run PORT={port + 55}" in taken.stderr
    free = _check_port("127.0.0.1", port)
    assert (free.returncode, free.stderr) == (0, "")


def test_make_run_checks_the_port_before_any_set_up():
    makefile = (ROOT / "Makefile").read_text()
    run_rule = next(line for line in makefile.splitlines() if line.startswith("run:"))
    assert run_rule.split(":", 1)[1].split()[0] == "port-free"


def test_make_run_ends_by_saying_where_to_go_and_whom_to_sign_in_as():
    app = create_app({"PORTAL_ENV": "testing", "PORTAL_BASE_URL": "http://127.0.0.1:5055"})
    printed = app.test_cli_runner().invoke(args=["demo", "welcome"]).output
    assert "http://127.0.0.1:5055/" in printed
    assert f"customer {FIRST_CUSTOMER}, password {DEMO_PASSWORD}" in printed
    assert f"flask demo code {FIRST_STAFF}" in printed
    readme = (ROOT / "README.md").read_text()
    assert FIRST_CUSTOMER in readme and FIRST_STAFF in readme
