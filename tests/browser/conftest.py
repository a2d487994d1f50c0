"""Browser fixtures: the portal served on loopback with demo data, and Debian's Chromium.

Never ``playwright install``: Playwright drives /usr/bin/chromium (TOOLCHAIN.md §4).
"""

import logging
import os
import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from portal.clock import today
from portal.demo import load_demo_data
from portal.extensions import db
from tests.browser.helpers import LIVE_APP, job_worker_running
from tests.conftest import make_test_app

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling home on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


LIVE_APP_CONFIG: dict = {}


@pytest.fixture(scope="session")
def live_outbox(live_server) -> str:
    """The folder the served portal writes its emails to (development outbox)."""
    return LIVE_APP_CONFIG["outbox"]


@pytest.fixture(scope="session")
def live_database_url(live_server) -> str:
    """The served portal's database, for a job worker beside it (as ``make run`` starts)."""
    return LIVE_APP_CONFIG["database_url"]


@pytest.fixture(scope="session")
def live_server(databases, tmp_path_factory):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    url = databases.new_sqlite()
    # Every browser test signs in from 127.0.0.1 on this one database, far more often than
    # one office would; the per-address limits are tested in tests/views/test_rate_limits.py.
    unlimited = {bucket: (100_000, 60) for bucket in ("sign-in", "second-factor", "self-service")}
    app = make_test_app(url, tmp_path_factory.mktemp("live"), RATE_LIMITS=unlimited)
    LIVE_APP_CONFIG["outbox"] = app.config["MAIL_OUTBOX_DIR"]
    LIVE_APP["app"] = app
    LIVE_APP_CONFIG["database_url"] = url  # for a job worker beside the server
    with app.app_context():
        load_demo_data(today(), allowed=True)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.socket.getsockname()[1]}"
    # Emails link to PORTAL_BASE_URL, never to the request's host: here, the served portal.
    app.config["PORTAL_BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def job_worker(live_database_url, tmp_path):
    """A job worker beside the live server for the whole test."""
    with job_worker_running(live_database_url, tmp_path):
        yield


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()
