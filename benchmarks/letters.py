"""Letter rendering: the first render of each format against a repeat download.

Loads the demo data (which issues Jordan's restriction notice) into a temporary SQLite
file, then, signed in as Jordan, times through the WSGI test client:
  * a first download of the PDF and of the large-print PDF (the cache emptied each time,
    so WeasyPrint runs every time), of the audio MP3 (espeak-ng and lame) and of the
    braille-ready BRF (liblouis), and
  * a repeat download of the same file (served from the cache, no rendering).
Prints medians and the ratio first-render / repeat (issue 5 asks for at least 20x).
Run: .venv/bin/python benchmarks/letters.py [-n 10]
"""

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import delete, select

from portal import create_app
from portal.clock import today
from portal.demo import DEMO_PASSWORD, load_demo_data
from portal.extensions import db
from portal.models import Letter, LetterRender


def signed_in_client(app, email):
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"csrf_token": token, "email": email, "password": DEMO_PASSWORD})
    return client


def timed_get(client, url) -> float:
    started = time.perf_counter()
    response = client.get(url)
    _ = response.data
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    response.close()
    return elapsed * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=10, help="samples per measurement")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-letters-"))
    app = create_app(
        {
            "PORTAL_ENV": "development",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        }
    )
    with app.app_context():
        upgrade()
        load_demo_data(today(), allowed=True)
        letter_id = db.session.scalar(select(Letter.id).order_by(Letter.id))
        db.session.remove()
    client = signed_in_client(app, "jordan.ellis@example.com")
    print(f"{'download':<28} {'first render ms':>16} {'repeat ms':>10} {'ratio':>7}")
    for locale, fmt in (
        ("en", "pdf"),
        ("en", "large-print"),
        ("ar", "pdf"),
        ("en", "text"),
        ("en", "audio"),
        ("ar", "audio"),
        ("en", "braille"),
        ("ar", "braille"),
    ):
        url = f"/letters/{letter_id}/{locale}/{fmt}"
        timed_get(client, url)  # warm-up: imports, fonts
        firsts, repeats = [], []
        for _ in range(args.n):
            with app.app_context():  # empty the render cache: the next download renders
                db.session.execute(delete(LetterRender))
                db.session.commit()
            firsts.append(timed_get(client, url))
            repeats.append(timed_get(client, url))
        first, repeat = statistics.median(firsts), statistics.median(repeats)
        print(f"{locale + ' ' + fmt:<28} {first:>16.1f} {repeat:>10.2f} {first / repeat:>6.0f}x")


if __name__ == "__main__":
    main()
