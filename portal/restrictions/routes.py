from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import audit
from portal.cases.access import CASE_VIEWERS, case_record_or_404
from portal.clock import today
from portal.extensions import db
from portal.formatting import long_date
from portal.forms import options, show_refusal
from portal.models import Restriction, User
from portal.models.types import utcnow
from portal.models.vocab import (
    RestrictionOption,
    ReviewOutcome,
    Role,
)
from portal.plain_words import describe_restriction
from portal.restrictions import bp, forms, rules, services
from portal.restrictions.evidence import evidence_for
from portal.restrictions.page import build_restriction_page_context, may_vary_at_review
from portal.restrictions.proposal_page import render_restriction_form
from portal.security import access
from portal.translations import gettext as _

# Which form field shows each refusal (the error summary links to it).
FIELD_FOR = {
    rules.StartInPast: "starts_on",
    rules.EndNotAfterStart: "ends_on",
    rules.RestrictionTooLong: "ends_on",
    rules.NoMeasures: "measures",
    rules.ContactLimitInvalid: "contact_limit",
    rules.ChannelNotRestrictable: "permitted_channel",
    rules.NeedsConflictUnjustified: "needs_conflict_justification",
    rules.KeepNeedsExplanation: "explanation",
}
FIELD_FOR_OPTION = {
    RestrictionOption.SINGLE_POINT_OF_CONTACT: "single_point_of_contact_id",
    RestrictionOption.SINGLE_CHANNEL: "permitted_channel",
    RestrictionOption.SET_TIMES: "permitted_weekdays",
    RestrictionOption.CONTACT_LIMIT: "limit_period",
    RestrictionOption.COMPLAINT_DECLINED: "declined_complaint_reason",
    RestrictionOption.PREMISES_BARRED: "barred_premises",
}


def show_violation(form, violation: rules.PolicyViolation) -> list[dict]:
    """Put a policy refusal beside its field (form data is kept); return summary-only
    errors for refusals that belong to no field (e.g. no informal step yet)."""
    message = violation.message
    if isinstance(violation, rules.RestrictionTooLong):
        message = _(
            "A restriction can last no more than six months (policy section 3.5). "
            "The latest end date is %(date)s.",
            date=long_date(violation.latest_end),
        )
    name = FIELD_FOR.get(type(violation))
    if name is None and hasattr(violation, "option"):
        name = FIELD_FOR_OPTION.get(violation.option)
    if name is None and isinstance(violation, rules.EndNotAfterStart) and "new_ends_on" in form:
        name = "new_ends_on"
    return show_refusal(form, name, message)


def staff_choices():
    users = db.session.scalars(
        select(User).where(User.is_enabled.is_(True)).order_by(User.display_name)
    ).all()
    return options(
        [(0, _("No single point of contact"))]
        + [(u.id, u.display_name) for u in users if u.is_staff]
    )


@bp.route("/cases/<int:case_id>/restrictions/new", methods=["GET", "POST"])
@access(roles=[Role.CASE_OFFICER, Role.REVIEW_MANAGER])
def propose(case_id: int):
    """A case officer proposes (a review manager approves); a review manager who decided
    at a review to change a restriction writes the change here and it takes effect (s3.4)."""
    case = case_record_or_404(case_id)
    replaces = request.args.get("replaces", type=int)
    replaced = db.session.get(Restriction, replaces) if replaces else None
    if replaced is not None and replaced.case_id != case.id:
        abort(404)
    at_review = may_vary_at_review(current_user, replaced)
    if not at_review and not current_user.has_role(Role.CASE_OFFICER):
        abort(404)  # for a review manager, this page exists only for a change decided at review
    form = forms.ProposalForm()
    if at_review:
        form.submit.label.text = _("Save the review and the changed restriction")
    form.incident_ids.choices = options(
        (i.id, f"{long_date(i.occurred_at)}: {i.description[:80]}") for i in case.incidents
    )
    form.single_point_of_contact_id.choices = staff_choices()
    conflicts, errors = [], []
    if form.validate_on_submit():
        proposal = forms.proposal_from(form, today())
        proposal.replaces_id = replaced.id if replaced else None
        try:
            restriction = _save_proposal(case, proposal, replaced if at_review else None)
        except rules.PolicyViolation as violation:
            errors = show_violation(form, violation)
            conflicts = services.needs_conflicts_of(case.customer, proposal.measures)
        except services.NotAllowedNow:
            abort(409)
        else:
            return _after_proposal(restriction, at_review)
    return render_restriction_form(
        form, case, conflicts=conflicts, errors=errors, replaced=replaced, at_review=at_review
    )


def _save_proposal(case, proposal, varied_at_review):
    if varied_at_review is not None:
        return services.vary_at_review(
            varied_at_review, proposal, reviewer=current_user, today=today(), now=utcnow()
        )
    return services.propose_restriction(
        case, proposal, proposed_by=current_user, today=today(), now=utcnow()
    )


def _after_proposal(restriction, at_review: bool):
    if at_review:
        flash(
            _(
                "Review saved. The changed restriction is in place. Now send the customer "
                "the letters: the review outcome and the changed restriction."
            ),
            "success",
        )
        return redirect(url_for("letters.new", case_id=restriction.case_id), 303)
    flash(
        _(
            "Restriction proposed. It takes effect when the review manager approves "
            "it (policy section 3.4)."
        ),
        "success",
    )
    return redirect(url_for("restrictions.show", restriction_id=restriction.id), 303)


def _restriction_or_404(restriction_id: int) -> Restriction:
    return db.session.get(Restriction, restriction_id) or abort(404)


@bp.route("/restrictions/<int:restriction_id>")
@access(roles=CASE_VIEWERS)
def show(restriction_id: int):
    restriction = _restriction_or_404(restriction_id)
    audit.record(
        "restriction_view",
        actor=current_user,
        object_type="restriction",
        object_id=restriction.id,
        customer_id=restriction.case.customer_id,
    )
    context = build_restriction_page_context(restriction, current_user, forms.RejectForm())
    return render_template("restrictions/show.html", **context)


@bp.route("/restrictions/<int:restriction_id>/approve", methods=["POST"])
@access(roles=[Role.REVIEW_MANAGER])
def approve(restriction_id: int):
    restriction = _restriction_or_404(restriction_id)
    try:
        services.approve_restriction(restriction, approver=current_user, now=utcnow())
    except rules.SelfApproval as violation:
        flash(str(violation.message), "error")
    except services.NotAllowedNow:
        flash(_("This restriction is not waiting for approval."), "error")
    else:
        flash(_("Restriction approved. It is now in place."), "success")
    return redirect(url_for("restrictions.show", restriction_id=restriction.id), 303)


@bp.route("/restrictions/<int:restriction_id>/reject", methods=["POST"])
@access(roles=[Role.REVIEW_MANAGER])
def reject(restriction_id: int):
    restriction = _restriction_or_404(restriction_id)
    form = forms.RejectForm()
    if form.validate_on_submit():
        try:
            services.reject_restriction(
                restriction, approver=current_user, reason=form.rejection_reason.data, now=utcnow()
            )
        except rules.SelfApproval as violation:
            flash(str(violation.message), "error")
        except services.NotAllowedNow:
            flash(_("This restriction is not waiting for approval."), "error")
        else:
            flash(_("Restriction not approved."), "success")
        return redirect(url_for("restrictions.show", restriction_id=restriction.id), 303)
    context = build_restriction_page_context(restriction, current_user, form)
    return render_template("restrictions/show.html", **context), 400


@bp.route("/restrictions/<int:restriction_id>/review", methods=["GET", "POST"])
@access(roles=[Role.REVIEW_MANAGER])
def review(restriction_id: int):
    restriction = _restriction_or_404(restriction_id)
    if restriction.status not in services.REVIEWABLE:
        abort(404)
    form = forms.ReviewForm()
    errors = []
    if form.validate_on_submit():
        outcome = ReviewOutcome(form.outcome.data)
        try:
            services.record_review(
                restriction,
                reviewer=current_user,
                behaviour_improved=form.behaviour_improved.data == "yes",
                outcome=outcome,
                explanation=form.explanation.data or "",
                new_ends_on=form.new_ends_on.data,
                today=today(),
                now=utcnow(),
            )
        except rules.PolicyViolation as violation:
            errors = show_violation(form, violation)
        else:
            if outcome == ReviewOutcome.VARY:
                flash(
                    _(
                        "Now write the changed restriction. The review is saved when you "
                        "save the change."
                    ),
                    "info",
                )
                return redirect(
                    url_for(
                        "restrictions.propose", case_id=restriction.case_id, replaces=restriction.id
                    ),
                    303,
                )
            flash(_("Review saved."), "success")
            return redirect(url_for("cases.show", case_id=restriction.case_id), 303)
    return render_template(
        "restrictions/review.html",
        form=form,
        restriction=restriction,
        sentences=describe_restriction(restriction),
        policy_errors=errors,
        customer=restriction.case.customer,
        evidence=evidence_for(restriction.case_id),
    ), (400 if form.errors or errors else 200)
