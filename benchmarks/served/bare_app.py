"""The baseline of benchmarks/pages.py: a bare Flask + Jinja page rendering a 50-row table,
with a session read and written on every request, as a signed-in page's would be. Served
by gunicorn exactly as the portal is: ``gunicorn --chdir benchmarks/served bare_app:app``.

``/server-session`` is the same page with its session held on the server, as the portal's
must be for signing out to be final (SECURITY.md): one indexed read of a session row from
the database named by ``BARE_DATABASE_URL`` (the benchmark's own), as a second yardstick.
"""

import os

import sqlalchemy as sa
from flask import Flask, render_template_string, session

app = Flask(__name__)
app.secret_key = "benchmark-baseline-only"  # noqa: S105 - a benchmark's own, never deployed

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<header><a href="/">Home</a> <span>Visit {{ visits }}</span></header>
<main>
<h1>{{ title }}</h1>
<table>
<caption>{{ rows|length }} cases</caption>
<thead><tr><th scope="col">Reference</th><th scope="col">Customer</th>
<th scope="col">Opened</th><th scope="col">Next review</th></tr></thead>
<tbody>
{% for row in rows %}
<tr><td><a href="/cases/{{ row.id }}">{{ row.reference }}</a></td><td>{{ row.name }}</td>
<td>{{ row.opened }}</td><td>{{ row.review }}</td></tr>
{% endfor %}
</tbody>
</table>
</main>
</body>
</html>
"""


def _rows():
    return [
        {
            "id": number,
            "reference": f"MB-2026-{number:05d}",
            "name": f"Customer {number}",
            "opened": f"{1 + number % 28} March 2026",
            "review": f"{1 + number % 28} June 2026",
        }
        for number in range(1, 51)
    ]


@app.route("/")
def table():
    session["visits"] = session.get("visits", 0) + 1
    return render_template_string(PAGE, title="Cases", rows=_rows(), visits=session["visits"])


ENGINE = (
    sa.create_engine(os.environ["BARE_DATABASE_URL"]) if "BARE_DATABASE_URL" in os.environ else None
)
SESSION_ROW = sa.text(
    "SELECT id, user_id, last_seen_at, ended_at FROM user_sessions WHERE token_hash = :token"
)


TOKEN: list[str] = []  # one signed-in session's token hash, found once per worker


@app.route("/server-session")
def table_with_server_session():
    """The page, its session row read by its token's hash (an index lookup) each time."""
    with ENGINE.connect() as connection:
        if not TOKEN:
            TOKEN.append(connection.scalar(sa.text("SELECT token_hash FROM user_sessions")))
        row = connection.execute(SESSION_ROW, {"token": TOKEN[0]}).first()
    return render_template_string(PAGE, title="Cases", rows=_rows(), visits=row.id)
