from flask import render_template
from flask_login import current_user

from portal.clock import today
from portal.contacts.services import routed_to
from portal.models.vocab import Role
from portal.security import access
from portal.staff import bp, services


@bp.route("/cases")
@access(roles=[Role.CASE_OFFICER])
def cases():
    return render_template(
        "staff/cases.html",
        caseload=services.caseload(current_user.id),
        routed=routed_to(current_user.id),
        today=today(),
    )


@bp.route("/reviews")
@access(roles=[Role.REVIEW_MANAGER])
def reviews():
    return render_template(
        "staff/reviews.html",
        awaiting_approval=services.restrictions_awaiting_approval(),
        reviews_due=services.reviews_due(today()),
        ended_awaiting_review=services.ended_awaiting_review(),
        today=today(),
    )


@bp.route("/appeals")
@access(roles=[Role.APPEALS_DIRECTOR])
def appeals():
    open_appeals, open_requests = services.open_challenges()
    return render_template(
        "staff/appeals.html", appeals=open_appeals, requests=open_requests, today=today()
    )


@bp.route("/community-safety")
@access(roles=[Role.COMMUNITY_SAFETY])
def community_safety():
    return render_template(
        "staff/community_safety.html", referrals=services.community_safety_queue()
    )


@bp.route("/reports")
@access(roles=[Role.LEADERSHIP, Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR])
def reports():
    return render_template("staff/reports.html", counts=services.headline_counts(today()))


@bp.route("/accounts")
@access(roles=[Role.ADMIN])
def accounts():
    return render_template("staff/accounts.html", accounts=services.staff_accounts())
