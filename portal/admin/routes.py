"""Staff accounts, for admins: invite a colleague, change roles, disable or enable an
account, unlock it after wrong passwords, reset a lost authenticator. Every change is in
the audit trail."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal import audit
from portal.admin import bp, services
from portal.admin.forms import ActionForm, InviteColleagueForm, RolesForm
from portal.auth import accounts, emails
from portal.extensions import db
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.security import access
from portal.translations import gettext as _

ADMINS = [Role.ADMIN]


def _me():
    return current_user._get_current_object()


def _account_or_404(user_id: int):
    user = services.staff_account(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/staff/accounts/new", methods=["GET", "POST"])
@access(roles=ADMINS)
def invite():
    form = InviteColleagueForm()
    if form.validate_on_submit():
        roles = [Role(value) for value in form.roles.data]
        try:
            link, token = accounts.invite_colleague(
                form.email.data, form.display_name.data, roles, actor=_me(), now=utcnow()
            )
        except accounts.EmailInUse:
            form.email.errors = [_("An account already uses this email address")]
        else:
            audit.record(
                "colleague_invited",
                actor=_me(),
                object_type="one_time_link",
                object_id=link.id,
                details={"roles": link.payload["roles"]},
            )
            emails.colleague_invitation(link.email, token, link.payload["name"])
            flash(_("Invitation sent to %(email)s.", email=link.email), "success")
            return redirect(url_for("staff.accounts"), 303)
    return render_template(
        "components/form_page.html",
        form=form,
        page_title=_("Add a colleague"),
        back_url=url_for("staff.accounts"),
    ), (400 if form.errors else 200)


@bp.route("/staff/accounts/<int:user_id>", methods=["GET", "POST"])
@access(roles=ADMINS)
def account(user_id: int):
    user = _account_or_404(user_id)
    form = RolesForm(data={"roles": sorted(r.value for r in user.roles)})
    errors = []
    if form.validate_on_submit():
        try:
            given, taken = services.set_roles(
                user, {Role(value) for value in form.roles.data}, actor=_me()
            )
        except services.AdminRefused as refused:
            db.session.rollback()
            errors = [{"text": str(refused), "href": "#roles"}]
        else:
            audit.record(
                "roles_changed",
                actor=_me(),
                object_type="user",
                object_id=user.id,
                details={"given": sorted(given), "taken": sorted(taken)},
            )
            flash(_("Roles saved for %(name)s.", name=user.display_name), "success")
            return redirect(url_for("admin.account", user_id=user.id), 303)
    failures = services.sign_in_failures(user)
    page = render_template(
        "admin/account.html", account=user, failures=failures, form=form, policy_errors=errors
    )
    return page, (400 if form.errors or errors else 200)


def _change(user_id: int, change, action: str, done_message):
    """One POST button: make the change, audit it, say what happened."""
    user = _account_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        details = change(user)
    except services.AdminRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        audit.record(action, actor=_me(), object_type="user", object_id=user.id, details=details)
        flash(done_message(user), "success")
    return redirect(url_for("admin.account", user_id=user.id), 303)


@bp.route("/staff/accounts/<int:user_id>/disable", methods=["POST"])
@access(roles=ADMINS)
def disable(user_id: int):
    return _change(
        user_id,
        lambda user: {"sessions_ended": services.disable(user, actor=_me(), now=utcnow())},
        "account_disabled",
        lambda user: _("%(name)s can no longer sign in.", name=user.display_name),
    )


@bp.route("/staff/accounts/<int:user_id>/enable", methods=["POST"])
@access(roles=ADMINS)
def enable(user_id: int):
    return _change(
        user_id,
        lambda user: services.enable(user) or {},
        "account_enabled",
        lambda user: _("%(name)s can sign in again.", name=user.display_name),
    )


@bp.route("/staff/accounts/<int:user_id>/unlock", methods=["POST"])
@access(roles=ADMINS)
def unlock(user_id: int):
    return _change(
        user_id,
        services.unlock,
        "account_unlocked",
        lambda user: _("%(name)s can try their password again now.", name=user.display_name),
    )


@bp.route("/staff/accounts/<int:user_id>/reset-second-factor", methods=["POST"])
@access(roles=ADMINS)
def reset_second_factor(user_id: int):
    return _change(
        user_id,
        lambda user: {"sessions_ended": services.reset_second_factor(user, now=utcnow())},
        "mfa_reset",
        lambda user: _(
            "%(name)s sets up a new authenticator app the next time they sign in.",
            name=user.display_name,
        ),
    )
