import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import audit
from portal.clock import LONDON, today
from portal.contacts import bp, forms, services
from portal.contacts.rules import ContactAttempt
from portal.customer_records.services import cases_for
from portal.extensions import db
from portal.forms import options
from portal.htmx import is_htmx_request
from portal.models import ContactLogEntry, Customer
from portal.models.types import utcnow
from portal.models.vocab import ContactChannel, Role
from portal.security import access
from portal.translations import gettext as _

CONTACT_LOGGERS = [Role.CASE_OFFICER]


def _customer_or_404(customer_id: int) -> Customer:
    return db.session.get(Customer, customer_id) or abort(404)


def _form_for(customer: Customer) -> forms.ContactForm:
    form = forms.ContactForm()
    form.case_id.choices = options(
        [(0, _("Not about a case"))]
        + [(case.id, case.reference) for case in cases_for(customer.id)]
    )
    if request.method == "GET":
        form.occurred_at.data = dt.datetime.now(LONDON).replace(
            second=0, microsecond=0, tzinfo=None
        )
        form.case_id.data = request.args.get("case_id", type=int) or 0
    return form


def _attempt(form) -> ContactAttempt:
    return ContactAttempt(
        occurred_at=form.occurred_at.data.replace(tzinfo=LONDON).astimezone(dt.UTC),
        channel=ContactChannel(form.channel.data),
        via_single_point_of_contact=form.via_single_point_of_contact.data,
        at_premises=(form.at_premises.data or "").strip() or None,
        is_emergency=form.is_emergency.data,
        is_new_complaint=form.is_new_complaint.data,
    )


@bp.route("/customers/<int:customer_id>/contacts/new", methods=["GET", "POST"])
@access(roles=CONTACT_LOGGERS)
def log_contact(customer_id: int):
    customer = _customer_or_404(customer_id)
    form = _form_for(customer)
    errors = []
    if form.validate_on_submit():
        try:
            entry, _checked = services.log_contact(
                customer,
                _attempt(form),
                summary=form.summary.data,
                case_id=form.case_id.data or None,
                placed_on_file=form.placed_on_file.data,
                logged_by=current_user,
                local_day=form.occurred_at.data.date(),
                now=utcnow(),
            )
        except services.WrongCustomer as error:
            form.case_id.errors = [*form.case_id.errors, error.message]
        else:
            flash(_("Contact logged."), "success")
            return redirect(url_for("contacts.show", entry_id=entry.id), 303)
    return render_template(
        "contacts/new.html", form=form, customer=customer, checked=None, policy_errors=errors
    ), (400 if form.errors else 200)


@bp.route("/customers/<int:customer_id>/contacts/check", methods=["POST"])
@access(roles=CONTACT_LOGGERS)
def check(customer_id: int):
    """Says at once what the restriction means for this contact, saving nothing. htmx
    swaps in the finding; without JavaScript the whole form comes back with it."""
    customer = _customer_or_404(customer_id)
    form = _form_for(customer)
    checked = None
    if form.occurred_at.data and form.channel.data in {c.value for c in ContactChannel}:
        checked = services.check_contact(
            customer, _attempt(form), local_day=form.occurred_at.data.date()
        )
    if is_htmx_request():
        return render_template("contacts/_finding.html", checked=checked)
    return render_template(
        "contacts/new.html", form=form, customer=customer, checked=checked, policy_errors=[]
    )


@bp.route("/contacts/<int:entry_id>")
@access(roles=[Role.CASE_OFFICER, Role.REVIEW_MANAGER])
def show(entry_id: int):
    entry = db.session.get(ContactLogEntry, entry_id) or abort(404)
    audit.record(
        "contact_view",
        actor=current_user,
        object_type="contact",
        object_id=entry.id,
        customer_id=entry.customer_id,
    )
    return render_template(
        "contacts/show.html", entry=entry, customer=entry.customer, today=today()
    )


@bp.route("/contacts/<int:entry_id>/read", methods=["POST"])
@access(roles=CONTACT_LOGGERS)
def record_read(entry_id: int):
    entry = db.session.get(ContactLogEntry, entry_id) or abort(404)
    services.record_read(entry, reader=current_user, now=utcnow())
    flash(_("Recorded that you read it for new information and safeguarding concerns."), "success")
    return redirect(url_for("contacts.show", entry_id=entry.id), 303)
