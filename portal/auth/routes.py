from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal import audit
from portal.auth import bp
from portal.auth.forms import SignInForm
from portal.auth.services import SignInRefused, authenticate, end_session, start_session
from portal.extensions import db
from portal.models.types import utcnow
from portal.navigation import home_endpoint_for
from portal.security import PUBLIC, SIGNED_IN, access


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect (ASVS 5.1.5 family)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@access(PUBLIC)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint_for(current_user)), 303)
    form = SignInForm()
    refused = False
    if form.validate_on_submit():
        config = current_app.config
        try:
            user = authenticate(
                form.email.data,
                form.password.data,
                now=utcnow(),
                max_failures=config["SIGN_IN_MAX_FAILURES"],
                lockout=config["SIGN_IN_LOCKOUT"],
            )
        except SignInRefused:
            db.session.commit()  # the failure counter, with its audit event below
            audit.record("authn_login_fail", details={"reason": "refused"})
            refused = True
        else:
            # New session on every sign-in: nothing from before survives (session fixation,
            # ASVS 7.2.4). Keep only the language the person chose.
            language = session.get("lang")
            session.clear()
            if language:
                session["lang"] = language
            session["sid"] = start_session(user, now=utcnow())
            login_user(user)
            audit.record("authn_login_success", actor=user)
            destination = _safe_next(request.args.get("next")) or url_for(home_endpoint_for(user))
            return redirect(destination, 303)
    status = 200 if not (form.errors or refused) else 400
    return render_template("auth/sign_in.html", form=form, refused=refused), status


@bp.route("/sign-out", methods=["POST"])
@access(SIGNED_IN)
def sign_out():
    user = current_user._get_current_object()
    end_session(session.get("sid"), now=utcnow())
    audit.record("session_end", actor=user)  # commits the session's end with the event
    logout_user()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    flash(_("You have signed out."), "success")
    response = redirect(url_for("auth.sign_in"), 303)
    # Tell the browser to drop anything it kept from the signed-in pages (ASVS 14.3.1).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/session/extend", methods=["POST"])
@access(SIGNED_IN)
def extend_session():
    """WCAG 2.2.1 (timing adjustable): "Stay signed in" on the timeout warning. Any signed-in
    request already counts as activity, so this only has to be one; without JavaScript the
    form posts here and returns to the page."""
    if request.headers.get("HX-Request"):  # the dialog's fetch: stay on the page
        return "", 204
    return redirect(
        _safe_next(request.form.get("next")) or url_for(home_endpoint_for(current_user)), 303
    )
