"""The one page for a one-time link that cannot be used (issue 13: expired or reused
links say so plainly and offer a new one)."""

from flask import render_template

from portal.auth.links import LinkAlreadyUsed, LinkExpired, LinkRefused


def link_refused_page(refused: LinkRefused, *, again_url: str | None, again_text: str):
    """410 Gone for a link that worked once or ran out; 404 for one we never made."""
    status = 410 if isinstance(refused, LinkExpired | LinkAlreadyUsed) else 404
    return render_template(
        "auth/link_refused.html", refused=refused, again_url=again_url, again_text=again_text
    ), status
