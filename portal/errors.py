"""Friendly, translated error pages that leak nothing (ASVS 16.5.1)."""

from flask import g, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from portal.extensions import db

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
    return (
        render_template(
            "errors/error.html",
            heading=heading or default_heading,
            body=body or default_body,
            status=status,
        ),
        status,
    )


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
        # Roll back so nothing is half-saved; don't touch the database again for this page.
        g.database_unavailable = True
        try:
            db.session.rollback()
        except Exception:  # the connection may be gone; rollback is best effort
            app.logger.warning("rollback failed after a database error")
        app.logger.error("database error: %s", type(error).__name__)
        return render_error(503)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("unhandled error")
        g.database_unavailable = True  # be safe: render without loading the user
        try:
            db.session.rollback()
        except Exception:  # rollback is best effort here
            app.logger.warning("rollback failed after an unhandled error")
        return render_error(500)
