from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.advocate import forms as advocate_forms
from portal.advocate import invitations
from portal.advocate import services as advocates
from portal.challenges.services import challenges_of, drafts_of
from portal.clock import today
from portal.customer_side import needs_page
from portal.customer_side.services import build_customer_overview
from portal.extensions import db
from portal.models import AdvocateAuthority
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.my import bp
from portal.security import access
from portal.translations import gettext as _


@bp.route("/")
@access(roles=[Role.CUSTOMER])
def home():
    customer = current_user.customer
    overview = build_customer_overview(customer, today()) if customer else None
    return render_template(
        "my/home.html",
        overview=overview,
        can_act=True,
        challenges=challenges_of(customer.id) if customer else None,
        drafts=drafts_of(current_user.id, customer.id) if customer else [],
    )


class _NotLinked(Exception):
    pass


def _own_customer():
    """The signed-in customer's record; an account not yet linked to one is sent home,
    where the page says how to get it linked."""
    if current_user.customer is None:
        raise _NotLinked
    return current_user.customer


@bp.errorhandler(_NotLinked)
def _not_linked(_error):
    return redirect(url_for("my.home"), 303)


@bp.route("/needs", methods=["GET", "POST"])
@access(roles=[Role.CUSTOMER])
def needs():
    """Your needs (s6.1, s6.5): language, letter format, contact channel, support needs."""
    customer = _own_customer()
    return needs_page.handle(customer, back_url=url_for("my.home"))


@bp.route("/advocates")
@access(roles=[Role.CUSTOMER])
def advocates_list():
    """The people the customer has nominated, with what each may do; revocable at once."""
    customer = _own_customer()
    return render_template(
        "my/advocates.html",
        authorities=advocates.authorities_of(customer.id),
        today=today(),
    )


@bp.route("/advocates/new", methods=["GET", "POST"])
@access(roles=[Role.CUSTOMER])
def nominate():
    """Nominate a family member, friend or support worker (s3.2, s6.1)."""
    customer = _own_customer()
    form = advocate_forms.NominationForm()
    errors = []
    if form.validate_on_submit():
        authority, errors = invitations.nominate_from_form(
            form, customer, actor=current_user, today=today()
        )
        if authority is not None:
            flash(
                _("We have emailed %(name)s a link to accept.", name=authority.advocate_name),
                "success",
            )
            return redirect(url_for("my.advocates_list"), 303)
    return render_template(
        "my/nominate.html",
        form=form,
        policy_errors=errors,
        back_url=url_for("my.advocates_list"),
    ), (400 if form.errors or errors else 200)


def _own_authority(authority_id: int) -> AdvocateAuthority:
    """One of the signed-in customer's advocates that is still in force, or 404."""
    customer = _own_customer()
    authority = db.session.get(AdvocateAuthority, authority_id)
    if authority is None or authority.customer_id != customer.id:
        abort(404)
    return authority


@bp.route("/advocates/<int:authority_id>/stop")
@access(roles=[Role.CUSTOMER])
def stop_advocate(authority_id: int):
    """Confirm before stopping an advocate, and offer the smaller step first: changing
    what they can do (issue 15 item 12)."""
    authority = _own_authority(authority_id)
    if authority.revoked_at is not None:
        return redirect(url_for("my.advocates_list"), 303)
    scope_form = advocate_forms.ChangeScopeForm(
        scope=[
            key
            for key, on in (
                ("act", authority.can_act),
                ("copies", authority.receives_letter_copies),
            )
            if on
        ]
    )
    return render_template(
        "my/stop_advocate.html",
        authority=authority,
        scope_form=scope_form,
        revoke_form=advocate_forms.RevokeForm(),
    )


@bp.route("/advocates/<int:authority_id>/scope", methods=["POST"])
@access(roles=[Role.CUSTOMER])
def change_advocate_scope(authority_id: int):
    authority = _own_authority(authority_id)
    form = advocate_forms.ChangeScopeForm()
    if authority.revoked_at is None and form.validate_on_submit():
        advocates.change_scope(
            authority, invitations.scope_from(form.scope.data or []), actor=current_user
        )
        flash(
            _("We have changed what %(name)s can do for you.", name=authority.advocate_name),
            "success",
        )
    return redirect(url_for("my.advocates_list"), 303)


@bp.route("/advocates/<int:authority_id>/revoke", methods=["POST"])
@access(roles=[Role.CUSTOMER])
def revoke(authority_id: int):
    authority = _own_authority(authority_id)
    if advocate_forms.RevokeForm().validate_on_submit():
        advocates.revoke(authority, actor=current_user, now=utcnow())
        flash(_("%(name)s can no longer act for you.", name=authority.advocate_name), "success")
    return redirect(url_for("my.advocates_list"), 303)
