"""Fixtures for every test: an app on a fresh database, a client, signed-in roles.

Tests under ``tests/db/`` run on SQLite *and* on a private PostgreSQL 15 server; the rest
run on SQLite. Counts per database are printed at the end of the run.
"""

import contextvars
import datetime as dt
import os
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from jinja2 import BytecodeCache

from portal import clock, create_app
from portal.extensions import db
from tests.databases import DatabaseFactory
from tests.virus_signatures import eicar_database

TESTS_DIR = Path(__file__).parent
BOTH_DATABASES_DIR = TESTS_DIR / "db"


TEST_AUDIT_KEY = "test-audit-key-only-for-the-test-suite-0123456789"


def _day_of_the_run() -> dt.date:
    """One calendar day for the whole run, chosen once by the first process and inherited by
    the xdist workers through the environment. Test modules work out their dates when they
    are imported; a run crossing midnight in London would otherwise hold two days. Set
    PORTAL_TEST_DAY to try another day (e.g. the day before, to act out a crossing)."""
    return dt.date.fromisoformat(
        os.environ.setdefault("PORTAL_TEST_DAY", clock.today().isoformat())
    )


clock.fix_day(_day_of_the_run())


@pytest.fixture(autouse=True)
def audit_key_in_environment(monkeypatch):
    """Production refuses to start without an AUDIT_KEY (portal.config); tests that build
    a production app find one here, as a deployment would set it."""
    monkeypatch.setenv("AUDIT_KEY", TEST_AUDIT_KEY)


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    factory.close()


def pytest_generate_tests(metafunc):
    """Parametrise database tests over both engines."""
    if (
        "backend" in metafunc.fixturenames
        and BOTH_DATABASES_DIR in metafunc.definition.path.parents
    ):
        metafunc.parametrize(
            "backend",
            ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
            indirect=True,
        )


@pytest.fixture
def backend(request):
    return getattr(request, "param", "sqlite")


class IsolatedClient(FlaskClient):
    """Each request runs as in production: its own app context, ``g`` and DB session.

    The fixture keeps an app context pushed for the test's own code, and Flask would reuse
    it for requests (sharing ``g`` and the session). The test's open transaction is ended
    first so the request sees committed data and is not blocked by SQLite's write lock.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per test process and shared by every app the tests build.

    Each test makes its own app, and so its own Jinja environment with an empty template
    cache: compiling the layout and the form macros again cost about 0.4 s on a test's
    first page (0.04 s with this). Jinja checks each entry against its template's source.
    """

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


def make_test_app(database_url: str, tmp_path: Path, **overrides):
    application = create_app(
        {
            "PORTAL_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            # Used where clamscan is installed: a database holding only the EICAR signature.
            "CLAMAV_DATABASE": eicar_database(),
            **overrides,
        }
    )
    application.test_client_class = IsolatedClient
    application.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return application


@pytest.fixture
def app(backend, databases, tmp_path):
    """An app on its own freshly migrated database, with an app context pushed."""
    url = databases.new(backend)
    application = make_test_app(url, tmp_path)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture
def owner_engine(app, databases):
    """The app's database as its owner: on PostgreSQL the role that ran the migrations
    (the app itself connects as ``tests.databases.APP_ROLE``); on SQLite, no roles."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        yield db.engine
        return
    import sqlalchemy as sa

    engine = sa.create_engine(databases.owner_url(url))
    yield engine
    engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(app, client):
    """Sign a new user with these roles in through the real sign-in form."""
    from tests.factories import make_user
    from tests.helpers import sign_in

    def _login_as(*roles, **fields):
        user = make_user(*roles, **fields)
        sign_in(client, user.email)
        return user

    return _login_as


_BACKEND_COUNTS: dict[str, int] = {}


def pytest_runtest_logreport(report):
    if report.when != "call" or not report.passed:
        return
    if "postgres" in report.keywords:
        key = "PostgreSQL"
    elif "/browser/" in report.nodeid:
        key = "Chromium (browser, SQLite)"
    else:
        key = "SQLite"
    _BACKEND_COUNTS[key] = _BACKEND_COUNTS.get(key, 0) + 1


# Read-only crawls: each (role, language) may run on either worker. Every other browser
# test shares its file's served portal with the tests before it, so a file stays together.
_SPREAD_BROWSER_TESTS = ("test_every_reachable_page_has_no_axe_violations",)


# Coverage's tracer doubles the time of a request-heavy test (measured: 11 s → 23 s). The
# figure comes from the unit, view and SQLite database tests; these repeat the same lines
# many times over and are not traced: the browser tests (Chromium against the served
# portal), the PostgreSQL half of the database tests, the form fuzz, the route walk and the
# valid-HTML crawl.
_NOT_TRACED_FILES = ("test_form_fuzz.py", "test_route_access.py", "test_valid_html.py")


def _traced(item) -> bool:
    if "/browser/" in item.nodeid or item.nodeid.split("::")[0].endswith(_NOT_TRACED_FILES):
        return False
    return "[postgresql" not in item.nodeid and "-postgresql" not in item.nodeid


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Group browser tests by file for ``--dist loadgroup``; the rest spread one by one.
    Mark the tests coverage does not trace (above), when coverage runs at all: pytest-cov's
    marker fails a test run with ``--no-cov``."""
    measuring = bool(getattr(config.option, "cov_source", None)) and not getattr(
        config.option, "no_cov", False
    )
    for item in items:
        if "/browser/" in item.nodeid and item.originalname not in _SPREAD_BROWSER_TESTS:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
        if measuring and not _traced(item):
            item.add_marker(pytest.mark.no_cover)


def pytest_sessionfinish(session):
    """On a worker, hand the browser checks' tally to the controller that prints it."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        from tests.browser.helpers import CHECKED

        workeroutput["browser_checks"] = {
            "pages": sorted(CHECKED["pages"]),
            "checks": CHECKED["checks"],
        }
        from tests import figures

        workeroutput["security_figures"] = figures.as_plain()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from tests.browser.helpers import CHECKED

    tally = getattr(node, "workeroutput", {}).get("browser_checks")
    if tally:
        CHECKED["pages"].update(tally["pages"])
        CHECKED["checks"] += tally["checks"]
    from tests import figures

    figures.merge(getattr(node, "workeroutput", {}).get("security_figures", {}))


def pytest_terminal_summary(terminalreporter):
    from tests.browser.helpers import CHECKED

    if CHECKED["checks"]:
        terminalreporter.section("accessibility checks in Chromium")
        terminalreporter.write_line(
            f"{len(CHECKED['pages'])} distinct pages, {CHECKED['checks']} checks "
            "(axe WCAG 2.2 A/AA, lang, dir, one h1, unique title, labels; reflow at 320px; "
            "text at 200%)"
        )
    from tests import figures

    if lines := figures.summary_lines():
        terminalreporter.section("security figures (SECURITY.md section 8), from tests that passed")
        for line in lines:
            terminalreporter.write_line(line)
    if _BACKEND_COUNTS:
        terminalreporter.section("tests passed per database / browser")
        for key, count in sorted(_BACKEND_COUNTS.items()):
            terminalreporter.write_line(f"{key}: {count}")
