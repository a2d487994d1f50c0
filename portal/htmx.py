"""A small helper for htmx 2 requests: one URL, a full page or just its fragment.

Written here rather than depending on ``htmx-flask`` (abandoned; a missing comma in its
reswap list makes ``reswap="afterbegin"`` crash) or ``flask-htmx`` (rejects swap
modifiers); see TOOLCHAIN.md §2. Only the request headers htmx 2.x sends are read.
"""

from flask import render_template, request


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
