from flask import abort, render_template
from flask_login import current_user

from portal import audit
from portal.advocate import bp
from portal.advocate.services import valid_authorities_for
from portal.challenges.services import challenges_of, drafts_of
from portal.clock import today
from portal.customer.services import build_customer_overview
from portal.models.vocab import Role
from portal.security import access


@bp.route("/")
@access(roles=[Role.ADVOCATE])
def home():
    authorities = valid_authorities_for(current_user.id, today())
    return render_template("advocate/home.html", authorities=authorities)


@bp.route("/customers/<int:customer_id>")
@access(roles=[Role.ADVOCATE])
def customer(customer_id: int):
    """What the customer sees, for an advocate whose authority lets them see it (s6.1)."""
    authority = next(
        (
            a
            for a in valid_authorities_for(current_user.id, today())
            if a.customer_id == customer_id and (a.can_view or a.receives_letter_copies)
        ),
        None,
    )
    if authority is None:
        abort(404)
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
