"""benchmarks/pages.py, served: the data set, the two servers, wrk, and the table."""

import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from served.load import Browser, Load, ensure_wrk, run_wrk, start_gunicorn  # noqa: E402

from portal import create_app  # noqa: E402
from portal.clock import today  # noqa: E402
from portal.demo import load_demo_data  # noqa: E402
from portal.demo.synthetic import generate  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Case, Customer, Letter, User  # noqa: E402
from portal.models.vocab import LetterStatus  # noqa: E402
from tests.databases import migrate_to_head  # noqa: E402
from tests.pg_server import PrivateCluster  # noqa: E402

PROJECT = Path(__file__).resolve().parents[2]
JORDAN, OFFICER = "jordan.ellis@example.com", "officer@example.com"
REVIEWS, DIRECTOR, LEADERSHIP = (
    "reviews@example.com",
    "director@example.com",
    "leadership@example.com",
)


@dataclass(frozen=True)
class Page:
    label: str
    persona: str
    path: str
    form: dict | None = None


def pages(ids: dict) -> list[Page]:
    return [
        # The floor: a page with nothing of its own to read (the accessibility statement),
        # signed in, so only the session and the ways to reach us are read (2 statements).
        Page("signed-in floor (a static page)", JORDAN, "/accessibility"),
        Page("customer home (restrictions, letters)", JORDAN, "/my/"),
        Page("a letter", JORDAN, f"/letters/{ids['letter']}"),
        Page("case list, first page", OFFICER, "/staff/cases"),
        Page("case list, ordered by date opened", OFFICER, "/staff/cases?order=opened_newest"),
        Page("case list, page 40", OFFICER, "/staff/cases?page=40"),
        Page("customer search, a surname", OFFICER, "/staff/customers", {"q": "Nowak"}),
        Page("customer search, a reference", OFFICER, "/staff/customers", {"q": ids["ref"]}),
        Page("customer search, no match", OFFICER, "/staff/customers", {"q": "Zzyzx"}),
        Page("a case", OFFICER, f"/staff/cases/{ids['case']}"),
        Page("reviews queue", REVIEWS, "/staff/reviews"),
        Page("appeals queue", DIRECTOR, "/staff/appeals"),
        Page("annual report", LEADERSHIP, "/staff/reports/annual"),
        Page("equality view", LEADERSHIP, "/staff/reports/equality"),
    ]


def build_data(args, folder: Path) -> tuple[str, PrivateCluster | None, str]:
    """The database URL (migrated, demo data and the generated set), its cluster, a summary."""
    cluster = None
    if args.database == "postgresql":
        cluster = PrivateCluster().start()
        admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE bench")
        admin.dispose()
        url = cluster.url("bench")
    else:
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    migrate_to_head(url)
    app = create_app({"PORTAL_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        load_demo_data(today(), allowed=True)
        db.session.commit()
        if not args.customers:  # the demo data alone
            db.session.remove()
            db.engine.dispose()
            return url, cluster, "the demo data"
        started = time.monotonic()
        counts = generate(
            args.customers,
            args.cases,
            today=today(),
            contacts_per_restriction=args.contacts_per_restriction,
        )
        took = time.monotonic() - started
        db.session.remove()
        db.engine.dispose()
    summary = (
        f"{counts['customers']:,} customers, {counts['cases']:,} cases, "
        f"{counts['contact_log_entries']:,} contact-log rows generated in {took:.0f} s"
    )
    return url, cluster, summary


def find_ids(app) -> dict:
    with app.app_context():
        officer = db.session.scalar(sa.select(User.id).where(User.email == OFFICER))
        case = db.session.scalar(
            sa.select(Case.id)
            .where(Case.case_officer_id == officer, Case.reference.like("SYN-%"))
            .order_by(Case.id.desc())
        )
        letter = db.session.scalar(
            sa.select(Letter.id)
            .join(Customer, Letter.customer_id == Customer.id)
            .where(Customer.email == JORDAN, Letter.status != LetterStatus.DRAFT)
            .order_by(Letter.id)
        )
        ref = db.session.scalar(sa.select(Customer.reference).order_by(Customer.id.desc()))
        return {"case": case, "letter": letter, "ref": ref}


def statements_and_slowest(app, cookie: str, page: Page) -> tuple[int, tuple]:
    """The page's SQL statements through the WSGI client (same session cookie), and the
    slowest one with its parameters."""
    timings, started = [], {}

    def before(_conn, cursor, statement, parameters, *_args):
        started[id(cursor)] = time.perf_counter()

    def after(_conn, cursor, statement, parameters, *_args):
        timings.append((time.perf_counter() - started.pop(id(cursor)), statement, parameters))

    client = app.test_client()
    for part in cookie.split("; "):
        name, _eq, value = part.partition("=")
        client.set_cookie(name, value)
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        if page.form is None:
            response = client.get(page.path)
        else:
            response = client.post(page.path, data=page.form)
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
    assert response.status_code == 200, (page.path, response.status_code)
    return len(timings), max(timings, key=lambda t: t[0])


def explain(app, slowest: tuple) -> list[str]:
    _seconds, statement, parameters = slowest
    with app.app_context(), db.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN ANALYZE {statement}", parameters)
        return [row[0] for row in rows]


def _mean(loads: list[Load]) -> Load:
    return Load(
        *(statistics.mean(getattr(load, f) for load in loads) for f in Load.__dataclass_fields__)
    )


def measure(wrk, args, bare_url: str, base: str, page: Page, browser: Browser) -> tuple:
    """Bare, page, bare, page: each page's load beside the baseline measured around it."""
    form = page.form and {**page.form, "csrf_token": browser.token(page.path)}
    status, _body, location = browser.request(page.path, form)
    if status != 200:
        raise RuntimeError(f"{page.label}: {page.path} answered {status} {location}")
    bare, served = _interleaved(
        wrk, args, bare_url, f"{base}{page.path}", cookie=browser.cookie_header(), form=form
    )
    return bare, served, form


def _interleaved(wrk, args, first_url: str, second_url: str, **second_options) -> tuple:
    """First, second, first, second: the mean load of each, measured around the other."""
    first, second = [], []
    for _ in range(2):
        first.append(run_wrk(wrk, first_url, seconds=args.seconds, connections=args.connections))
        second.append(
            run_wrk(
                wrk,
                second_url,
                seconds=args.seconds,
                connections=args.connections,
                **second_options,
            )
        )
    return _mean(first), _mean(second)


def _machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}"


def served(args) -> None:
    wrk = ensure_wrk()
    folder = Path(tempfile.mkdtemp(prefix="bench-served-"))
    if args.database_url:  # a set generated before, measured again after a change
        url, cluster, summary = args.database_url, None, f"the data set at {args.database_url}"
    else:
        url, cluster, summary = build_data(args, folder)
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "DATABASE_URL": url,
        "PORTAL_INSTANCE_DIR": str(folder / "instance"),
        "PORTAL_BASE_URL": "http://127.0.0.1:5000",
    }
    portal_server, base = start_gunicorn("portal:create_app()", workers=2, env=env, chdir=PROJECT)
    bare_server, bare_url = start_gunicorn(
        "bare_app:app",
        workers=2,
        env={**os.environ, "BARE_DATABASE_URL": url},
        chdir=Path(__file__).parent,
    )
    app = create_app({"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": url})
    try:
        _report(args, wrk, app, base, bare_url, summary)
    finally:
        for server in (portal_server, bare_server):
            server.terminate()
            server.wait(timeout=30)
        with app.app_context():
            db.engine.dispose()
        if cluster is not None:
            cluster.stop()


def _server_session_yardstick(args, wrk, bare_url: str) -> None:
    """The bare page with its session read from the database (bare_app.py), against the
    bare page, interleaved: what holding sessions on the server costs any page."""
    plain, held = _interleaved(wrk, args, bare_url, bare_url.rstrip("/") + "/server-session")
    plain_rps, held_rps = plain.requests_per_second, held.requests_per_second
    print(
        f"\nThe bare page reading its session row from the database (one indexed SELECT), "
        f"the yardstick for a server-side session: {held_rps:.0f} r/s against {plain_rps:.0f} "
        f"({held_rps / plain_rps:.3f}x the bare page). A page at 0.5x the bare page is at "
        f"{0.5 * plain_rps / held_rps:.3f}x this one.",
        flush=True,
    )


def _report(args, wrk, app, base, bare_url, summary) -> None:
    print(f"{dt.datetime.now():%Y-%m-%d %H:%M}; {_machine()}; {args.database}")
    print(f"{summary}; wrk -t2 -c{args.connections} -d{args.seconds}s, bare/page/bare/page")
    browsers: dict[str, Browser] = {}
    plans = []
    header = f"{'page':<38} {'SQL':>4} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7}"
    print(f"{header} {'bare r/s':>8} {'ratio':>6}")
    for page in pages(find_ids(app)):
        if page.persona not in browsers:
            browsers[page.persona] = Browser(base)
            browsers[page.persona].sign_in(page.persona)
        browser = browsers[page.persona]
        bare, load, form = measure(wrk, args, bare_url, base, page, browser)
        counted = Page(page.label, page.persona, page.path, form)
        statements, slowest = statements_and_slowest(app, browser.cookie_header(), counted)
        ratio = load.requests_per_second / bare.requests_per_second
        print(
            f"{page.label:<38} {statements:>4} {load.requests_per_second:>7.1f} "
            f"{load.p50_ms:>6.0f}ms {load.p95_ms:>5.0f}ms {load.p99_ms:>5.0f}ms "
            f"{bare.requests_per_second:>8.0f} {ratio:>5.3f}x"
            + (f"  ({load.timeouts:.0f} over 30 s, not in p99)" if load.timeouts else ""),
            flush=True,
        )
        plans.append((page.label, slowest))
    _server_session_yardstick(args, wrk, bare_url)
    if args.database == "postgresql":
        print("\nEXPLAIN ANALYZE of each page's slowest statement:")
        for label, slowest in plans:
            print(f"\n-- {label}: {slowest[0] * 1000:.1f} ms")
            for line in explain(app, slowest)[:12]:
                print(f"   {line}")
