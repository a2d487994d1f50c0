"""Customer import at the landlord's size (issue 13 item 1): 350,000 lines in minutes.

Generates an export of N lines (default 350,000; a few refused on purpose), then on a
private PostgreSQL 15 (the test rig's, tests/pg_server.py, started in a temporary folder
and stopped afterwards) times:
  * the portal's upload request (store the file in the database, 1 MB a row, and queue
    the check), the preview job (stream the stored file back, check, classify, stage) and
    the apply job (in chunks of 2,000), the jobs run in burst mode, into an empty
    ``customers`` table,
  * the same file again (everything unchanged: the second preview, and an apply with
    nothing to write),
against a baseline in the same run: a bare ``COPY`` of the same lines into ``customers``
of an identical, freshly migrated database (csv module parsing, no checks at all).
Run: .venv/bin/python benchmarks/customer_import.py [--rows 350000] [--sqlite]
"""

import argparse
import csv
import datetime as dt
import io
import random
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app  # noqa: E402
from portal.customer_imports import services  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.jobs.worker import work  # noqa: E402
from portal.models import Customer, ImportRun  # noqa: E402
from portal.models.types import utcnow  # noqa: E402
from portal.models.vocab import Role  # noqa: E402
from tests.databases import migrate_to_head  # noqa: E402
from tests.import_files import HEADER  # noqa: E402
from tests.pg_server import PostgresUnavailable, PrivateCluster  # noqa: E402

TODAY = dt.date(2026, 12, 3)
LANGUAGES = ["en"] * 8 + ["cy", "pl", "ar", "Polish", "so"]
STREETS = ["High Street", "Church Road", "Station Road", "Mill Lane", "Park Avenue"]


def make_export(rows: int, seed: int = 13) -> bytes:
    """An export as the housing management system would write it; 1 line in 1,000 has a
    bad email so the refusals are exercised too."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for number in range(rows):
        email = f"person{number}@example.org" if number % 1000 else "not-an-email"
        born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(25_000))
        left = "" if number % 50 else "2026-10-31"
        writer.writerow(
            [
                f"T-{number:07d}",
                f"Person {number} Example",
                born.strftime("%d/%m/%Y"),
                f"{rng.randrange(1, 200)} {rng.choice(STREETS)}\nBristol",
                f"BS{rng.randrange(1, 16)} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJ')}X",
                email,
                f"0117 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
                rng.choice(LANGUAGES),
                left,
            ]
        )
    return buffer.getvalue().encode()


COPY_COLUMNS = (
    "reference, full_name, date_of_birth, address, postcode, email, phone, preferred_locale, "
    "left_on, created_at, preferred_letter_format, support_needs, finds_writing_difficult, "
    "cannot_use_telephone, needs_in_person_access"
)


def bare_copy(url: str, data: bytes) -> float:
    """The baseline: parse with the csv module and COPY every line, no checks."""
    engine = sa.create_engine(url)
    now = utcnow()
    started = time.perf_counter()
    reader = csv.reader(io.StringIO(data.decode()))
    next(reader)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY customers ({COPY_COLUMNS}) FROM STDIN") as copy:
            for ref, name, born, address, postcode, email, phone, language, left in reader:
                day, month, year = born.split("/")
                copy.write_row(
                    (
                        ref,
                        name,
                        f"{year}-{month}-{day}",
                        address,
                        postcode,
                        email,
                        phone,
                        language[:10],
                        left or None,
                        now,
                        "html",
                        "",
                        False,
                        False,
                        False,
                    )
                )
        raw.commit()
    finally:
        raw.close()
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def portal_import(app, data: bytes) -> tuple[dict[str, float], ImportRun]:
    """The upload request, the preview job and the apply job (in burst mode), each timed."""
    with app.app_context():
        from tests.factories import make_user

        steward = make_user(Role.DATA_STEWARD)
        started = time.perf_counter()
        run = services.upload(
            io.BytesIO(data),
            file_name="export.csv",
            actor=steward,
            today=TODAY,
            max_bytes=app.config["IMPORT_MAX_BYTES"],
        )
        uploaded = time.perf_counter()
        work(name="bench", burst=True)
        previewed = time.perf_counter()
        run = db.session.get(ImportRun, run.id)
        services.confirm(run, actor=steward, now=utcnow())
        db.session.commit()
        work(name="bench", burst=True)
        applied = time.perf_counter()
        db.session.expire_all()
        run = db.session.get(ImportRun, run.id)
        db.session.expunge(run)
        db.session.remove()
    times = {
        "upload": uploaded - started,
        "preview": previewed - uploaded,
        "apply": applied - previewed,
    }
    return times, run


def report(label: str, seconds: float, rows: int, baseline: float) -> None:
    speed = rows / seconds
    print(f"{label:<44} {seconds:>8.1f} s {speed:>10,.0f} rows/s {seconds / baseline:>7.1f}×")


def run_on(label: str, import_url: str, copy_url: str | None, data: bytes, rows: int) -> None:
    print(f"\n{label}: {rows:,} lines, {len(data) / 2**20:.1f} MB")
    baseline = bare_copy(copy_url, data) if copy_url else None
    app = create_app({"PORTAL_ENV": "testing", "SQLALCHEMY_DATABASE_URI": import_url})
    first_times, first = portal_import(app, data)
    second_times, second = portal_import(app, data)
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Customer))
        db.engine.dispose()
    print(f"first run:  added {first.added:,}, refused {first.refused:,}, former {first.former:,}")
    print(
        f"second run: unchanged {second.unchanged:,}, added {second.added}, "
        f"updated {second.updated}; customers in the table: {count:,}"
    )
    base = baseline or 1.0
    print(f"{'':<44} {'time':>10} {'speed':>17} {'× COPY' if baseline else '':>8}")
    if baseline:
        report("baseline: bare COPY of the same lines", baseline, rows, base)
    report("portal, first import: upload request", first_times["upload"], rows, base)
    report("portal, first import: preview (job)", first_times["preview"], rows, base)
    report("portal, first import: apply (job)", first_times["apply"], rows, base)
    report("portal, first import: all three", sum(first_times.values()), rows, base)
    report("portal, same file again: upload request", second_times["upload"], rows, base)
    report("portal, same file again: all three", sum(second_times.values()), rows, base)


def postgres(args, data: bytes) -> None:
    try:
        cluster = PrivateCluster().start()
    except PostgresUnavailable as error:
        print(f"\nPostgreSQL skipped: {error}")
        return
    try:
        admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE bench_import")
        migrate_to_head(cluster.url("bench_import"))
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE bench_copy TEMPLATE bench_import")
        admin.dispose()
        run_on(
            "PostgreSQL 15", cluster.url("bench_import"), cluster.url("bench_copy"), data, args.rows
        )
    finally:
        cluster.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=350_000)
    parser.add_argument("--sqlite", action="store_true", help="also time SQLite (no baseline)")
    args = parser.parse_args()
    data = make_export(args.rows)
    postgres(args, data)
    if args.sqlite:
        folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
        url = f"sqlite:///{folder / 'import.sqlite3'}"
        migrate_to_head(url)
        run_on("SQLite", url, None, data, args.rows)


if __name__ == "__main__":
    main()
