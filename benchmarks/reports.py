"""Reports on a large synthetic data set (issue 8): the annual report and the equality view.

Generates, as ``flask demo generate`` does (portal/demo/synthetic.py), N customers (default
350,000; 70% with protected characteristics), M cases (default 20,000) with incidents,
restrictions and their measures, reviews, escalations, appeals, reconsideration requests,
calls ended, referrals and contact-log rows, over three years, beside the demo data;
then times, as the median of a few runs:
  * the annual report for the last complete financial year (with its comparison year),
  * the equality view for the same year (all nine characteristics, and appeal overturn
    rates per decision-maker),
against baselines in the same run: ``SELECT count(*)`` on cases and on customers.
On SQLite (a temporary file) and, when PostgreSQL 15 binaries exist, on a private cluster
started in a temporary folder on a free port (the test rig's, tests/pg_server.py) and
stopped afterwards.
Run: .venv/bin/python benchmarks/reports.py [--customers 350000] [--cases 20000] [-n 3]
"""

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app  # noqa: E402
from portal.demo import load_demo_data  # noqa: E402
from portal.demo.synthetic import generate as generate_synthetic  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.reports.annual.figures import build_annual_report  # noqa: E402
from portal.reports.equality.monitoring import build_equality_view  # noqa: E402
from portal.reports.periods import last_financial_year  # noqa: E402
from tests.databases import migrate_to_head  # noqa: E402
from tests.pg_server import PostgresUnavailable, PrivateCluster  # noqa: E402

TODAY = dt.date(2026, 11, 28)


def generate(customers: int, cases: int) -> None:
    """The demo data, then the synthetic set beside it (``flask demo generate``)."""
    load_demo_data(TODAY, allowed=True)
    db.session.commit()
    generate_synthetic(customers, cases, today=TODAY)


def median_ms(action, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
        db.session.rollback()
    return statistics.median(samples) * 1000


def run(name: str, url: str, args) -> None:
    app = create_app({"PORTAL_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), app.test_request_context("/"):
        started = time.perf_counter()
        generate(args.customers, args.cases)
        generated = time.perf_counter() - started
        counts = {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("customers", "protected_characteristics", "cases", "restrictions")
        }
        period = last_financial_year(TODAY)
        results = [
            (
                "SELECT count(*) FROM cases",
                median_ms(
                    lambda: db.session.scalar(sa.text("SELECT count(*) FROM cases")), args.n * 3
                ),
            ),
            (
                "SELECT count(*) FROM customers",
                median_ms(
                    lambda: db.session.scalar(sa.text("SELECT count(*) FROM customers")), args.n * 3
                ),
            ),
            ("annual report (2 periods)", median_ms(lambda: build_annual_report(period), args.n)),
            (
                "equality view (9 characteristics, worked out)",
                # As on the period's last day: never kept, so worked out each time.
                median_ms(
                    lambda: build_equality_view(period, with_names=True, today=period.end),
                    args.n,
                ),
            ),
        ]
        report = build_annual_report(period)
        view = build_equality_view(period, today=period.end)
        flagged = [f"{b.key}={g.value}" for b in view.breakdowns for g in b.flagged]
        db.session.remove()
        db.engine.dispose()
    print(f"\n== {name} ==")
    print(", ".join(f"{table}: {count:,}" for table, count in counts.items()))
    print(
        f"generated in {generated:.1f} s; period {period.start} to {period.end}: "
        f"{report.current.cases_applied:,} cases applied, "
        f"{view.totals.restricted:,} customers restricted; flagged: {', '.join(flagged) or '-'}"
    )
    cases_baseline, customers_baseline = results[0][1], results[1][1]
    print(f"{'query':<36} {'median ms':>10} {'x count(cases)':>15} {'x count(customers)':>19}")
    for label, ms in results:
        print(
            f"{label:<36} {ms:>10.1f} {ms / cases_baseline:>15.1f} {ms / customers_baseline:>19.1f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=350_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("-n", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    url = f"sqlite:///{folder / 'reports.sqlite3'}"
    migrate_to_head(url)
    run("SQLite", url, args)
    if args.sqlite_only:
        return
    try:
        cluster = PrivateCluster().start()
    except PostgresUnavailable as error:
        print(f"\nPostgreSQL skipped: {error}")
        return
    try:
        admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE bench")
        admin.dispose()
        migrate_to_head(cluster.url("bench"))
        run("PostgreSQL 15", cluster.url("bench"), args)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
