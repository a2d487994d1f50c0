"""Concurrent writers on SQLite: the portal's BEGIN IMMEDIATE against a deferred BEGIN.

Each of W threads does I read-modify-write increments of one failure counter through the
portal's own engine set-up. Prints failures ("database is locked"), lost updates and time
for both modes, and the ratio. Run: .venv/bin/python benchmarks/sqlite_writers.py
"""

import argparse
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal import create_app
from portal.extensions import db
from portal.models import SignInThrottle


def run(mode: str, writers: int, increments: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-sqlite-"))
    app = create_app(
        {
            "PORTAL_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        }
    )
    with app.app_context():
        db.create_all()
        engine = db.engine
        if mode == "deferred":
            # Replace the portal's BEGIN IMMEDIATE with SQLite's default deferred BEGIN.
            event.remove(engine, "begin", _begin_listener(engine))
            event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        with Session(engine) as session, session.begin():
            session.add(SignInThrottle(email_key="bench", failed_tries=0, wrong_guesses=0))
        failures: list[str] = []

        def writer():
            for _ in range(increments):
                try:
                    with Session(engine) as session, session.begin():
                        row = session.scalars(sa.select(SignInThrottle)).one()
                        row.failed_tries += 1
                except sa.exc.OperationalError as error:
                    failures.append(str(error.orig))

        threads = [threading.Thread(target=writer) for _ in range(writers)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        with Session(engine) as session:
            final = session.scalars(sa.select(SignInThrottle.failed_tries)).one()
        engine.dispose()
    attempted = writers * increments
    return {
        "mode": mode,
        "attempted": attempted,
        "failed": len(failures),
        "lost": attempted - len(failures) - final,
        "seconds": elapsed,
    }


def _begin_listener(engine):
    """The portal's own 'begin' listener, found on the engine's dispatch."""
    return next(fn for fn in engine.dispatch.begin if fn.__name__ == "on_begin")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--increments", type=int, default=25)
    args = parser.parse_args()
    results = [
        run("deferred", args.writers, args.increments),
        run("immediate", args.writers, args.increments),
    ]
    print(f"{'mode':<10} {'attempted':>9} {'failed':>7} {'lost':>5} {'seconds':>8}")
    for r in results:
        row = (r["mode"], r["attempted"], r["failed"], r["lost"], r["seconds"])
        print("{:<10} {:>9} {:>7} {:>5} {:>8.2f}".format(*row))
    deferred, immediate = results
    print(
        f"failed writes: deferred {deferred['failed']}/{deferred['attempted']}, "
        f"immediate {immediate['failed']}/{immediate['attempted']}"
    )
    print(f"time ratio immediate/deferred: {immediate['seconds'] / deferred['seconds']:.2f}")


if __name__ == "__main__":
    main()
