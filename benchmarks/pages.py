"""Server time per page, as a ratio to the cheapest route (/health) in the same run.

Loads the demo data into a temporary SQLite file, signs in with production-strength
argon2id, then times N requests per page through the WSGI test client (no network).
Run: .venv/bin/python benchmarks/pages.py [-n 200]
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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=200, help="requests per page")
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
