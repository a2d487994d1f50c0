"""Your own account: what it is, where it signed in, and the changes its owner makes.
Each change asks for the current password first (ASVS 6.2.3) and tells the old address."""

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import audit
from portal.account import bp
from portal.account.devices import device_name
from portal.account.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmForm,
    ReauthenticateForm,
    SetUpCodeForm,
)
from portal.auth import accounts, emails
from portal.auth import second_factor as two_factor
from portal.auth.link_pages import link_refused_page
from portal.auth.links import LinkRefused
from portal.auth.password_rules import PasswordRefused
from portal.auth.services import current_session
from portal.extensions import db
from portal.models import UserSession
from portal.models.types import utcnow
from portal.models.vocab import LinkPurpose
from portal.security import PUBLIC, SIGNED_IN, access
from portal.translations import gettext as _

RECENT_SIGN_INS = 10


def _me():
    return current_user._get_current_object()


def _this_session_id() -> int | None:
    row = current_session(session.get("sid"))
    return row.id if row else None


@bp.route("/account")
@access(SIGNED_IN)
def index():
    recent = db.session.scalars(
        select(UserSession)
        .where(
            UserSession.user_id == current_user.id, UserSession.awaiting_second_factor.is_(False)
        )
        .order_by(UserSession.created_at.desc())
        .limit(RECENT_SIGN_INS)
    ).all()
    return render_template(
        "account/index.html",
        recent=recent,
        device_name=device_name,
        this_session_id=_this_session_id(),
        recovery_codes_left=two_factor.recovery_codes_left(current_user),
        form=ConfirmForm(),
    )


def _reauthenticated(form) -> bool:
    """The form's current password is right; a wrong one is shown on the field."""
    try:
        accounts.check_current_password(_me(), form.current_password.data)
    except accounts.WrongPassword:
        form.current_password.errors = [_("Your current password is not right")]
        audit.record("reauthentication_fail", actor=_me())
        return False
    return True


@bp.route("/account/password", methods=["GET", "POST"])
@access(SIGNED_IN)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit() and _reauthenticated(form):
        user = _me()
        try:
            accounts.set_password(
                user, form.password.data, now=utcnow(), keep_session_id=_this_session_id()
            )
        except PasswordRefused as refused:
            db.session.rollback()
            form.refuse(refused)
        else:
            audit.record("password_change", actor=user, object_type="user", object_id=user.id)
            emails.account_notice(user.email, user.preferred_locale, "password")
            flash(
                _("Your password has been changed. Your other devices are signed out."), "success"
            )
            return redirect(url_for("account.index"), 303)
    return render_template("account/form.html", form=form, page_title=_("Change your password")), (
        400 if form.errors else 200
    )


@bp.route("/account/email", methods=["GET", "POST"])
@access(SIGNED_IN)
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit() and _reauthenticated(form):
        user = _me()
        try:
            token = accounts.start_email_change(user, form.email.data, now=utcnow())
        except accounts.EmailInUse:
            form.email.errors = [_("Another account uses this email address")]
        else:
            audit.record(
                "email_change_requested", actor=user, object_type="user", object_id=user.id
            )
            emails.email_change(form.email.data.strip().lower(), token, user.preferred_locale)
            flash(
                _(
                    "We have sent a link to %(email)s. Open it to start using that address.",
                    email=form.email.data.strip(),
                ),
                "success",
            )
            return redirect(url_for("account.index"), 303)
    return render_template(
        "account/form.html", form=form, page_title=_("Change your email address")
    ), (400 if form.errors else 200)


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def confirm_email(token: str):
    """A page with a button, not a change on GET: mail scanners open links too."""
    form = ConfirmForm()
    refused = None
    try:
        accounts.find_link(token, LinkPurpose.EMAIL_CHANGE, utcnow())
    except LinkRefused as error:
        refused = error
    if refused is None and form.validate_on_submit():
        try:
            user, old_email = accounts.confirm_email_change(token, now=utcnow())
        except (LinkRefused, accounts.EmailInUse) as error:
            db.session.rollback()
            refused = error
        else:
            audit.record("email_change", actor=user, object_type="user", object_id=user.id)
            emails.account_notice(old_email, user.preferred_locale, "email")
            flash(_("Your email address has been changed. Use it to sign in."), "success")
            return redirect(
                url_for("account.index" if current_user.is_authenticated else "auth.sign_in"), 303
            )
    if isinstance(refused, LinkRefused):
        return link_refused_page(
            refused, again_url=url_for("account.change_email"), again_text=_("Ask for a new link")
        )
    return render_template(
        "account/confirm_email.html", form=form, email_in_use=refused is not None
    ), (400 if refused else 200)


@bp.route("/account/sign-out-other-devices", methods=["POST"])
@access(SIGNED_IN)
def sign_out_other_devices():
    form = ConfirmForm()
    if form.validate_on_submit():
        ended = accounts.end_sessions(_me(), now=utcnow(), keep_session_id=_this_session_id())
        audit.record("session_end_others", actor=_me(), details={"sessions": ended})
        flash(_("You are signed out on every other device."), "success")
    return redirect(url_for("account.index"), 303)


@bp.route("/account/second-factor", methods=["GET", "POST"])
@access(SIGNED_IN)
def second_factor():
    """Set up an authenticator app: a QR code, the same secret as text for those who cannot
    scan it, and a code to prove the app has it. Then ten recovery codes, shown once."""
    user = _me()
    form = SetUpCodeForm()
    if user.has_second_factor:  # a new app: turn it off or ask an admin to reset it first
        return redirect(url_for("account.index"), 303)
    secret = two_factor.start_setup(user)
    db.session.commit()
    if form.validate_on_submit():
        codes = two_factor.confirm_setup(user, form.code.data, utcnow())
        if codes is not None:
            audit.record("mfa_enrolled", actor=user, object_type="user", object_id=user.id)
            emails.account_notice(user.email, user.preferred_locale, "second_factor")
            return render_template("account/recovery_codes.html", codes=codes)
        form.code.errors = [
            _("That code did not work. Check the app shows this account, then try the newest code.")
        ]
    uri = two_factor.provisioning_uri(user, secret, accounts.landlord_name())
    return render_template(
        "account/second_factor.html",
        form=form,
        qr_svg=two_factor.qr_code_svg(uri, _("QR code for your authenticator app")),
        secret=two_factor.secret_for_typing(secret),
        required=user.is_staff,
    ), (400 if form.errors else 200)


@bp.route("/account/second-factor/recovery-codes", methods=["GET", "POST"])
@access(SIGNED_IN)
def new_recovery_codes():
    form = ReauthenticateForm()
    user = _me()
    if not user.has_second_factor:
        return redirect(url_for("account.second_factor"), 303)
    if form.validate_on_submit() and _reauthenticated(form):
        codes = two_factor.new_recovery_codes(user)
        audit.record(
            "mfa_recovery_codes_renewed", actor=user, object_type="user", object_id=user.id
        )
        return render_template("account/recovery_codes.html", codes=codes)
    return render_template(
        "account/form.html", form=form, page_title=_("Get new recovery codes")
    ), (400 if form.errors else 200)


@bp.route("/account/second-factor/turn-off", methods=["GET", "POST"])
@access(SIGNED_IN)
def turn_off_second_factor():
    """Customers and advocates may turn it off; staff may not (issue 13 item 4)."""
    user = _me()
    if user.is_staff or not user.has_second_factor:
        if user.is_staff:
            flash(_("Staff accounts must keep a second factor."), "info")
        return redirect(url_for("account.index"), 303)
    form = ReauthenticateForm()
    if form.validate_on_submit() and _reauthenticated(form):
        two_factor.turn_off(user)
        audit.record("mfa_removed", actor=user, object_type="user", object_id=user.id)
        emails.account_notice(user.email, user.preferred_locale, "second_factor")
        flash(_("The second factor is off. You sign in with your password only."), "success")
        return redirect(url_for("account.index"), 303)
    return render_template(
        "account/form.html", form=form, page_title=_("Turn off the second factor")
    ), (400 if form.errors else 200)
