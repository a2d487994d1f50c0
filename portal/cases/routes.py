import datetime as dt

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal import audit, special_category, uploads
from portal.cases import bp, forms, refusals, services
from portal.cases.access import (
    CASE_RECORDERS,
    CASE_VIEWERS,
    case_or_404,
    case_record_or_404,
)
from portal.cases.page import build_case_page
from portal.clock import LONDON, today
from portal.extensions import db
from portal.forms import options, show_refusal
from portal.models import Attachment, Customer, User
from portal.models.types import utcnow
from portal.models.vocab import (
    BehaviourType,
    ContactChannel,
    EscalationKind,
    InformalStepKind,
    Role,
)
from portal.pagination import paginate
from portal.security import access
from portal.translations import gettext as _
from portal.translations import lazy_gettext as _l

# Which form field shows each refusal (the services know rules, not forms).
FIELD_OF = {
    refusals.NoBehaviourChosen: "behaviours",
    refusals.IncidentInFuture: "occurred_at",
    refusals.StepInFuture: "taken_on",
    refusals.SupportOrganisationMissing: "support_organisation",
    refusals.OtherAgenciesMissing: "multi_agency_notes",
    refusals.UnmetNeedUnstated: "unmet_need_notes",
    refusals.CallEndInFuture: "ended_at",
    refusals.EscalationSelfApproved: "approver_id",
    refusals.EscalationApproverNotSenior: "approver_id",
    refusals.ReferralOutcomeMissing: "outcome",
    refusals.DecisionInFuture: "decided_on",
    uploads.TooManyFiles: "attachments",
    uploads.FilesTooLarge: "attachments",
}


def _local_to_utc(value: dt.datetime) -> dt.datetime:
    """A time typed into a form is UK local time."""
    return value.replace(tzinfo=LONDON).astimezone(dt.UTC)


def _form_page(form, case, title, *, intro=None, policy_errors=(), special_category=False):
    return render_template(
        "cases/form.html",
        form=form,
        page_title=title,
        caption=case.reference,
        intro=intro,
        customer=case.customer,
        policy_errors=list(policy_errors),
        back_url=url_for("cases.show", case_id=case.id),
        special_category=special_category,
    ), (400 if form.errors or policy_errors else 200)


@bp.route("/customers/<int:customer_id>/cases", methods=["POST"])
@access(roles=CASE_RECORDERS)
def open_case(customer_id: int):
    customer = db.session.get(Customer, customer_id) or abort(404)
    case = services.open_case(customer, current_user, now=utcnow())
    flash(_("Case %(reference)s opened.", reference=case.reference), "success")
    return redirect(url_for("cases.show", case_id=case.id), 303)


@bp.route("/cases/<int:case_id>")
@access(roles=CASE_VIEWERS)
def show(case_id: int):
    case = case_or_404(case_id)
    shown = special_category.may_see_special_category(current_user, case.customer_id)
    html = render_template(
        "cases/show.html",
        page=build_case_page(case, special_category=shown),
        customer=case.customer,
        today=today(),
        special_category=shown,
    )
    # The views are recorded once the page is built and saved before it is sent: a commit
    # first would expire everything the page loaded, and building it would load it all
    # again (issue 18: 47 statements before). The special category view first: whether
    # there is anything to record is a query, which would flush the case view alone
    # before it; this way both events are inserted together.
    if shown:
        special_category.record_view(current_user, case.customer, page="case", commit=False)
    audit.record(
        "case_view",
        actor=current_user,
        object_type="case",
        object_id=case.id,
        customer_id=case.customer_id,
        commit=False,
    )
    db.session.commit()
    return html


def _case_form(case, form, title, save, *, intro=None, special_category=False):
    """Validate, save through the service, and go back to the case with ``save``'s message;
    or show the form again with what was typed and the rule that was broken."""
    errors = []
    if form.validate_on_submit():
        try:
            message = save()
        except (refusals.CaseRuleBroken, uploads.UploadRefused) as error:
            errors = show_refusal(form, FIELD_OF.get(type(error)), error.message)
        else:
            flash(message, "success")
            return redirect(url_for("cases.show", case_id=case.id), 303)
    return _form_page(
        form, case, title, intro=intro, policy_errors=errors, special_category=special_category
    )


@bp.route("/cases/<int:case_id>/incidents/new", methods=["GET", "POST"])
@access(roles=CASE_RECORDERS)
def new_incident(case_id: int):
    case = case_record_or_404(case_id)
    form = forms.IncidentForm()

    def save():
        _incident, referral = services.log_incident(
            case,
            occurred_at=_local_to_utc(form.occurred_at.data),
            channel=ContactChannel(form.channel.data),
            behaviours=[BehaviourType(b) for b in form.behaviours.data],
            description=form.description.data,
            reported_by=form.reported_by.data,
            logged_by=current_user,
            now=utcnow(),
            files=getattr(form.attachments, "checked", []),
        )
        if referral:
            return _(
                "Incident saved. It has been passed to the Community Safety Team "
                "(policy section 3.2)."
            )
        return _("Incident saved.")

    return _case_form(case, form, _l("Log an incident"), save, intro="cases/_incident_intro.html")


@bp.route("/cases/<int:case_id>/informal-steps/new", methods=["GET", "POST"])
@access(roles=CASE_RECORDERS)
def new_informal_step(case_id: int):
    case = case_record_or_404(case_id)
    form = forms.InformalStepForm()

    def save():
        services.record_informal_step(
            case,
            kind=InformalStepKind(form.kind.data),
            taken_on=form.taken_on.data,
            description=form.description.data,
            outcome=form.outcome.data,
            support_organisation=form.support_organisation.data,
            taken_by=current_user,
            today=today(),
        )
        return _("Informal step saved.")

    return _case_form(case, form, _l("Record an informal step"), save)


NEEDS_FIELDS = (
    "needs_summary",
    "medical_or_support_considerations",
    "could_be_unmet_need",
    "unmet_need_notes",
    "advocate_considered",
    "advocate_notes",
    "multi_agency_needed",
    "multi_agency_notes",
    "adjustments_made",
)


@bp.route("/cases/<int:case_id>/needs-considerations/new", methods=["GET", "POST"])
@access(roles=CASE_RECORDERS)
def new_needs_consideration(case_id: int):
    case = case_record_or_404(case_id)
    form = forms.NeedsConsiderationForm()

    def save():
        fields = {name: getattr(form, name).data for name in NEEDS_FIELDS}
        services.record_needs_consideration(case, recorded_by=current_user, now=utcnow(), **fields)
        return _("Needs consideration saved.")

    return _case_form(
        case,
        form,
        _l("Record the needs consideration"),
        save,
        intro="cases/_needs_intro.html",
        special_category=special_category.shown_to(current_user, case.customer, page="needs_form"),
    )


@bp.route("/cases/<int:case_id>/terminated-calls/new", methods=["GET", "POST"])
@access(roles=CASE_RECORDERS)
def new_terminated_call(case_id: int):
    case = case_record_or_404(case_id)
    form = forms.TerminatedCallForm()

    def save():
        services.log_terminated_call(
            case,
            ended_at=_local_to_utc(form.ended_at.data),
            customer_warned_first=form.customer_warned_first.data == "yes",
            reason=form.reason.data,
            ended_by=current_user,
            now=utcnow(),
        )
        return _("Ended call saved.")

    return _case_form(case, form, _l("Log a call ended by staff"), save)


@bp.route("/cases/<int:case_id>/escalations/new", methods=["GET", "POST"])
@access(roles=CASE_RECORDERS)
def new_escalation(case_id: int):
    case = case_record_or_404(case_id)
    form = forms.EscalationForm()
    form.approver_id.choices = options(
        [("", _("Choose who approved it"))]
        + [
            (u.id, u.display_name)
            for u in services.escalation_approvers()
            if u.id != current_user.id
        ]
    )

    def save():
        services.record_escalation(
            case,
            kind=EscalationKind(form.kind.data),
            reason=form.reason.data,
            approver=db.session.get(User, form.approver_id.data),
            decided_on=form.decided_on.data,
            proposed_by=current_user,
            now=utcnow(),
        )
        return _("Escalation saved.")

    return _case_form(case, form, _l("Record an escalation (policy section 3.3)"), save)


@bp.route("/cases/<int:case_id>/complaint-refusals/new", methods=["GET", "POST"])
@access(roles=CASE_RECORDERS)
def new_complaint_refusal(case_id: int):
    case = case_record_or_404(case_id)
    form = forms.ComplaintRefusalForm()

    def save():
        services.refuse_complaint(
            case,
            complaint_reference=form.complaint_reference.data,
            reason=form.reason.data,
            decided_on=form.decided_on.data,
            decided_by=current_user,
            today=today(),
        )
        return _("Decision saved. Write the letter so the customer knows and can appeal.")

    return _case_form(
        case, form, _l("Record a complaint we will no longer consider (policy section 3.2)"), save
    )


@bp.route("/cases/<int:case_id>/attachments/<int:attachment_id>")
@access(roles=CASE_VIEWERS)
def attachment(case_id: int, attachment_id: int):
    """Download an evidence file, always as a download (never rendered inline), with the
    extension of what the file really is. Every download is audited."""
    item = db.session.get(Attachment, attachment_id)
    if item is None or item.case_id != case_id:
        abort(404)
    audit.record(
        "attachment_download",
        actor=current_user,
        object_type="attachment",
        object_id=item.id,
        customer_id=item.case.customer_id,
    )
    return uploads.send(item)


AUDIT_PER_PAGE = 100


@bp.route("/cases/<int:case_id>/audit")
@access(roles=[Role.REVIEW_MANAGER])
def audit_history(case_id: int):
    case = case_record_or_404(case_id)
    events = paginate(services.audit_history(case), per_page=AUDIT_PER_PAGE)
    from portal.cases.audit_view import audit_rows

    rows = audit_rows(events.rows)
    return render_template("cases/audit.html", case=case, rows=rows, events=events)
