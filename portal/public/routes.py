from flask import abort, flash, redirect, render_template, request, url_for

from portal.auth.rate_limits import limited
from portal.clock import today
from portal.database import database_is_reachable, release_before_slow_work
from portal.extensions import db
from portal.forms import show_refusal
from portal.htmx import render_page_or_fragment
from portal.i18n import select_language
from portal.letters import render
from portal.letters.forms import format_label
from portal.models.types import utcnow
from portal.models.vocab import FeedbackFrom
from portal.navigation import signed_in_user
from portal.policy import documents, feedback, files, related, versions
from portal.policy.forms import PolicyFeedbackForm
from portal.public import bp
from portal.security import PUBLIC, access
from portal.translations import gettext as _


@bp.route("/")
@access(PUBLIC)
def start():
    return render_template("public/start.html")


@bp.route("/accessibility")
@access(PUBLIC)
def accessibility():
    return render_template("public/accessibility.html")


@bp.route("/housing-ombudsman")
@access(PUBLIC)
def housing_ombudsman():
    return render_template("public/housing_ombudsman.html")


@bp.route("/health")
@access(PUBLIC)
def health():
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    if database_is_reachable():
        return {"status": "ok"}
    return {"status": "database unavailable"}, 503


@bp.route("/the-policy")
@access(PUBLIC)
def policy():
    """The Managed Behaviour Policy in plain words (s6.5: other formats on request), the
    version in force and its review date (s5.4, s9), and the documents it names (s8)."""
    return render_template(
        "public/policy.html",
        words=documents.plain_words(),
        formats_for=files.formats_for,
        here=select_language(),
        format_label=format_label,
        version=versions.in_force_on(today()),
        related=related.related_documents(),
    )


@bp.route("/the-policy/full-text")
@access(PUBLIC)
def policy_full_text():
    """The version in force, word for word as approved (in English: s6.5 other languages
    and formats on request)."""
    return render_template("public/policy_full_text.html", version=versions.in_force_on(today()))


def _policy_file_or_404(version_id: int, kind: str, locale: str, fmt: str):
    try:
        return files.find(version_id, kind, locale, fmt)
    except files.NoSuchFile:
        abort(404)


@bp.route("/the-policy/files/<int:version_id>/<kind>/<locale>/<fmt>")
@access(PUBLIC)
def policy_file(version_id: int, kind: str, locale: str, fmt: str):
    """The policy as a file (s6.5), from the render cache; a slow format not made yet is
    queued and the person sent to its page, as for a letter (issue 17 item 4)."""
    file = _policy_file_or_404(version_id, kind, locale, fmt)
    data = render.cached(file.key)
    if data is None and file.fmt.slow:
        files.request(file)
        db.session.commit()
        return redirect(
            url_for(
                "public.policy_file_status",
                version_id=version_id,
                kind=kind,
                locale=locale,
                fmt=fmt,
            ),
            303,
        )
    if data is None:
        release_before_slow_work()
        data = render.cached_render(file.source, file.fmt)
    return render.file_response(data, file.fmt, file.file_name, file.key)


@bp.route("/the-policy/files/<int:version_id>/<kind>/<locale>/<fmt>/status")
@access(PUBLIC)
def policy_file_status(version_id: int, kind: str, locale: str, fmt: str):
    """Whether a queued file is ready: the page, or (htmx polling) its status block."""
    file = _policy_file_or_404(version_id, kind, locale, fmt)
    return render_page_or_fragment(
        "public/policy_file_status.html",
        "public/_policy_file_status.html",
        file=file,
        state=files.state_of(file),
        format_label=format_label,
    )


@bp.route("/the-policy/feedback", methods=["GET", "POST"])
@access(PUBLIC)
@limited("policy-feedback")
def policy_feedback():
    """Anyone's feedback on the policy (s5.3), signed in or not, anonymous or not."""
    user = signed_in_user()
    form = PolicyFeedbackForm()
    if request.method == "GET":
        default = feedback.given_by_default(user)
        form.given_by.data = default.value if default else None
    errors = []
    if form.validate_on_submit():
        try:
            feedback.check_time_trap(form.started.data)
        except feedback.TooFast:
            errors = show_refusal(
                form,
                None,
                _("Please check your feedback and send it again."),
            )
        else:
            feedback.receive(
                section=form.section.data,
                text=form.text.data,
                given_by=FeedbackFrom(form.given_by.data),
                user=user,
                contact_name=form.contact_name.data or "",
                contact_email=form.contact_email.data or "",
                contact_phone=form.contact_phone.data or "",
                now=utcnow(),
            )
            flash(_("Thank you. Your feedback has reached the policy's owner."), "success")
            return redirect(url_for("public.policy"), 303)
    form.started.data = feedback.started_stamp()  # a fresh stamp on every showing
    return render_template("public/policy_feedback.html", form=form, policy_errors=errors), (
        400 if form.errors or errors else 200
    )


@bp.route("/your-rights")
@access(PUBLIC)
def rights():
    """The right to appeal (s3.4), to ask for reconsideration (s4), and to the Housing
    Ombudsman (s3.4)."""
    return render_template("public/rights.html")


@bp.route("/complaints")
@access(PUBLIC)
def complaints():
    """How to complain about the policy itself (s7)."""
    return render_template("public/complaints.html")
