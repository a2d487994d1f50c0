"""A small helper for htmx 2 requests: one URL, a full page or just its fragment.

Written here rather than depending on ``htmx-flask`` (abandoned; a missing comma in its
reswap list makes ``reswap="afterbegin"`` crash) or ``flask-htmx`` (rejects swap
modifiers); see TOOLCHAIN.md §2. Only the request headers htmx 2.x sends are read.
"""

import random

from flask import render_template, request

# How often a waiting page asks again (a file being made, an export, an import's progress).
POLL_SECONDS = {"file": 2.0, "export": 2.0, "import": 1.0}
# Each ask is due at a random point within this share either side of the interval. People
# who asked at the same moment (a batch of letters just issued, twenty first downloads)
# otherwise ask again at the same moments forever, and each wave of twenty requests stalls
# everyone else's pages behind it (issue 18 item 4).
POLL_JITTER = 0.25


def is_htmx_request() -> bool:
    """True for an htmx swap; false for boosted navigation and history restores,
    which must get the whole page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render_page_or_fragment(page: str, fragment: str, **context) -> str:
    """Render ``fragment`` for an htmx swap, else ``page`` (which includes the fragment)."""
    return render_template(fragment if is_htmx_request() else page, **context)


def add_vary_header(response):
    """The same URL returns different bodies to htmx and to a plain request, so caches
    must key on HX-Request."""
    response.vary.add("HX-Request")
    return response


def redirect_for_htmx(response, location: str):
    """Make htmx follow a redirect with a full page load (e.g. an expired session)."""
    response.headers["HX-Redirect"] = location
    return response


def refresh_whole_page(response):
    """Make htmx reload the page: what comes next is not the fragment it was polling."""
    response.headers["HX-Refresh"] = "true"
    return response


def poll_trigger(kind: str) -> str:
    """An htmx trigger that asks again once, a little before or after the interval; the
    block it fetches carries a new one while there is still something to wait for (htmx
    "load polling"), so the asks of people who started together drift apart."""
    seconds = POLL_SECONDS[kind]
    # Not a secret: spreading load needs no cryptographic randomness.
    delay = random.uniform(seconds * (1 - POLL_JITTER), seconds * (1 + POLL_JITTER))  # noqa: S311
    return f"load delay:{round(delay * 1000)}ms"
