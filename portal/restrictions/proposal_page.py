"""The restriction form's page, one for every way a restriction is written: proposed by a
case officer, changed at a review (s3.4) or varied on appeal (s3.4). Each view decides
what to save; this says what the page shows beside the form."""

from flask import render_template
from flask_login import current_user

from portal import special_category
from portal.clock import today
from portal.restrictions import proposal_checklist


def render_restriction_form(
    form, case, *, conflicts, errors, replaced=None, at_review=False, at_appeal=None
):
    """The page and its status: 400 while the form or a policy rule refuses it."""
    return render_template(
        "restrictions/propose.html",
        form=form,
        case=case,
        customer=case.customer,
        special_category=special_category.shown_to(
            current_user, case.customer, page="restriction_proposal"
        ),
        conflicts=conflicts,
        policy_errors=errors,
        replaced=replaced,
        at_review=at_review,
        at_appeal=at_appeal,
        prerequisites=proposal_checklist.prerequisites(case, current_user),
        time_limit=proposal_checklist.time_limit(today()),
    ), (400 if form.errors or errors else 200)
