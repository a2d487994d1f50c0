"""The baseline of benchmarks/pages.py: a bare Flask + Jinja page rendering a 50-row table,
with a session read and written on every request, as a signed-in page's would be. Served
by gunicorn exactly as the portal is: ``gunicorn --chdir benchmarks/served bare_app:app``.
"""

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


@app.route("/")
def table():
    session["visits"] = session.get("visits", 0) + 1
    rows = [
        {
            "id": number,
            "reference": f"MB-2026-{number:05d}",
            "name": f"Customer {number}",
            "opened": f"{1 + number % 28} March 2026",
            "review": f"{1 + number % 28} June 2026",
        }
        for number in range(1, 51)
    ]
    return render_template_string(PAGE, title="Cases", rows=rows, visits=session["visits"])
