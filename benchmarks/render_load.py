"""Twenty first-time letter downloads at once, beside a cheap page (issue 18 item 4).

Starts the portal under gunicorn (2 workers) and one job worker (``flask jobs work``, as
production runs it) on the demo data in a private PostgreSQL 15 cluster (or SQLite with
``--database sqlite``). Each round loads a cheap page (the accessibility statement) with
wrk and measures its p99 with an open-loop probe beside it, first quiet, then while twenty
people each ask for a PDF, large-print, easy-read or audio letter never made before and
wait for it as the page does. Rounds alternate quiet and busy to cancel noise. Prints the
p99s and their ratio (goal: at most 2x), how quickly the download requests were answered,
and how long the last file took to be ready. ``--no-worker`` leaves the files unmade, to
show what the requests alone cost; ``--no-idle-layout`` has the worker lay out PDFs itself
rather than in its idle-class child (portal.jobs.idle_child), to compare.

Run: .venv/bin/python benchmarks/render_load.py [--rounds 2] [--seconds 20]
"""

import argparse
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from served.load import Browser, ensure_wrk, run_wrk, start_gunicorn  # noqa: E402
from served.run import _machine, build_data  # noqa: E402

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.letters import render  # noqa: E402
from portal.models import Customer, Letter  # noqa: E402
from portal.models.vocab import LetterStatus  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
CUSTOMER = "jordan.ellis@example.com"
CHEAP_PAGE = "/accessibility"
PROBE_RATE = 20  # requests a second, on top of wrk's
HTMX = {"HX-Request": "true"}  # the page polls for its status block, not the whole page
SLOW = [fmt for fmt in render.FORMATS.values() if fmt.slow]


def files_never_made(app) -> list[str]:
    """Download paths of the customer's letters, in every language and slow format."""
    with app.app_context():
        letters = db.session.scalars(
            sa.select(Letter)
            .join(Customer, Letter.customer_id == Customer.id)
            .where(Customer.email == CUSTOMER, Letter.status != LetterStatus.DRAFT)
            .order_by(Letter.id)
        ).all()
        paths = [
            f"/letters/{letter.id}/{locale}/{fmt.slug}"
            for letter in letters
            for locale in letter.titles
            for fmt in SLOW
            if render.available(fmt, locale)
        ]
        db.session.remove()
    return paths


def fetch_when_ready(
    person: Browser, path: str, results: list, give_up_after: float, download: bool = True
) -> None:
    """One person: ask for the file; while it is being made, check as the page does (its
    status after the delay each answer names, until it names none), then download it."""
    started = time.monotonic()
    status, body, _location = person.request(path)
    answered = time.monotonic() - started
    if status == 202:  # answered with the file's page: being made
        delay = ask_again_after(body)
        while delay is not None and time.monotonic() - started < give_up_after:
            time.sleep(delay)
            _status, body, _location = person.request(f"{path}/status", headers=HTMX)
            delay = ask_again_after(body)
        if download:
            status, _size = person.download(path)
    results.append((answered, time.monotonic() - started, status))


def ask_again_after(body: str) -> float | None:
    """Seconds until the page asks again (its htmx trigger), or None once it stops."""
    match = re.search(r'data-hx-trigger="load delay:(\d+)ms"', body)
    return int(match.group(1)) / 1000 if match else None


def _timed_get(url: str, scheduled: float) -> float:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our server
            response.read()
    except OSError:
        return 60.0
    return time.monotonic() - scheduled


def probe_p99(url: str, seconds: int, rate: int) -> float:
    """The cheap page's p99 in ms, asked for at a constant rate whatever the server does
    (open loop): each latency counts from when the request was due, so a stall is counted
    in full. wrk waits for an answer before asking again on a connection, so it sends
    fewer requests while the server stalls and under-counts the stall (coordinated
    omission): with renders in the web workers it missed most of a 3-7 second stall."""
    with ThreadPoolExecutor(max_workers=64) as pool:
        start = time.monotonic()
        futures = []
        for number in range(seconds * rate):
            due = start + number / rate
            time.sleep(max(0.0, due - time.monotonic()))
            futures.append(pool.submit(_timed_get, url, due))
        latencies = [future.result() for future in futures]
    return statistics.quantiles(latencies, n=100)[98] * 1000


def measured_round(prober, wrk, args, base, paths, browser=None) -> tuple:
    """wrk's load on the cheap page and the probe's p99 beside it; with ``paths``, while
    people (one signed-in customer's session, one thread each) wait for files never made
    before."""
    results: list = []
    give_up = args.seconds if args.no_worker else 600
    people = [
        threading.Thread(
            target=fetch_when_ready,
            args=(browser, path, results, give_up, not args.no_download),
        )
        for path in paths
    ]
    probed = prober.submit(probe_p99, f"{base}{CHEAP_PAGE}", args.seconds, PROBE_RATE)
    for person in people:
        person.start()
    load = run_wrk(wrk, f"{base}{CHEAP_PAGE}", seconds=args.seconds, connections=args.connections)
    p99 = probed.result()
    for person in people:
        person.join()
    return load, p99, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--downloads", type=int, default=20)
    parser.add_argument(
        "--no-worker", action="store_true", help="no job worker: the requests' own cost alone"
    )
    parser.add_argument(
        "--no-idle-layout",
        action="store_true",
        help="the worker lays out PDFs itself, not in its idle-class child",
    )
    parser.add_argument(
        "--no-download",
        action="store_true",
        help="people stop when the file is ready, without downloading it",
    )
    args = parser.parse_args()
    args.customers = args.cases = 0  # the demo data alone
    args.contacts_per_restriction = 0
    wrk = ensure_wrk()
    folder = Path(tempfile.mkdtemp(prefix="bench-render-"))
    url, cluster, _summary = build_data(args, folder)
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "DATABASE_URL": url,
        "PORTAL_INSTANCE_DIR": str(folder / "instance"),
        "PORTAL_BASE_URL": "http://127.0.0.1:5000",
        "FLASK_APP": "portal",
    }
    portal_server, base = start_gunicorn("portal:create_app()", workers=2, env=env, chdir=PROJECT)
    command = ["flask", "jobs", "work"] if not args.no_worker else ["flask", "--version"]
    if args.no_idle_layout:
        command.append("--no-idle-layout")
    worker = subprocess.Popen(  # noqa: S603 - our interpreter, our arguments
        [sys.executable, "-m", *command],  # at its default lower priority
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    app = create_app({"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": url})
    prober = None
    try:
        paths = files_never_made(app)
        needed = args.rounds * args.downloads
        if len(paths) < needed:
            raise SystemExit(f"only {len(paths)} files to make; fewer rounds or downloads")
        browser = Browser(base)
        browser.sign_in(CUSTOMER)
        print(f"{_machine()}; {args.database}; gunicorn 2 workers + 1 job worker")
        print(
            f"cheap page {CHEAP_PAGE}: wrk -t2 -c{args.connections} -d{args.seconds}s, and a "
            f"probe asking {PROBE_RATE} times a second whatever the answers (open loop)"
        )
        # The probe in a process of its own, started before the rounds: as threads beside
        # the twenty people it measured their reading of megabytes of PDF and MP3 too
        # (Python runs one thread at a time).
        prober = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        prober.submit(time.sleep, 0).result()
        quiet_p99, busy_p99 = [], []
        for number in range(args.rounds):
            quiet, quiet_probe, _none = measured_round(prober, wrk, args, base, [])
            batch = paths[number * args.downloads : (number + 1) * args.downloads]
            busy, busy_probe, results = measured_round(prober, wrk, args, base, batch, browser)
            quiet_p99.append(quiet_probe)
            busy_p99.append(busy_probe)
            answered = [r[0] * 1000 for r in results]
            print(
                f"round {number + 1}: quiet: probe p99 {quiet_probe:.0f} ms, wrk p99 "
                f"{quiet.p99_ms:.0f} ms at {quiet.requests_per_second:.0f} r/s; "
                f"with {len(batch)} first downloads: probe p99 {busy_probe:.0f} ms, wrk p99 "
                f"{busy.p99_ms:.0f} ms at {busy.requests_per_second:.0f} r/s"
            )
            print(
                f"  download requests answered in median {statistics.median(answered):.0f} ms, "
                f"max {max(answered):.0f} ms; last file ready after "
                f"{max(r[1] for r in results):.0f} s; "
                f"{sum(r[2] == 200 for r in results)}/{len(results)} files served"
            )
        ratio = statistics.median(busy_p99) / statistics.median(quiet_p99)
        print(f"cheap page p99 (probe) with first downloads / without: {ratio:.2f}x (goal <= 2x)")
    finally:
        if prober is not None:
            prober.shutdown()
        worker.terminate()
        portal_server.terminate()
        worker.wait(timeout=60)
        portal_server.wait(timeout=30)
        with app.app_context():
            db.engine.dispose()
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
