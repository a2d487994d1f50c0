"""Friendly, translated error pages that leak nothing (ASVS 16.5.1).

A 500 or 503 page is rendered without the database (ASVS 16.5.2/16.5.3, issue 14 item 5):
the failure may be the database itself, and a page that reached for it again (to load the
signed-in person, their menu or their saved language) would turn a friendly 503 into a bare
500 with no security headers.
"""

from flask import g, render_template
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from portal.extensions import db
from portal.translations import lazy_gettext as _l

ERROR_PAGES = {
    400: (
        _l("There is a problem with your request"),
        _l("Go back, check what you entered and try again."),
    ),
    403: (
        _l("You cannot view this page"),
        _l(
            "Your account does not give you access to this page. If you think it should, "
            "contact the person who manages your account."
        ),
    ),
    404: (
        _l("Page not found"),
        _l(
            "If you typed the web address, check it is correct. If you pasted the web "
            "address, check you copied the entire address."
        ),
    ),
    405: (
        _l("There is a problem with your request"),
        _l("Go back, check what you entered and try again."),
    ),
    413: (
        _l("The file or form you sent is too large"),
        _l("Go back and send something smaller. Nothing has been saved."),
    ),
    429: (
        _l("Too many tries"),
        _l(
            "To keep accounts safe, we limit how many times anyone can try from one "
            "network. Wait a few minutes and try again."
        ),
    ),
    500: (
        _l("Sorry, there is a problem with the service"),
        _l("Try again later. Nothing you sent has been saved."),
    ),
    503: (
        _l("Sorry, the service is unavailable"),
        _l("Try again in a few minutes. Nothing you sent has been saved."),
    ),
}


def render_error(status: int, heading=None, body=None):
    default_heading, default_body = ERROR_PAGES.get(status, ERROR_PAGES[500])
    layout = "layouts/base.html"
    if status >= 500:
        forget_signed_in_user()
        layout = "layouts/minimal.html"
    return (
        render_template(
            "errors/error.html",
            heading=heading or default_heading,
            body=body or default_body,
            status=status,
            error_layout=layout,
        ),
        status,
    )


def forget_signed_in_user() -> None:
    """Make the rest of this request see nobody signed in, without asking the database.

    Flask-Login loads ``current_user`` lazily and keeps it in ``g._login_user``; its
    template context processor, the layout and the language choice all read it. Setting an
    anonymous user there stops every one of them querying a database that may be gone, or
    refreshing a user object the rollback has expired. The page's language then comes from
    the session or Accept-Language (portal.i18n.select_language).
    """
    g.database_unavailable = True
    g._login_user = AnonymousUserMixin()


def roll_back_quietly(app, what: str) -> None:
    """Nothing half-saved stays (ASVS 16.5.3). The connection may be gone: best effort."""
    try:
        db.session.rollback()
    except Exception:  # a dead connection cannot roll back; the server discards it
        app.logger.warning("rollback failed after %s", what)


def too_many_tries(wait_seconds: int):
    """429 with Retry-After (portal.auth.rate_limits)."""
    body, status = render_error(429)
    return body, status, {"Retry-After": str(wait_seconds)}


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        return render_error(
            400,
            _l("Your form could not be checked"),
            _l(
                "This can happen if the page was open for a long time. Go back, reload the "
                "page and try again. Nothing has been saved."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code not in ERROR_PAGES:
            return error
        return render_error(error.code)

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        roll_back_quietly(app, "a database error")
        app.logger.error("database error: %s", type(error).__name__)
        return render_error(503)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("unhandled error")
        roll_back_quietly(app, "an unhandled error")
        return render_error(500)
