from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal import audit
from portal.advocate import bp, forms
from portal.advocate import services as advocates
from portal.auth.password_rules import PasswordRefused
from portal.authority import authority_for, valid_authorities_for
from portal.challenges.services import challenges_of, drafts_of
from portal.clock import today
from portal.customer_side import needs_page
from portal.customer_side.services import build_customer_overview
from portal.extensions import db
from portal.forms import show_refusal
from portal.models.vocab import Role
from portal.security import PUBLIC, access
from portal.translations import gettext as _


@bp.route("/")
@access(roles=[Role.ADVOCATE])
def home():
    authorities = valid_authorities_for(current_user.id, today())
    return render_template("advocate/home.html", authorities=authorities)


@bp.route("/customers/<int:customer_id>")
@access(roles=[Role.ADVOCATE])
def customer(customer_id: int):
    """What the customer sees, for an advocate whose authority lets them see it (s6.1)."""
    authority = _authority_or_404(customer_id)
    audit.record(
        "advocate_view",
        actor=current_user,
        object_type="customer",
        object_id=customer_id,
        customer_id=customer_id,
    )
    overview = build_customer_overview(authority.customer, today())
    return render_template(
        "advocate/customer.html",
        overview=overview,
        authority=authority,
        can_act=authority.can_act,
        challenges=challenges_of(customer_id),
        drafts=drafts_of(current_user.id, customer_id),
    )


def _authority_or_404(customer_id: int, *, to_act: bool = False):
    """The signed-in advocate's valid authority for this customer (checked on every
    request, so a revoked or expired authority ends access at once)."""
    authority = authority_for(current_user, customer_id, today(), to_act=to_act)
    if authority is None:
        abort(404)
    return authority


@bp.route("/customers/<int:customer_id>/needs", methods=["GET", "POST"])
@access(roles=[Role.ADVOCATE])
def customer_needs(customer_id: int):
    """An advocate who may act for the customer can tell us their needs (s6.1)."""
    authority = _authority_or_404(customer_id, to_act=True)
    return needs_page.handle(
        authority.customer, back_url=url_for("advocate.customer", customer_id=customer_id)
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def invitation(token: str):
    """Accept a customer's nomination: create an advocate account for the invited address,
    or sign in and link the existing one. The link works once (s6.1)."""
    authority = advocates.authority_for_invitation(token, today())
    if authority is None:
        return render_template("advocate/invitation_invalid.html"), 404
    signed_in = current_user.is_authenticated
    form = forms.AcceptInvitationForm() if signed_in else forms.NewAdvocateAccountForm()
    errors = []
    if signed_in and current_user.email != authority.advocate_email:
        errors = [
            {
                "text": _(
                    "This invitation was sent to another email address. Sign out, then open "
                    "the link again."
                ),
                "href": "#main-content",
            }
        ]
    elif form.validate_on_submit():
        try:
            if signed_in:
                advocates.accept_invitation(authority, current_user)
            else:
                advocates.create_advocate_account(
                    authority,
                    display_name=form.display_name.data,
                    password=form.password.data,
                )
        except advocates.NominationRefused as refused:
            errors = show_refusal(form, None, refused.message)
        except PasswordRefused as refused:
            db.session.rollback()
            form.refuse(refused)
        else:
            name = authority.customer.full_name
            if signed_in:
                flash(_("You can now help %(name)s.", name=name), "success")
                return redirect(url_for("advocate.home"), 303)
            flash(_("Your account is ready. Sign in to help %(name)s.", name=name), "success")
            return redirect(url_for("auth.sign_in"), 303)
    return render_template(
        "advocate/invitation.html",
        authority=authority,
        form=form,
        policy_errors=errors,
        signed_in=signed_in,
        token=token,
    ), (400 if form.errors or errors else 200)
