"""The policy's versions for its owner, the admin and leadership (s1.6, s5.4, s9;
issue 17): the list with the review due, one version, drafting, publishing, comparing."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal.clock import today
from portal.extensions import db
from portal.forms import show_refusal
from portal.i18n import html_lang
from portal.models import PolicyFeedback
from portal.models.policy import PolicyVersion
from portal.models.types import utcnow
from portal.models.vocab import FeedbackOutcome, Role
from portal.policy import feedback, forms, related, review_pack, versions
from portal.reports import exports
from portal.security import access, can_reach
from portal.translations import gettext as _
from portal.translations import lazy_gettext as _l

bp = Blueprint("policy", __name__)

# The owner (s1.6: the Service Delivery Manager – Customer Experience) and the admin
# (DESIGN.md) keep the versions; leadership, who approve them (s9), read them.
EDITORS = [Role.REVIEW_MANAGER, Role.ADMIN]
READERS = [*EDITORS, Role.LEADERSHIP]
# Feedback may hold a way to reach the person who gave it: the owner, who considers it
# (s5.3), and leadership, who approve the next version (s9); not the admin, who sees no
# customer content.
FEEDBACK_READERS = [Role.REVIEW_MANAGER, Role.LEADERSHIP]
FEEDBACK_OWNER = [Role.REVIEW_MANAGER]

DRAFT_FIELDS = (
    "number",
    "full_text",
    "changes",
    "eia_completed_on",
    "eia_reviewed_on",
    "approved_on",
    "amendments",
    "next_review_on",
)


def may_edit() -> bool:
    """Offered by the route's own rule (decided once, on the route)."""
    return can_reach("policy.publish")


def _version_or_404(version_id: int) -> PolicyVersion:
    version = db.session.get(PolicyVersion, version_id)
    if version is None:
        abort(404)
    return version


@bp.route("/staff/policy")
@access(roles=READERS)
def index():
    return render_template(
        "policy/versions.html",
        versions=versions.all_versions(),
        in_force=versions.in_force_on(today()),
        review=versions.review_due(today()),
        draft_form=forms.DraftForm() if may_edit() else None,
    )


@bp.route("/staff/policy/draft", methods=["POST"])
@access(roles=EDITORS)
def new_draft():
    if not forms.DraftForm().validate_on_submit():
        abort(400)
    draft = versions.draft_next(created_by=current_user, today=today())
    return redirect(url_for("policy.edit", version_id=draft.id), 303)


def _version_page(version, publish_form=None, errors=(), status=200):
    return render_template(
        "policy/version.html",
        version=version,
        missing=versions.missing_approvals(version),
        publish_form=publish_form
        if publish_form is not None
        else (forms.PublishForm() if may_edit() and not version.is_published else None),
        policy_errors=list(errors),
    ), status


@bp.route("/staff/policy/<int:version_id>")
@access(roles=READERS)
def show(version_id: int):
    return _version_page(_version_or_404(version_id))


@bp.route("/staff/policy/<int:version_id>/edit", methods=["GET", "POST"])
@access(roles=EDITORS)
def edit(version_id: int):
    version = _version_or_404(version_id)
    if version.is_published:
        flash(_("A published version cannot be changed. Draft the next version instead."), "info")
        return redirect(url_for("policy.show", version_id=version.id), 303)
    form = forms.PolicyDraftForm(obj=version)
    errors = []
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in DRAFT_FIELDS}
        fields["changes"] = fields["changes"] or ""
        fields["amendments"] = fields["amendments"] or ""
        try:
            versions.save_draft(version, saved_by=current_user, **fields)
        except versions.NumberTaken:
            db.session.rollback()
            errors = show_refusal(form, "number", _("Another version already has this number."))
        else:
            flash(_("Draft saved."), "success")
            return redirect(url_for("policy.show", version_id=version.id), 303)
    return render_template(
        "components/form_page.html",
        form=form,
        page_title=_l("Edit the draft policy version"),
        caption=version.number,
        back_url=url_for("policy.show", version_id=version.id),
        policy_errors=errors,
    ), (400 if form.errors else 200)


PUBLISH_REFUSALS = {
    versions.BadInForceDate: (
        "in_force_from",
        _l(
            "The date must be today or later, on or after the approval date, and after the "
            "date the version now in force began."
        ),
    ),
    versions.ReviewTooLate: (
        "in_force_from",
        _l(
            "The next review date must be after this date and within two years of the "
            "approval date (policy section 5.4). Change the draft's next review date."
        ),
    ),
}


@bp.route("/staff/policy/<int:version_id>/publish", methods=["POST"])
@access(roles=EDITORS)
def publish(version_id: int):
    version = _version_or_404(version_id)
    form = forms.PublishForm()
    if version.is_published:
        flash(_("This version is already published."), "info")
        return redirect(url_for("policy.show", version_id=version.id), 303)
    if not form.validate_on_submit():
        return _version_page(version, form, status=400)
    try:
        versions.publish(
            version,
            in_force_from=form.in_force_from.data,
            published_by=current_user,
            now=utcnow(),
            today=today(),
        )
    except versions.ApprovalIncomplete:
        db.session.rollback()
        message = _("Record the date of every approval stage before publishing.")
        return _version_page(version, form, show_refusal(form, None, message), 400)
    except tuple(PUBLISH_REFUSALS) as error:
        db.session.rollback()
        field, message = PUBLISH_REFUSALS[type(error)]
        return _version_page(version, form, show_refusal(form, field, message), 400)
    flash(_("Version published."), "success")
    return redirect(url_for("policy.show", version_id=version.id), 303)


@bp.route("/staff/policy/compare")
@access(roles=READERS)
def compare():
    """Two versions side by side (``?old=&new=``; by default the two latest)."""
    every = versions.all_versions()
    by_id = {v.id: v for v in every}
    old = by_id.get(request.args.get("old", type=int))
    new = by_id.get(request.args.get("new", type=int))
    if old is None or new is None:
        if len(every) < 2:
            flash(_("There is only one version so far: nothing to compare it with."), "info")
            return redirect(url_for("policy.index"), 303)
        new, old = every[0], every[1]
    rows = versions.compare(old, new)
    only_changed = request.args.get("changed") == "1"
    return render_template(
        "policy/compare.html",
        old=old,
        new=new,
        versions=every,
        rows=[row for row in rows if row.kind != "same"] if only_changed else rows,
        differing=sum(1 for row in rows if row.kind != "same"),
        only_changed=only_changed,
    )


@bp.route("/staff/policy/related-documents", methods=["GET", "POST"])
@access(roles=EDITORS)
def related_documents():
    """Where s8's associated documents are published, for the public policy page."""
    current = {doc.key: doc.url for doc in related.related_documents()}
    form = forms.RelatedDocumentsForm(data=current)
    if form.validate_on_submit():
        related.save_addresses(
            {key: getattr(form, key).data or "" for key in related.DOCUMENTS},
            saved_by=current_user,
        )
        flash(_("Addresses saved. The policy page links them."), "success")
        return redirect(url_for("policy.index"), 303)
    return render_template(
        "components/form_page.html",
        form=form,
        page_title=_l("The documents the policy names"),
        back_url=url_for("policy.index"),
    ), (400 if form.errors else 200)


@bp.route("/staff/policy/feedback")
@access(roles=FEEDBACK_READERS)
def feedback_list():
    """Feedback since the version in force began, by section (s5.3)."""
    start = feedback.review_period_start(today())
    items = feedback.since(start)
    by_section = {}
    for item in items:
        by_section.setdefault(item.section, []).append(item)
    return render_template(
        "policy/feedback.html",
        since=start,
        sections=feedback.SECTIONS,
        by_section=by_section,
        total=len(items),
        considered=sum(1 for item in items if item.outcome is not None),
        may_consider=can_reach("policy.consider_feedback"),
        pdf_form=forms.DraftForm(),
    )


@bp.route("/staff/policy/feedback/<int:feedback_id>", methods=["GET", "POST"])
@access(roles=FEEDBACK_OWNER)
def consider_feedback(feedback_id: int):
    item = db.session.get(PolicyFeedback, feedback_id)
    if item is None:
        abort(404)
    form = forms.ConsiderFeedbackForm(
        data={"outcome": item.outcome.value if item.outcome else None, "note": item.outcome_note}
    )
    if form.validate_on_submit():
        feedback.consider(
            item,
            outcome=FeedbackOutcome(form.outcome.data),
            note=form.note.data or "",
            by=current_user,
            now=utcnow(),
        )
        flash(_("Saved."), "success")
        return redirect(url_for("policy.feedback_list"), 303)
    return render_template(
        "policy/consider_feedback.html", form=form, item=item, sections=feedback.SECTIONS
    ), (400 if form.errors else 200)


@bp.route("/staff/policy/feedback/review-pack.csv")
@access(roles=FEEDBACK_READERS)
def review_pack_csv():
    rows = review_pack.csv_rows(review_pack.build(today()))
    return Response(
        exports.csv_stream(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="policy-review-pack.csv"'},
    )


@bp.route("/staff/policy/feedback/review-pack.pdf", methods=["POST"])
@access(roles=FEEDBACK_READERS)
def review_pack_pdf():
    """Queued: the status page offers the PDF when the worker has made it."""
    if not forms.DraftForm().validate_on_submit():
        abort(400)
    payload = {"locale": str(get_locale()), "html_lang": html_lang()}
    token = exports.start_export(
        review_pack.REVIEW_PACK_PDF, current_user.id, "policy-review-pack.pdf", payload, utcnow()
    )
    return redirect(url_for("reports.export_status", job_id=token), 303)
