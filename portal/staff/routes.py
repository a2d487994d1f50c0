from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.accounts import pending_colleague_invitations
from portal.cases import forms as case_forms
from portal.cases import services as case_services
from portal.clock import today
from portal.contacts.services import routed_to, routed_to_ids
from portal.extensions import db
from portal.models import Referral
from portal.models.types import utcnow
from portal.models.vocab import ReferralKind, Role
from portal.notices.to_do import letters_to_issue_query, to_do_for
from portal.pagination import paginate, requested_order
from portal.policy import versions
from portal.security import access
from portal.staff import bp, decided, services
from portal.translations import gettext as _
from portal.translations import lazy_gettext as _l

ORDER_LABELS = {
    "next_review": _l("Next review date"),
    "opened_newest": _l("Date opened, newest first"),
    "opened_oldest": _l("Date opened, oldest first"),
}


# The latest contacts routed to someone, as pages; older ones stay on each customer's
# contact log.
ROUTED_SHOWN = 1000


@bp.route("/cases")
@access(roles=[Role.CASE_OFFICER])
def cases():
    """The officer's open cases a page at a time, in the order chosen (issue 15 item 9)."""
    order = requested_order(ORDER_LABELS, "next_review")
    return render_template(
        "staff/cases.html",
        caseload=paginate(services.caseload_query(current_user.id, order)),
        order=order,
        order_labels=ORDER_LABELS,
        to_do=to_do_for(current_user, today()),
        routed=paginate(
            routed_to(current_user.id),
            param="contacts_page",
            count_at_most=ROUTED_SHOWN,
            counting=routed_to_ids(current_user.id),
        ),
        today=today(),
    )


@bp.route("/letters-to-issue")
@access(roles=[Role.CASE_OFFICER])
def letters_to_issue():
    """Every restriction in place on the officer's open cases whose notice (s3.2) has not
    been issued, oldest approval first, a page at a time; the to-do list names the oldest."""
    return render_template(
        "staff/letters_to_issue.html",
        letters=paginate(letters_to_issue_query(current_user.id)),
    )


@bp.route("/reviews")
@access(roles=[Role.REVIEW_MANAGER])
def reviews():
    """The review manager's three queues (s3.3-s3.5), each a page at a time."""
    return render_template(
        "staff/reviews.html",
        awaiting_approval=paginate(
            services.restrictions_awaiting_approval_query(),
            param="approvals_page",
            counting=services.restrictions_awaiting_approval_ids(),
        ),
        to_do=to_do_for(current_user, today()),
        reviews_due=paginate(
            services.reviews_due_query(today()),
            param="due_page",
            counting=services.reviews_due_ids(today()),
        ),
        ended_awaiting_review=paginate(
            services.ended_awaiting_review_query(),
            param="ended_page",
            counting=services.ended_awaiting_review_ids(),
        ),
        policy_review=versions.review_due(today()),
        today=today(),
    )


@bp.route("/appeals")
@access(roles=[Role.APPEALS_DIRECTOR])
def appeals():
    """Open appeals (s3.4) and reconsideration requests (s4), each a page at a time."""
    return render_template(
        "staff/appeals.html",
        appeals=paginate(services.open_appeals_query(), param="appeals_page"),
        requests=paginate(services.open_requests_query(), param="requests_page"),
        today=today(),
        to_do=to_do_for(current_user, today()),
    )


@bp.route("/community-safety")
@access(roles=[Role.COMMUNITY_SAFETY])
def community_safety():
    return render_template(
        "staff/community_safety.html",
        referrals=services.community_safety_queue(),
        to_do=to_do_for(current_user, today()),
    )


def _community_safety_referral(referral_id: int) -> Referral:
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.kind != ReferralKind.COMMUNITY_SAFETY:
        abort(404)
    return referral


@bp.route("/community-safety/referrals/<int:referral_id>/accept", methods=["POST"])
@access(roles=[Role.COMMUNITY_SAFETY])
def accept_referral(referral_id: int):
    referral = _community_safety_referral(referral_id)
    try:
        case_services.accept_referral(referral, accepted_by=current_user)
    except case_services.ReferralNotOpen:
        flash(_("That referral had already been accepted or closed."), "info")
    else:
        flash(_("Referral accepted. It is now yours to deal with."), "success")
    return redirect(url_for("staff.community_safety"), 303)


@bp.route("/community-safety/referrals/<int:referral_id>/close", methods=["GET", "POST"])
@access(roles=[Role.COMMUNITY_SAFETY])
def close_referral(referral_id: int):
    referral = _community_safety_referral(referral_id)
    if referral.status == referral.status.CLOSED:
        flash(_("That referral had already been accepted or closed."), "info")
        return redirect(url_for("staff.community_safety"), 303)
    form = case_forms.CloseReferralForm()
    if form.validate_on_submit():
        case_services.close_referral(
            referral, outcome=form.outcome.data, closed_by=current_user, now=utcnow()
        )
        flash(_("Referral closed."), "success")
        return redirect(url_for("staff.community_safety"), 303)
    return render_template(
        "components/form_page.html",
        form=form,
        page_title=_l("Close a Community Safety referral"),
        caption=referral.case.reference,
        back_url=url_for("staff.community_safety"),
    ), (400 if form.errors else 200)


@bp.route("/reports")
@access(roles=[Role.LEADERSHIP, Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR])
def reports():
    return render_template(
        "staff/reports.html",
        counts=services.headline_counts(today()),
        policy_review=versions.review_due(today()),
    )


@bp.route("/accounts")
@access(roles=[Role.ADMIN])
def accounts():
    return render_template(
        "staff/accounts.html",
        accounts=services.staff_accounts(),
        invitations=pending_colleague_invitations(utcnow()),
    )


@bp.route("/appeals/decided")
@access(roles=[Role.APPEALS_DIRECTOR])
def decided_challenges():
    """Decided appeals and reconsideration requests, filtered (issue 15 item 6)."""
    form = decided.DecidedFilterForm(formdata=request.args)
    valid = form.validate() if request.args else True
    filters = decided.filters_of(form) if valid else decided.Filters()
    page = decided.decided(filters, request.args.get("page", 1, type=int))
    args = {k: v for k, v in request.args.items() if k not in ("page", "submit") and v}
    return render_template(
        "staff/decided.html",
        form=form,
        result=page,
        args=args,
        outcome_label=decided.outcome_label,
    ), (200 if valid else 400)
