from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from portal import audit, i18n
from portal.auth import accounts, bp, emails, failures
from portal.auth import second_factor as two_factor
from portal.auth.forms import (
    AskForInvitationForm,
    ForgotPasswordForm,
    NewPasswordForm,
    SecondFactorForm,
    SignInForm,
)
from portal.auth.link_pages import link_refused_page
from portal.auth.links import LinkRefused
from portal.auth.password_rules import PasswordRefused
from portal.auth.rate_limits import limited
from portal.auth.services import (
    SignInLocked,
    SignInPaused,
    SignInRefused,
    authenticate,
    claim_code_guess,
    end_session,
    pending_session,
    start_session,
)
from portal.auth.throttle import ThrottleRule, forget_failures
from portal.extensions import db
from portal.formatting import date_and_time
from portal.models.types import utcnow
from portal.models.vocab import LinkPurpose
from portal.navigation import home_endpoint_for
from portal.security import PUBLIC, SIGNED_IN, access
from portal.translations import gettext as _


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect (ASVS 5.1.5 family)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _keep_only_language() -> None:
    """A new session on every sign-in step: nothing from before survives (session
    fixation, ASVS 7.2.4). Keep only the language the person chose."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _device() -> dict:
    return {
        "user_agent": (request.user_agent.string or "")[:200],
        "remote_addr": (request.remote_addr or "")[:45],
    }


def _complete_sign_in(user, destination: str | None):
    _keep_only_language()
    i18n.prefer_saved_language(user)
    session["sid"] = start_session(user, now=utcnow(), **_device())
    login_user(user)
    audit.record("authn_login_success", actor=user)
    return redirect(destination or url_for(home_endpoint_for(user)), 303)


def _throttle_rule() -> ThrottleRule:
    return ThrottleRule.from_config(current_app.config)


def _refusal(refused: SignInRefused, wrong: str, field: str) -> tuple[list[dict], int, dict]:
    """The error summary, status and headers for a refused sign-in step. The same words
    whether or not an account uses the address (portal.auth.throttle)."""
    if isinstance(refused, SignInPaused):
        text = _(
            "There have been too many wrong passwords or codes for this email address. "
            "Try again after %(time)s, or reset your password.",
            time=date_and_time(refused.until),
        )
        wait = max(1, int((refused.until - utcnow()).total_seconds()))
        return [{"text": text, "href": f"#{field}"}], 429, {"Retry-After": str(wait)}
    if isinstance(refused, SignInLocked):
        text = _(
            "Signing in with this email address is locked after too many wrong passwords "
            "or codes. Reset your password to unlock it: we will email you a link."
        )
        return [{"text": text, "href": f"#{field}"}], 400, {}
    return [{"text": wrong, "href": f"#{field}"}], 400, {}


@bp.route("/sign-in", methods=["GET", "POST"])
@access(PUBLIC)
@limited("sign-in")
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint_for(current_user)), 303)
    form = SignInForm()
    errors, status, headers = [], 200, {}
    if form.validate_on_submit():
        try:
            user = authenticate(
                form.email.data, form.password.data, now=utcnow(), rule=_throttle_rule()
            )
        except SignInRefused as refused:
            # The failure count is committed; its audit events say whose and why.
            failures.record_sign_in_failure(refused, form.email.data)
            wrong = _("Enter a correct email address and password.")
            errors, status, headers = _refusal(refused, wrong, "email")
        else:
            destination = _safe_next(request.args.get("next"))
            if not user.has_second_factor:
                return _complete_sign_in(user, destination)
            # Password right; the session reaches nothing until the code is right too.
            _keep_only_language()
            session["pending_sid"] = start_session(user, now=utcnow(), awaiting=True, **_device())
            session["next"] = destination
            db.session.commit()
            return redirect(url_for("auth.second_factor"), 303)
    if form.errors:
        status = 400
    page = render_template("auth/sign_in.html", form=form, refusal_errors=errors)
    return page, status, headers


def _check_code(user, code: str, now) -> bool | None:
    """Count the guess first (refused unchecked while the account waits), then check.
    None when the code is right; otherwise whether this wrong code locked the address."""
    locks = claim_code_guess(user, now=now, rule=_throttle_rule())
    if not two_factor.verify_second_factor(user, code, now):
        return locks
    forget_failures(user.email)
    return None


@bp.route("/sign-in/code", methods=["GET", "POST"], endpoint="second_factor")
@access(PUBLIC)
@limited("second-factor")
def second_factor_step():
    """The second step of signing in, for accounts with an authenticator (issue 13)."""
    now = utcnow()
    pending = pending_session(session.get("pending_sid"), now=now)
    if pending is None:
        flash(_("Sign in again: the time to enter your code ran out."), "info")
        return redirect(url_for("auth.sign_in"), 303)
    user, form = pending.user, SecondFactorForm()
    errors, status, headers = [], 200, {}
    if form.validate_on_submit():
        wrong = _(
            "That code did not work. Codes change every 30 seconds and each works once: "
            "wait for the next one."
        )
        try:
            locks = _check_code(user, form.code.data, now)
            if locks is None:
                pending.ended_at = now
                return _complete_sign_in(user, _safe_next(session.get("next")))
            refused = SignInRefused("wrong_code", user, locked_now=locks)
        except SignInRefused as paused_or_locked:
            refused = paused_or_locked
        db.session.commit()
        audit.record("authn_mfa_fail", actor=user, details={"reason": refused.reason}, commit=False)
        if refused.locked_now:
            failures.record_lockout(user)
        db.session.commit()
        errors, status, headers = _refusal(refused, wrong, "code")
    if form.errors:
        status = 400
    page = render_template("auth/second_factor.html", form=form, refusal_errors=errors)
    return page, status, headers


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


@bp.route("/language", methods=["POST"])
@access(SIGNED_IN)
def save_language():
    """Keep the language the page is shown in as the person's own (portal and account
    emails): a POST, because a ``?lang=`` link must never change what is saved."""
    code = request.form.get("lang", "")
    if i18n.save_preferred_language(current_user, code):
        session["lang"] = code
        flash(_("Saved. We will use this language for you from now on."), "success")
    return redirect(
        _safe_next(request.form.get("next")) or url_for(home_endpoint_for(current_user)), 303
    )


@bp.route("/forgot-password", methods=["GET", "POST"])
@access(PUBLIC)
@limited("self-service")
def forgot_password():
    """The same answer whether or not the address has an account (no enumeration)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        found = accounts.request_password_reset(form.email.data, now=utcnow())
        if found is not None:
            user, token = found
            audit.record(
                "password_reset_requested", actor=None, object_type="user", object_id=user.id
            )
            emails.password_reset(user.email, token, user.preferred_locale)
        db.session.commit()
        return render_template("auth/check_email.html", reason="reset")
    return render_template("auth/forgot_password.html", form=form), (400 if form.errors else 200)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def reset_password(token: str):
    again = {"again_url": url_for("auth.forgot_password"), "again_text": _("Ask for a new link")}
    try:
        accounts.find_link(token, LinkPurpose.PASSWORD_RESET, utcnow())
    except LinkRefused as refused:
        return link_refused_page(refused, **again)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.reset_password(token, form.password.data, now=utcnow())
        except PasswordRefused as refused:
            db.session.rollback()
            form.refuse(refused)
        except LinkRefused as refused:
            db.session.rollback()
            return link_refused_page(refused, **again)
        else:
            audit.record("password_reset", actor=user, object_type="user", object_id=user.id)
            emails.account_notice(user.email, user.preferred_locale, "password")
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return redirect(url_for("auth.sign_in"), 303)
    return render_template(
        "auth/new_password.html", form=form, page_title=_("Choose a new password")
    ), (400 if form.errors else 200)


@bp.route("/ask-for-an-invitation", methods=["GET", "POST"])
@access(PUBLIC)
@limited("self-service")
def ask_for_invitation():
    """A customer asks for their own invitation; it goes only to the email on their record,
    and the answer is the same whatever was typed (no enumeration)."""
    form = AskForInvitationForm()
    if form.validate_on_submit():
        customer = accounts.customer_asking_for_invitation(
            form.reference.data, form.date_of_birth.data, form.postcode.data
        )
        if customer is not None and accounts.may_send_self_service_invitation(customer, utcnow()):
            token = accounts.invite_customer(customer, actor=None, now=utcnow())
            audit.record(
                "customer_invitation_requested",
                object_type="customer",
                object_id=customer.id,
                customer_id=customer.id,
            )
            emails.customer_invitation(customer.email, token, customer.preferred_locale)
        db.session.commit()
        return render_template("auth/check_email.html", reason="invitation")
    return render_template("auth/ask_for_invitation.html", form=form), (400 if form.errors else 200)


def _accept_invitation(token: str, *, find, accept, again_url: str | None, again_text: str):
    """One journey for both invitations: check the link, choose a password, sign in."""
    try:
        find(token)
    except LinkRefused as refused:
        return link_refused_page(refused, again_url=again_url, again_text=again_text)
    form = NewPasswordForm()
    account_exists = False
    if form.validate_on_submit():
        try:
            user = accept(token, form.password.data, now=utcnow())
        except PasswordRefused as refused:
            db.session.rollback()
            form.refuse(refused)
        except accounts.AccountRefused:
            db.session.rollback()
            account_exists = True
        except LinkRefused as refused:
            db.session.rollback()
            return link_refused_page(refused, again_url=again_url, again_text=again_text)
        else:
            audit.record("account_created", actor=user, object_type="user", object_id=user.id)
            flash(
                _("Your account is ready. Sign in with your email address and new password."),
                "success",
            )
            return redirect(url_for("auth.sign_in"), 303)
    return render_template(
        "auth/new_password.html",
        form=form,
        page_title=_("Create your account"),
        account_exists=account_exists,
    ), (400 if form.errors or account_exists else 200)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def customer_invitation(token: str):
    return _accept_invitation(
        token,
        find=lambda t: accounts.customer_invitation(t, utcnow()),
        accept=accounts.accept_customer_invitation,
        again_url=url_for("auth.ask_for_invitation"),
        again_text=_("Ask for a new invitation"),
    )


@bp.route("/staff-invitation/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def colleague_invitation(token: str):
    return _accept_invitation(
        token,
        find=lambda t: accounts.find_link(t, LinkPurpose.COLLEAGUE_INVITATION, utcnow()),
        accept=accounts.accept_colleague_invitation,
        again_url=None,
        again_text=_("Ask the administrator who invited you to send a new invitation"),
    )
