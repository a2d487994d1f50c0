from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import audit, special_category
from portal.advocate import forms as advocate_forms
from portal.advocate import invitations
from portal.auth import accounts, emails
from portal.clock import today
from portal.customer_records import bp
from portal.customer_records.services import cases_for, customer_record, search_customers
from portal.htmx import render_page_or_fragment
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.security import access
from portal.text_input import without_hidden_characters
from portal.translations import gettext as _

CASE_STAFF = [Role.CASE_OFFICER, Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR, Role.COMMUNITY_SAFETY]


@bp.route("/customers", methods=["GET", "POST"])
@access(roles=CASE_STAFF)
def search():
    """A POST form, so customers' names stay out of the address bar, the browser's history
    and the access log (ASVS 14.2.1); htmx swaps only the results as the officer types.
    A GET shows the empty form (a ``?q=`` in a link is ignored)."""
    typed = request.form.get("q", "")[:100] if request.method == "POST" else ""
    # A search box, not a saved field: hidden characters are dropped, not refused (a NUL
    # would otherwise reach PostgreSQL, which refuses it in text).
    query = without_hidden_characters(typed)
    results = search_customers(query)
    return render_page_or_fragment(
        "customer_records/search.html",
        "customer_records/_results.html",
        query=query,
        results=results,
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
        "customer_records/record.html",
        customer=customer,
        cases=cases_for(customer.id),
        today=today(),
        special_category=special_category.shown_to(current_user, customer, page="customer_record"),
    )


@bp.route("/customers/<int:customer_id>/portal-invitation", methods=["POST"])
@access(roles=CASE_STAFF)
def invite_to_portal(customer_id: int):
    """Issue 13 item 2: an emailed, expiring, one-time link to the address on the record."""
    customer = customer_record(customer_id)
    if customer is None:
        abort(404)
    try:
        token = accounts.invite_customer(customer, actor=current_user, now=utcnow())
    except accounts.AccountRefused:
        flash(
            _("This customer cannot be invited: see the record's portal account section."), "error"
        )
    else:
        audit.record(
            "customer_invited",
            actor=current_user,
            object_type="customer",
            object_id=customer.id,
            customer_id=customer.id,
        )
        emails.customer_invitation(customer.email, token, customer.preferred_locale)
        flash(_("Invitation sent to the email address on the record."), "success")
    return redirect(url_for("customer_records.record", customer_id=customer.id), 303)


@bp.route("/customers/<int:customer_id>/advocates/new", methods=["GET", "POST"])
@access(roles=[Role.CASE_OFFICER])
def record_advocate(customer_id: int):
    """Record an advocate the customer chose outside the portal, with the evidence of their
    consent (s6.1); the advocate is invited like any other."""
    customer = customer_record(customer_id)
    if customer is None:
        abort(404)
    form = advocate_forms.StaffNominationForm()
    errors = []
    if form.validate_on_submit():
        authority, errors = invitations.nominate_from_form(
            form,
            customer,
            actor=current_user,
            today=today(),
            consent_evidence=form.consent_evidence.data,
        )
        if authority is not None:
            flash(_("Advocate recorded and invited."), "success")
            return redirect(url_for("customer_records.record", customer_id=customer.id), 303)
    return render_template(
        "components/form_page.html",
        form=form,
        page_title=_("Record an advocate"),
        caption=customer.full_name,
        policy_errors=errors,
        back_url=url_for("customer_records.record", customer_id=customer.id),
    ), (400 if form.errors or errors else 200)
