"""Two app servers, one database (issue 18 item 5): nothing a second machine needs lives in
one process's memory or on one server's disk.

Two gunicorn processes serve the portal on two ports, each with its own instance folder (so
no shared disk), against one PostgreSQL database. A separate ``flask jobs work`` process
runs the queue. What one server makes, the other uses: a session, an account's wrong-guess
count, an uploaded evidence file, a rendered letter, and a report export whose job was
queued by one server and run by the worker.

Requests go through Playwright's HTTP client (no browser): cookies, like a browser's, are
per host and not per port, so one client reaches both servers as one person behind a load
balancer would.
"""

import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import sync_playwright

from portal.clock import today
from portal.demo import DEMO_PASSWORD, load_demo_data
from portal.extensions import db
from portal.models import Attachment, Case, Customer, Letter, LetterRender, User
from portal.models.vocab import LetterStatus
from tests.conftest import make_test_app
from tests.helpers import current_code
from tests.upload_samples import pdf_bytes

pytestmark = pytest.mark.postgres

PROJECT = Path(__file__).resolve().parents[2]
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(database_url: str, instance: Path) -> dict[str, str]:
    instance.mkdir(parents=True)
    return {
        **os.environ,
        "PORTAL_ENV": "development",
        "DATABASE_URL": database_url,
        "PORTAL_INSTANCE_DIR": str(instance),  # each server's own disk
        "PORTAL_BASE_URL": "http://127.0.0.1:5000",
        "VIRUS_SCAN": "off",
    }


def _wait_until_serving(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the app server on port {port} stopped: {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the app server on port {port} did not start")


@pytest.fixture
def two_servers(databases, tmp_path):
    """The demo data in one PostgreSQL database, and two gunicorn servers on it."""
    url = databases.new_postgres()
    app = make_test_app(url, tmp_path)
    with app.app_context():
        load_demo_data(today(), allowed=True)
        db.session.commit()
    servers, bases, logs = [], [], []
    try:
        for name in ("a", "b"):
            port = _free_port()
            logs.append((tmp_path / f"server-{name}.log").open("w"))  # read when a step fails
            servers.append(
                subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                    [sys.executable, "-m", "gunicorn", "--workers", "1"]
                    + ["--bind", f"127.0.0.1:{port}", "portal:create_app()"],
                    cwd=PROJECT,
                    env=_environment(url, tmp_path / f"server-{name}"),
                    stdout=subprocess.DEVNULL,
                    stderr=logs[-1],
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for server, base in zip(servers, bases, strict=True):
            _wait_until_serving(server, int(base.rsplit(":", 1)[1]))
        with app.app_context():
            yield app, url, tmp_path, bases
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        for log in logs:
            log.close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        databases.drop(url)


def _csrf(client, page_url: str) -> str:
    page = client.get(page_url)
    assert page.ok, (page_url, page.status)
    return _CSRF.search(page.text()).group(1)


def _sign_in(client, base: str, email: str, password: str = DEMO_PASSWORD):
    response = client.post(
        f"{base}/sign-in",
        form={"csrf_token": _csrf(client, f"{base}/sign-in"), "email": email, "password": password},
        max_redirects=0,
    )
    if response.status == 303 and "/sign-in/code" in response.headers["location"]:
        code_page = f"{base}/sign-in/code"
        response = client.post(
            code_page,
            form={"csrf_token": _csrf(client, code_page), "code": current_code(email)},
            max_redirects=0,
        )
    return response


def _run_worker(url: str, folder: Path) -> None:
    """A job worker in its own process, as production runs it: every due job, then stop."""
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", "portal", "jobs", "work", "--burst"],
        cwd=PROJECT,
        env=_environment(url, folder / "worker"),
        check=True,
        capture_output=True,
        timeout=300,
    )


def test_what_one_server_makes_the_other_uses(two_servers):
    # Its own thread: a browser test earlier in this worker may hold Playwright's sync
    # event loop open in the main thread, and the sync API refuses to nest inside it.
    app = two_servers[0]
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(_in_app_context, app, _make_on_one_use_on_the_other, two_servers).result()


def _in_app_context(app, function, *arguments):
    with app.app_context():
        try:
            function(*arguments)
        finally:
            db.session.remove()


def _make_on_one_use_on_the_other(two_servers):
    _app, url, folder, (server_a, server_b) = two_servers
    with sync_playwright() as playwright:
        customer = playwright.request.new_context()
        officer = playwright.request.new_context()
        leadership = playwright.request.new_context()
        stranger = playwright.request.new_context()

        # A session started on A is the same session on B; signing out on B ends it on A.
        assert _sign_in(customer, server_a, "jordan.ellis@example.com").status == 303
        home = customer.get(f"{server_b}/my/", max_redirects=0)
        assert home.status == 200 and "Jordan Ellis" in home.text()

        # Wrong guesses counted by A make B wait too (SECURITY.md §4: per account).
        for _ in range(5):
            assert _sign_in(stranger, server_a, "marek.kowalski@example.com", "wrong").status
        assert _sign_in(stranger, server_b, "marek.kowalski@example.com").status == 429

        # An evidence file uploaded through A downloads through B, byte for byte.
        assert _sign_in(officer, server_a, "officer@example.com").status == 303
        officer_id = db.session.scalar(sa.select(User.id).filter_by(email="officer@example.com"))
        case_id = db.session.scalar(
            sa.select(Case.id).where(Case.case_officer_id == officer_id).order_by(Case.id)
        )
        form_url = f"{server_a}/staff/cases/{case_id}/incidents/new"
        evidence = pdf_bytes()
        posted = officer.post(
            form_url,
            multipart={
                "csrf_token": _csrf(officer, form_url),
                "behaviours": "verbal_abuse_or_violence",
                "occurred_at": time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() - 7200)),
                "channel": "telephone",
                "description": "Shouted threats at the repairs call handler.",
                "reported_by": "Repairs call handler",
                "attachments": {
                    "name": "call notes.pdf",
                    "mimeType": "application/pdf",
                    "buffer": evidence,
                },
            },
            max_redirects=0,
        )
        assert posted.status == 303, posted.text()[:300]
        attachment_id = db.session.scalar(
            sa.select(Attachment.id)
            .where(Attachment.case_id == case_id)
            .order_by(Attachment.id.desc())
        )
        download = officer.get(f"{server_b}/staff/cases/{case_id}/attachments/{attachment_id}")
        assert download.status == 200 and download.body() == evidence

        # A letter rendered by A is served by B from the shared cache, not rendered again:
        # the cached bytes are marked, and B serves the mark.
        letter_id = db.session.scalar(
            sa.select(Letter.id)
            .join(Customer, Letter.customer_id == Customer.id)
            .where(Customer.email == "jordan.ellis@example.com")
            .where(Letter.status != LetterStatus.DRAFT)
            .order_by(Letter.id)
        )
        first = customer.get(f"{server_a}/letters/{letter_id}/en/braille")
        assert first.status == 200 and first.body()
        db.session.execute(sa.update(LetterRender).values(data=b"rendered once, by A"))
        db.session.commit()
        again = customer.get(f"{server_b}/letters/{letter_id}/en/braille")
        assert again.status == 200 and again.body() == b"rendered once, by A"
        etag = again.headers["etag"]
        unchanged = customer.get(
            f"{server_a}/letters/{letter_id}/en/braille", headers={"If-None-Match": etag}
        )
        assert unchanged.status == 304 and unchanged.body() == b""

        # A report export started on A is built by a separate worker and fetched from B.
        assert _sign_in(leadership, server_a, "leadership@example.com").status == 303
        report_url = f"{server_a}/staff/reports/annual?start=2024-04-01&end=2025-03-31"
        started = leadership.post(
            f"{server_a}/staff/reports/annual.pdf",
            form={"csrf_token": _csrf(leadership, report_url), "start": "2024-04-01"}
            | {"end": "2025-03-31"},
            max_redirects=0,
        )
        assert started.status == 303
        status_path = started.headers["location"].removeprefix(server_a)
        waiting = leadership.get(f"{server_b}{status_path}")
        assert waiting.status == 200 and "The PDF is ready." not in waiting.text()
        _run_worker(url, folder)
        ready = leadership.get(f"{server_b}{status_path}")
        assert "The PDF is ready." in ready.text()
        report = leadership.get(f"{server_b}{status_path}/file")
        assert report.status == 200 and report.body().startswith(b"%PDF-")

        # Signing out through B ends the session everywhere.
        token = _csrf(customer, f"{server_b}/my/")
        customer.post(f"{server_b}/sign-out", form={"csrf_token": token}, max_redirects=0)
        after = customer.get(f"{server_a}/my/", max_redirects=0)
        assert after.status in (302, 303) and "/sign-in" in after.headers["location"]
        for context in (customer, officer, leadership, stranger):
            context.dispose()
