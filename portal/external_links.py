"""Absolute links for emails and letters, always from PORTAL_BASE_URL.

Never from the request: ``url_for(..., _external=True)`` copies the Host header, so a
customer nominating an advocate with ``Host: evil.example`` would send a genuine invitation
that leads somewhere else. One helper, the same inside a request and in a command.
"""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The full address of ``endpoint`` (with its URL values) on the configured portal."""
    base = urlsplit(current_app.config["PORTAL_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
