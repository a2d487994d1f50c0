"""The appeals director changes what a restriction restricts when deciding an appeal
(s3.4; issue 15 item 6): the restriction form (portal.restrictions) filled in with the
restriction as it is, the reasons for the decision, then the decision letter to preview and
issue. The rules live in portal.challenges.variations."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import Length

from portal.challenges import bp, refusals, variations
from portal.challenges.rules import REASONS_MAX
from portal.clock import today
from portal.extensions import db
from portal.formatting import long_date
from portal.forms import TextArea, options, required, show_refusal
from portal.models import Appeal
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.restrictions import forms as restriction_forms
from portal.restrictions import rules as restriction_rules
from portal.restrictions.prefill import form_data_of
from portal.restrictions.proposal_page import render_restriction_form
from portal.restrictions.routes import show_violation, staff_choices
from portal.restrictions.services import needs_conflicts_of
from portal.security import access
from portal.translations import gettext as _
from portal.translations import lazy_gettext as _l


class AppealVariationForm(restriction_forms.ProposalForm):
    """The restriction form, with the reasons the customer reads in the decision letter."""

    decision_reasons = TextAreaField(
        _l("Reasons for the decision"),
        widget=TextArea(),
        description=_l("The customer reads these in the decision letter."),
        validators=[
            required(_l("Enter the reasons for the decision")),
            Length(max=REASONS_MAX),
        ],
    )


def _form_for(appeal: Appeal) -> AppealVariationForm:
    restriction = appeal.restriction
    kept = form_data_of(restriction, today()) if request.method == "GET" else None
    form = AppealVariationForm(data=kept)
    form.submit.label.text = _("Continue to the decision letter")
    case = restriction.case
    form.incident_ids.choices = options(
        (i.id, f"{long_date(i.occurred_at)}: {i.description[:80]}") for i in case.incidents
    )
    form.single_point_of_contact_id.choices = staff_choices()
    return form


@bp.route("/staff/appeals/<int:challenge_id>/vary", methods=["GET", "POST"])
@access(roles=[Role.APPEALS_DIRECTOR])
def vary_appeal(challenge_id: int):
    """Vary on appeal with changed measures (s3.4): every rule of a proposal applies."""
    appeal = db.session.get(Appeal, challenge_id) or abort(404)
    try:
        restriction = variations.check_may_vary(appeal, current_user)
    except refusals.ChallengeRefused as refused:
        flash(str(refused.message), "error")
        return redirect(url_for("challenges.decide_appeal", challenge_id=appeal.id), 303)
    form = _form_for(appeal)
    errors, conflicts = [], []
    if form.validate_on_submit():
        proposal = restriction_forms.proposal_from(form, today())
        try:
            _new, letter = variations.vary_measures(
                appeal,
                proposal,
                decider=current_user,
                reasons=form.decision_reasons.data,
                now=utcnow(),
                today=today(),
            )
        except restriction_rules.PolicyViolation as violation:
            errors = show_violation(form, violation)
            conflicts = needs_conflicts_of(restriction.case.customer, proposal.measures)
        except refusals.ChallengeRefused as refused:
            errors = show_refusal(form, "decision_reasons", refused.message)
        else:
            flash(
                _(
                    "Decision recorded and the changed restriction is in place. Read the "
                    "decision letter, then issue it. Then send the letter about the changed "
                    "restriction from the case."
                ),
                "success",
            )
            return redirect(url_for("letters.issue", letter_id=letter.id), 303)
    return render_restriction_form(
        form,
        restriction.case,
        conflicts=conflicts,
        errors=errors,
        replaced=restriction,
        at_appeal=appeal,
    )
