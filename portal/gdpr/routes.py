"""The data steward's pages: the retention schedule and what is due, subject access
requests and legal holds. Views load, validate, call one service and redirect."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import today
from portal.extensions import db
from portal.forms import show_refusal
from portal.gdpr import bp, forms, retention, services
from portal.models import Customer, LegalHold, SubjectAccessRequest
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.security import access
from portal.translations import gettext as _
from portal.translations import lazy_gettext as _l

DATA_STEWARDS = [Role.DATA_STEWARD]

REFUSALS = {
    services.ReceivedInFuture: ("received_on", _l("The date cannot be in the future")),
    services.HoldReasonMissing: ("reason", _l("Say why the hold is needed")),
    services.CaseOfAnotherCustomer: ("case_id", _l("Choose one of this customer's cases")),
    services.HoldAlreadyLifted: (None, _l("This hold has already been lifted")),
}


def _refusal(form, error: services.GdprRuleBroken) -> list[dict]:
    field, message = REFUSALS[type(error)]
    return show_refusal(form, field, message)


def _customer_or_404(customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        abort(404)
    return customer


@bp.route("/staff/data-protection", methods=["GET", "POST"])
@access(roles=DATA_STEWARDS)
def index():
    form = forms.FindCustomerForm()
    if form.validate_on_submit():
        customer = services.find_customer(form.reference.data)
        if customer is not None:
            return redirect(url_for("gdpr.customer", customer_id=customer.id), 303)
        form.reference.errors = [_("No customer has this reference")]
    day = today()
    return render_template(
        "gdpr/index.html",
        form=form,
        schedule=retention.SCHEDULE,
        due={due.rule.key: due for due in retention.plan(day)},
        cutoffs={rule.key: retention.cutoff(rule, day) for rule in retention.SCHEDULE},
        holds=services.active_holds(),
        open_requests=services.open_requests(),
        today=day,
    ), (400 if form.errors else 200)


def _customer_page(customer, *, sar_form=None, hold_form=None, errors=(), status=200):
    hold_form = hold_form or forms.PlaceHoldForm(prefix="hold")
    hold_form.case_id.choices = [("", _("Everything held about the customer"))] + [
        (str(case.id), case.reference) for case in services.cases_of(customer.id)
    ]
    return render_template(
        "gdpr/customer.html",
        customer=customer,
        sar_form=sar_form or forms.SubjectAccessForm(prefix="sar"),
        hold_form=hold_form,
        lift_form=forms.LiftHoldForm(prefix="lift"),
        requests=services.requests_of(customer.id),
        holds=services.holds_of(customer.id),
        policy_errors=list(errors),
    ), status


@bp.route("/staff/data-protection/customers/<int:customer_id>")
@access(roles=DATA_STEWARDS)
def customer(customer_id: int):
    return _customer_page(_customer_or_404(customer_id))


@bp.route("/staff/data-protection/customers/<int:customer_id>/subject-access", methods=["POST"])
@access(roles=DATA_STEWARDS)
def new_subject_access(customer_id: int):
    customer = _customer_or_404(customer_id)
    form = forms.SubjectAccessForm(prefix="sar")
    if not form.validate_on_submit():
        return _customer_page(customer, sar_form=form, status=400)
    try:
        services.record_request(
            customer, received_on=form.received_on.data, actor=current_user, today=today()
        )
    except services.GdprRuleBroken as error:
        errors = _refusal(form, error)
        return _customer_page(customer, sar_form=form, errors=errors, status=400)
    flash(_("Subject access request recorded. The export is being made."), "success")
    return redirect(url_for("gdpr.customer", customer_id=customer.id), 303)


@bp.route("/staff/data-protection/subject-access/<int:request_id>/download")
@access(roles=DATA_STEWARDS)
def download_subject_access(request_id: int):
    request = db.session.get(SubjectAccessRequest, request_id)
    if request is None or request.export_sha256 is None:
        abort(404)
    payload = services.deliver(request, actor=current_user, now=utcnow())
    name = f"subject-access-{request.customer.reference}.zip"
    return (
        payload,
        200,
        {
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/staff/data-protection/customers/<int:customer_id>/holds", methods=["POST"])
@access(roles=DATA_STEWARDS)
def place_hold(customer_id: int):
    customer = _customer_or_404(customer_id)
    form = forms.PlaceHoldForm(prefix="hold")
    form.case_id.choices = [("", "")] + [
        (str(case.id), case.reference) for case in services.cases_of(customer.id)
    ]
    if not form.validate_on_submit():
        return _customer_page(customer, hold_form=form, status=400)
    try:
        services.place_hold(
            customer,
            case_id=int(form.case_id.data) if form.case_id.data else None,
            reason=form.reason.data,
            actor=current_user,
        )
    except services.GdprRuleBroken as error:
        errors = _refusal(form, error)
        return _customer_page(customer, hold_form=form, errors=errors, status=400)
    flash(_("Legal hold placed. Nothing it covers will be removed until it is lifted."), "success")
    return redirect(url_for("gdpr.customer", customer_id=customer.id), 303)


@bp.route("/staff/data-protection/holds/<int:hold_id>/lift", methods=["POST"])
@access(roles=DATA_STEWARDS)
def lift_hold(hold_id: int):
    hold = db.session.get(LegalHold, hold_id)
    if hold is None:
        abort(404)
    form = forms.LiftHoldForm(prefix="lift")
    if not form.validate_on_submit():
        flash(_("Say why the hold can be lifted"))
        return redirect(url_for("gdpr.customer", customer_id=hold.customer_id), 303)
    try:
        services.lift_hold(hold, reason=form.lift_reason.data, actor=current_user, now=utcnow())
    except services.GdprRuleBroken as error:
        flash(REFUSALS[type(error)][1])
    else:
        flash(_("Legal hold lifted."), "success")
    return redirect(url_for("gdpr.customer", customer_id=hold.customer_id), 303)
