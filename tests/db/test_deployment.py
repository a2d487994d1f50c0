"""The production deployment in deploy/ works as written (issue 18 item 6).

The systemd units and the crontab are read and their commands run as systemd and cron
would run them — the same command lines, working directory and settings file, ``/srv/portal``
standing for this checkout — in production mode against an empty PostgreSQL with the
schema owner and the app's own role: the migration unit builds the schema, the web unit
serves, a worker unit runs a job, and every cron line succeeds, twice. What systemd alone
enforces (the user, the sandboxing lines) is not exercised here.
"""

import configparser
import os
import re
import secrets
import shlex
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.letters.render_queue import RENDER
from tests.databases import APP_ROLE

pytestmark = pytest.mark.postgres

PROJECT = Path(__file__).resolve().parents[2]
DEPLOY = PROJECT / "deploy"
HOST = "portal.test"
_VARIABLE = re.compile(r"\$\{(\w+)\}")


def _settings_file(tmp_path: Path, owner_url: str, app_url: str, port: int) -> Path:
    """deploy/portal.env.example with this test's database, keys, address and folders."""
    example = (DEPLOY / "portal.env.example").read_text()
    settings = dict(
        line.split("=", 1)
        for line in example.splitlines()
        if line.strip() and not line.startswith("#")
    )
    for unreachable in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME"):
        settings.pop(unreachable)  # no mail server here: emails go to the outbox folder
    settings.pop("MAIL_PASSWORD")
    settings.pop("CLAMD_SOCKET")
    instance = tmp_path / "instance"
    settings |= {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "AUDIT_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": app_url,
        "MIGRATION_DATABASE_URL": owner_url,
        "PORTAL_BASE_URL": f"https://{HOST}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
        "VIRUS_SCAN": "off",
        "PORTAL_INSTANCE_DIR": str(instance),
        "AUDIT_CHECKPOINT_FILE": str(instance / "audit-checkpoints.log"),
    }
    path = tmp_path / "portal.env"
    path.write_text("".join(f"{key}={value}\n" for key, value in settings.items()))
    return path


def _here(text: str, settings_file: Path) -> str:
    return text.replace("/etc/portal/portal.env", str(settings_file)).replace(
        "/srv/portal", str(PROJECT)
    )


def _read_settings(settings_file: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in settings_file.read_text().splitlines())


def _unit_command(unit: str, settings_file: Path) -> tuple[list[str], dict, Path]:
    """The unit's ExecStart as systemd runs it: ${NAME} from its EnvironmentFile, in its
    WorkingDirectory, with only that file's settings added to a bare environment."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string(_here((DEPLOY / "systemd" / unit).read_text(), settings_file))
    service = parser["Service"]
    settings = _read_settings(Path(service["EnvironmentFile"]))
    command = _VARIABLE.sub(lambda name: settings[name.group(1)], service["ExecStart"])
    environment = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", **settings}
    return shlex.split(command), environment, Path(service["WorkingDirectory"])


def _start(unit: str, settings_file: Path, log: Path) -> subprocess.Popen:
    command, environment, folder = _unit_command(unit, settings_file)
    with log.open("w") as output:
        return subprocess.Popen(  # noqa: S603 - the unit's own command line
            command, cwd=folder, env=environment, stdout=output, stderr=subprocess.STDOUT
        )


def _get(port: int, path: str, host: str = HOST) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - ours
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers)


def _wait_until_serving(port: int, web: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert web.poll() is None, log.read_text()[-2000:]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the web unit did not start: {log.read_text()[-2000:]}")


def _cron_commands(settings_file: Path) -> list[str]:
    lines = _here((DEPLOY / "crontab").read_text(), settings_file).splitlines()
    entries = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    # Five time fields, then the command; SHELL= and other settings have no time fields.
    return [line.split(None, 5)[5] for line in entries if "=" not in line.split(None, 1)[0]]


@pytest.fixture
def empty_database(databases):
    """An empty PostgreSQL database: its owner's URL and the app role's."""
    owner_url = databases.new_empty_postgres()
    app_url = sa.engine.make_url(owner_url).set(username=APP_ROLE).render_as_string(False)
    yield owner_url, app_url
    databases.drop(owner_url)


def test_the_units_and_crontab_run_the_portal_as_written(empty_database, tmp_path):
    owner_url, app_url = empty_database
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings_file = _settings_file(tmp_path, owner_url, app_url, port)

    command, environment, folder = _unit_command("portal-migrate.service", settings_file)
    migrated = subprocess.run(  # noqa: S603 - the unit's own command line
        command, cwd=folder, env=environment, capture_output=True, text=True, timeout=300
    )
    assert migrated.returncode == 0, migrated.stderr[-2000:]

    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
    web = _start("portal-web.service", settings_file, web_log)
    worker = _start("portal-worker@.service", settings_file, worker_log)
    engine = sa.create_engine(app_url, poolclass=sa.pool.NullPool)
    try:
        _wait_until_serving(port, web, web_log)
        status, headers = _get(port, "/health")
        assert status == 200
        status, headers = _get(port, "/")
        assert status == 200 and "max-age" in headers.get("Strict-Transport-Security", "")
        assert _get(port, "/", host="attacker.example")[0] == 400  # only its own address

        # The worker unit claims a job (a letter file for a letter that is not there:
        # nothing to make) and finishes it.
        with engine.begin() as connection:
            job_id = connection.execute(
                sa.text(
                    "INSERT INTO jobs (kind, payload, status, attempts, run_after, error, "
                    "created_at) VALUES (:kind, :payload, 'queued', 0, now(), '', now()) "
                    "RETURNING id"
                ),
                {"kind": RENDER, "payload": '{"letter_id": 0, "locale": "en", "format": "pdf"}'},
            ).scalar_one()
        deadline = time.monotonic() + 60
        status = "queued"
        while status != "done" and time.monotonic() < deadline:
            time.sleep(0.5)
            with engine.connect() as connection:
                status = connection.execute(
                    sa.text("SELECT status FROM jobs WHERE id = :id"), {"id": job_id}
                ).scalar_one()
        assert status == "done", worker_log.read_text()[-2000:]
    finally:
        for process in (web, worker):
            process.terminate()
            process.wait(timeout=60)
        engine.dispose()

    commands = _cron_commands(settings_file)
    assert len(commands) == 6
    for _time in ("first", "again"):  # each safe to run twice
        for line in commands:
            ran = subprocess.run(  # noqa: S603 - the crontab's own line, as cron runs it
                ["/bin/bash", "-c", line],
                env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": str(tmp_path)},
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert ran.returncode == 0, (line, ran.stdout[-1000:], ran.stderr[-2000:])
    checkpoints = (tmp_path / "instance" / "audit-checkpoints.log").read_text().splitlines()
    assert len(checkpoints) == 2 and all("AUDIT-CHECKPOINT" in line for line in checkpoints)
