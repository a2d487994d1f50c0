from flask import render_template
from flask_login import current_user

from portal.challenges.services import challenges_of, drafts_of
from portal.clock import today
from portal.customer import bp
from portal.customer.services import build_customer_overview
from portal.models.vocab import Role
from portal.security import access


@bp.route("/")
@access(roles=[Role.CUSTOMER])
def home():
    customer = current_user.customer
    overview = build_customer_overview(customer, today()) if customer else None
    return render_template(
        "customer/home.html",
        overview=overview,
        can_act=True,
        challenges=challenges_of(customer.id) if customer else None,
        drafts=drafts_of(current_user.id, customer.id) if customer else [],
    )
