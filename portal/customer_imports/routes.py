"""The data steward's customer pages: upload → check (a job) → preview → confirm → progress
→ summary, and
one customer added or corrected by hand. Views load, validate, call one service, redirect."""

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import today
from portal.customer_imports import bp, forms, preview, services
from portal.customer_records import import_rules as rules
from portal.errors import render_error
from portal.extensions import db
from portal.htmx import is_htmx_request, refresh_whole_page, render_page_or_fragment
from portal.models import Customer, ImportRun
from portal.models.imports import ImportStatus
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.pagination import paginate
from portal.security import access
from portal.translations import gettext as _
from portal.uploads import display_name, large_upload

DATA_STEWARDS = [Role.DATA_STEWARD]
IMPORTS = "/staff/data-protection/customer-imports"
IMPORTS_PER_PAGE = 10


def _run_or_404(run_id: int) -> ImportRun:
    run = db.session.get(ImportRun, run_id)
    if run is None:
        abort(404)
    return run


def _file_refusal(refused: preview.FileRefused) -> str:
    return services.file_refusal(refused.code, refused.details)


@bp.errorhandler(413)
def upload_too_large(_error):
    size = current_app.config["IMPORT_MAX_BYTES"] // 2**20
    return render_error(413, body=_("Send a file smaller than %(size)s MB.", size=size))


@bp.route(IMPORTS, methods=["GET", "POST"])
@access(roles=DATA_STEWARDS)
@large_upload("IMPORT_MAX_BYTES")
def index():
    form = forms.UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            run = services.upload(
                upload.stream,
                file_name=display_name(upload.filename),
                actor=current_user,
                today=today(),
                max_bytes=current_app.config["IMPORT_MAX_BYTES"],
            )
        except preview.FileRefused as refused:
            form.file.errors = [_file_refusal(refused)]
        else:
            return redirect(url_for("customer_imports.run", run_id=run.id), 303)
    return render_template(
        "customer_imports/index.html",
        form=form,
        runs=paginate(services.recent_runs(), per_page=IMPORTS_PER_PAGE),
        status_labels=services.STATUS_LABELS,
        max_size=current_app.config["IMPORT_MAX_BYTES"] // 2**20,
    ), (400 if form.errors else 200)


@bp.route(IMPORTS + "/<int:run_id>")
@access(roles=DATA_STEWARDS)
def run(run_id: int):
    """The check's progress, the preview, then the apply's progress (both polled by
    htmx), then the summary: one URL."""
    import_run = _run_or_404(run_id)
    if is_htmx_request() and import_run.status == ImportStatus.PREVIEWED:
        # The check's progress was polling: the preview is a whole page of its own.
        return refresh_whole_page(make_response(""))
    return render_page_or_fragment(
        "customer_imports/run.html",
        "customer_imports/_progress.html",
        run=import_run,
        **services.build_run_context(import_run),
        reasons=rules.REASONS,
        status_labels=services.STATUS_LABELS,
        form=forms.ConfirmForm(),
    )


def _act(run_id: int, action, done_message: str):
    import_run = _run_or_404(run_id)
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action(import_run, actor=current_user, now=utcnow())
    except services.ImportRefused as refused:
        db.session.rollback()
        flash(refused.message)
    else:
        flash(done_message, "success")
    return redirect(url_for("customer_imports.run", run_id=run_id), 303)


@bp.route(IMPORTS + "/<int:run_id>/confirm", methods=["POST"])
@access(roles=DATA_STEWARDS)
def confirm(run_id: int):
    return _act(run_id, services.confirm, _("Import confirmed. The customers are being updated."))


@bp.route(IMPORTS + "/<int:run_id>/abandon", methods=["POST"])
@access(roles=DATA_STEWARDS)
def abandon(run_id: int):
    return _act(run_id, services.abandon, _("Import abandoned. Nothing from it is kept."))


@bp.route(IMPORTS + "/<int:run_id>/resume", methods=["POST"])
@access(roles=DATA_STEWARDS)
def resume(run_id: int):
    return _act(run_id, services.resume, _("The import will carry on from where it stopped."))


def _problems_to_fields(form, problems) -> list[dict]:
    summary = []
    for name, code in problems:
        field = form[name] if name in form else None
        if field is not None:
            field.errors = [*field.errors, rules.REASONS[code]]
        else:
            summary.append({"text": rules.REASONS[code], "href": "#main-content"})
    return summary


def _details_page(form, title, caption=None, errors=(), status=200):
    return render_template(
        "components/form_page.html",
        form=form,
        page_title=title,
        caption=caption,
        policy_errors=list(errors),
        back_url=url_for("gdpr.index"),
    ), status


@bp.route("/staff/data-protection/customers/new", methods=["GET", "POST"])
@access(roles=DATA_STEWARDS)
def add_customer():
    form = forms.NewCustomerForm()
    if form.validate_on_submit():
        customer, problems = services.add_customer(form.raw(), actor=current_user, today=today())
        if customer is not None:
            flash(_("Customer added."), "success")
            return redirect(url_for("gdpr.customer", customer_id=customer.id), 303)
        errors = _problems_to_fields(form, problems)
        return _details_page(form, _("Add a customer"), errors=errors, status=400)
    return _details_page(form, _("Add a customer"), status=400 if form.errors else 200)


def _initial(customer: Customer) -> dict:
    values = rules.stored_values(customer)
    values["preferred_language"] = values.pop("preferred_locale")
    return values


@bp.route("/staff/data-protection/customers/<int:customer_id>/details", methods=["GET", "POST"])
@access(roles=DATA_STEWARDS)
def correct_customer(customer_id: int):
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        abort(404)
    form = forms.CustomerDetailsForm(data=_initial(customer))
    title, caption = _("Correct a customer's details"), customer.reference
    if form.validate_on_submit():
        problems = services.correct_customer(
            customer, form.raw(), actor=current_user, today=today(), now=utcnow()
        )
        if not problems:
            flash(_("Customer's details saved."), "success")
            return redirect(url_for("gdpr.customer", customer_id=customer.id), 303)
        errors = _problems_to_fields(form, problems)
        return _details_page(form, title, caption, errors, 400)
    return _details_page(form, title, caption, status=400 if form.errors else 200)
