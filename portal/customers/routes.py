from flask import abort, render_template, request
from flask_login import current_user

from portal import audit
from portal.clock import today
from portal.customers import bp
from portal.customers.services import cases_for, customer_record, search_customers
from portal.htmx import render_page_or_fragment
from portal.models.vocab import Role
from portal.security import access

CASE_STAFF = [Role.CASE_OFFICER, Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR, Role.COMMUNITY_SAFETY]


@bp.route("/customers")
@access(roles=CASE_STAFF)
def search():
    """A plain GET form; htmx swaps only the results as the officer types."""
    query = request.args.get("q", "")[:100]
    results = search_customers(query)
    return render_page_or_fragment(
        "customers/search.html", "customers/_results.html", query=query, results=results
    )


@bp.route("/customers/<int:customer_id>")
@access(roles=CASE_STAFF)
def record(customer_id: int):
    customer = customer_record(customer_id)
    if customer is None:
        abort(404)
    audit.record(
        "customer_view",
        actor=current_user,
        object_type="customer",
        object_id=customer.id,
        customer_id=customer.id,
    )
    return render_template(
        "customers/record.html", customer=customer, cases=cases_for(customer.id), today=today()
    )
