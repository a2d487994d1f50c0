"""Each page against a bare Flask page, served and under load (issue 18 item 2).

By default (served): generates the data set of ``flask demo generate`` beside the demo data
(350,000 customers, 20,000 cases and about 2,000,000 contact-log rows unless told otherwise)
in a private PostgreSQL 15 cluster (or SQLite with ``--database sqlite``), starts the portal
under gunicorn (2 workers) and, in the same run, a bare Flask + Jinja page rendering a
50-row table with a session (benchmarks/served/bare_app.py, also 2 workers), then drives
both with wrk (Debian's, installed when missing) from another process, interleaved bare,
page, bare, page to cancel noise. Prints per page: SQL statements, req/s, p50/p95/p99 and
the ratio of its req/s to the bare page's; on PostgreSQL, EXPLAIN ANALYZE of each page's
slowest statement.

``--in-process``: the older measure, server time per page through the WSGI test client on
the demo data in SQLite, as a ratio to /health, and a sign-in with production argon2id.

Run: .venv/bin/python benchmarks/pages.py [--customers 350000] [--cases 20000] [-d 5]
     .venv/bin/python benchmarks/pages.py --in-process [-n 200]
"""

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from portal import create_app
from portal.clock import today
from portal.demo import DEMO_PASSWORD, load_demo_data
from portal.extensions import db

PAGES = [
    ("/health", None),
    ("/", None),
    ("/sign-in", None),
    ("/my/", "jordan.ellis@example.com"),
    ("/advocate/", "priya.shah@example.com"),
    ("/staff/cases", "officer@example.com"),
    ("/staff/reviews", "reviews@example.com"),
    ("/staff/appeals", "director@example.com"),
    ("/staff/reports", "leadership@example.com"),
]


def signed_in_client(app, email):
    client = app.test_client()
    if email:
        page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post(
            "/sign-in", data={"csrf_token": token, "email": email, "password": DEMO_PASSWORD}
        )
    return client


def time_sign_in(app, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        signed_in_client(app, "officer@example.com")
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def in_process(args):
    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    # ARGON2_PARAMETERS None = production strength (argon2-cffi defaults).
    app = create_app(
        {
            "PORTAL_ENV": "development",
            "ARGON2_PARAMETERS": None,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        }
    )
    with app.app_context():
        upgrade()
        load_demo_data(today(), allowed=True)
        db.session.remove()
    results = []
    for url, email in PAGES:
        client = signed_in_client(app, email)
        client.get(url)  # warm-up
        samples = []
        for _ in range(args.n):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        results.append(
            (url, statistics.median(samples) * 1000, statistics.quantiles(samples, n=20)[18] * 1000)
        )
    baseline = results[0][1]
    print(f"{'page':<18} {'median ms':>10} {'p95 ms':>8} {'x /health':>10}")
    for url, median, p95 in results:
        print(f"{url:<18} {median:>10.2f} {p95:>8.2f} {median / baseline:>10.1f}")
    sign_in_ms = time_sign_in(app, 10)
    print(
        f"sign-in (GET form + POST, argon2id t=3 m=64MiB p=4): median {sign_in_ms:.0f} ms, "
        f"{sign_in_ms / baseline:.0f} x /health"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--in-process", action="store_true", help="the WSGI-client measure")
    parser.add_argument("-n", type=int, default=200, help="requests per page (in-process)")
    parser.add_argument("--customers", type=int, default=350_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--contacts-per-restriction", type=int, default=250)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("-d", "--seconds", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("-c", "--connections", type=int, default=8)
    parser.add_argument(
        "--database-url", help="measure a database already generated (skips generating one)"
    )
    args = parser.parse_args()
    if args.in_process:
        in_process(args)
    else:
        from served.run import served

        served(args)


if __name__ == "__main__":
    main()
