"""Appeal and reconsideration journeys (customer or advocate) and the director's decisions.

Steps are one question per page, each saved to the server-side draft as it is answered,
then a check-your-answers page and a confirmation with the reference (GOV.UK patterns).
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import audit, authority, uploads
from portal.challenges import bp, decisions, forms, refusals, services, where_it_stands
from portal.challenges.journey import CHECK, JOURNEYS
from portal.clock import today
from portal.extensions import db
from portal.forms import choices, show_refusal
from portal.models import Appeal, Attachment, ChallengeDraft, ReconsiderationRequest
from portal.models.types import utcnow
from portal.models.vocab import AppealDecision, ReconsiderationDecision, Role
from portal.restrictions.evidence import evidence_for
from portal.security import access
from portal.translations import gettext as _

CHALLENGERS = [Role.CUSTOMER, Role.ADVOCATE]


def _home():
    if current_user.has_role(Role.CUSTOMER):
        return url_for("my.home")
    return url_for("advocate.home")


def _target_or_404(target_type: str, target_id: int):
    target = services.target_for(
        target_type, target_id, authority.customers_actable_by(current_user, today())
    )
    if target is None:
        abort(404)
    return target


def _draft_or_404(draft_id: int) -> ChallengeDraft:
    """Only its author, and only while they may still act for the customer."""
    draft = db.session.get(ChallengeDraft, draft_id)
    if draft is None or draft.author_id != current_user.id:
        abort(404)
    if draft.customer_id not in authority.customers_actable_by(current_user, today()):
        abort(404)
    return draft


# Which field of the decision form shows each refusal; the others go to the error summary.
FIELD_OF = {
    refusals.ReasonsMissing: "reasons",
    refusals.NewEndDateMissing: "new_ends_on",
    refusals.NewEndDateOutOfRange: "new_ends_on",
    refusals.RefusalCannotBeVaried: "decision",
    refusals.NoRestrictionToChange: "decision",
    refusals.NotARefusedComplaint: "decision",
}


@bp.route("/challenges/<kind>/<target_type>/<int:target_id>", methods=["GET", "POST"])
@access(roles=CHALLENGERS)
def start(kind: str, target_type: str, target_id: int):
    if kind not in services.KINDS:
        abort(404)
    target = _target_or_404(target_type, target_id)
    form = forms.StartForm()
    if form.validate_on_submit():
        try:
            draft = services.start_draft(kind, target, author=current_user, now=utcnow())
        except refusals.ChallengeRefused as refused:
            flash(str(refused.message), "info")
            return redirect(_home(), 303)
        return redirect(_step_url(draft, JOURNEYS[kind].first), 303)
    return render_template(
        "challenges/start.html", kind=kind, target=target, form=form, title=JOURNEYS[kind].title
    )


def _step_url(draft: ChallengeDraft, step: str) -> str:
    return url_for("challenges.step", draft_id=draft.id, step=step)


@bp.route("/challenges/drafts/<int:draft_id>/<step>", methods=["GET", "POST"])
@access(roles=CHALLENGERS)
def step(draft_id: int, step: str):
    """One question of the journey (portal.challenges.journey): load, keep what was typed,
    validate, one service call, redirect to the next step."""
    draft = _draft_or_404(draft_id)
    journey = JOURNEYS[draft.kind]
    if not journey.has(step):
        abort(404)
    if step == CHECK:
        return render_template(
            "challenges/check.html",
            draft=draft,
            evidence=services.evidence_of(draft),
            form=forms.SendForm(),
            title=journey.title,
            ground_labels=forms.GROUND_LABELS,
        )
    form = journey.form_for(step, draft.data if request.method == "GET" else None)
    if form.validate_on_submit() and _saved(form, draft, journey):
        if form.later.data:
            flash(_("Saved. You can come back to it from your home page."), "success")
            return redirect(_home(), 303)
        return redirect(_step_url(draft, journey.after(step)), 303)
    previous = journey.before(step)
    return render_template(
        "challenges/step.html",
        form=form,
        draft=draft,
        title=journey.title,
        back_url=_step_url(draft, previous) if previous else _home(),
        evidence=services.evidence_of(draft) if step == "evidence" else [],
    ), (400 if form.errors else 200)


def _saved(form, draft: ChallengeDraft, journey) -> bool:
    """Validated first, then saved: a refused answer stays on the page, never in the
    draft. Then the step's files, if the draft has room for them."""
    services.save_answers(draft, journey.answers(form), utcnow())
    return _kept_files(form, draft)


def _kept_files(form, draft: ChallengeDraft) -> bool:
    """Store the step's checked files with the draft; False, with the reason on the file
    field, if the draft has no room left for them."""
    files = getattr(getattr(form, "files", None), "checked", [])
    if not files:
        return True
    try:
        services.add_evidence(draft, files, author=current_user)
    except uploads.UploadRefused as refused:
        form.files.errors.append(refused.message)
        return False
    return True


@bp.route("/challenges/drafts/<int:draft_id>/send", methods=["POST"])
@access(roles=CHALLENGERS)
def send(draft_id: int):
    draft = db.session.get(ChallengeDraft, draft_id)
    if draft is None:
        # Sent already (a double click): show what was sent, if it was theirs.
        sent = services.submitted_from(draft_id, current_user.id)
        if sent is None or sent.submitted_by_id != current_user.id:
            abort(404)
        return redirect(_status_url(sent, sent=True), 303)
    draft = _draft_or_404(draft_id)
    form = forms.SendForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        challenge = services.submit(draft, submitter=current_user, now=utcnow(), today=today())
    except refusals.AnswerInvalid as refused:
        flash(str(refused.message), "error")
        return redirect(url_for("challenges.step", draft_id=draft_id, step=refused.step), 303)
    except refusals.ChallengeRefused as refused:
        flash(str(refused.message), "error")
        return redirect(url_for("challenges.step", draft_id=draft_id, step=CHECK), 303)
    return redirect(_status_url(challenge, sent=True), 303)


def _status_url(challenge, sent=False):
    endpoint = "challenges.appeal" if isinstance(challenge, Appeal) else "challenges.request_status"
    return url_for(endpoint, challenge_id=challenge.id, sent=1 if sent else None)


def _viewable_or_404(model, challenge_id: int):
    challenge = db.session.get(model, challenge_id)
    if challenge is None:
        abort(404)
    if challenge.customer_id not in authority.customers_viewable_by(current_user, today()):
        abort(404)
    return challenge


@bp.route("/challenges/appeals/<int:challenge_id>")
@access(roles=CHALLENGERS)
def appeal(challenge_id: int):
    item = _viewable_or_404(Appeal, challenge_id)
    return render_template(
        "challenges/status.html",
        item=item,
        kind="appeal",
        sent=request.args.get("sent") == "1",
        letter=services.decision_letter(item),
        **_where_it_stands(item),
    )


@bp.route("/challenges/reconsiderations/<int:challenge_id>")
@access(roles=CHALLENGERS)
def request_status(challenge_id: int):
    item = _viewable_or_404(ReconsiderationRequest, challenge_id)
    return render_template(
        "challenges/status.html",
        item=item,
        kind="reconsideration",
        sent=request.args.get("sent") == "1",
        letter=services.decision_letter(item),
        ground_labels=forms.GROUND_LABELS,
        **_where_it_stands(item),
    )


def _where_it_stands(item) -> dict:
    """The status words for the appeal or request page (portal.challenges.where_it_stands)."""
    return {
        "outcome": where_it_stands.challenge_tag(item),
        "changes": where_it_stands.what_changed(item),
        "answer_by": where_it_stands.answer_by(item),
    }


# The appeals director ---------------------------------------------------------------------


def _decide(item, kind, outcomes, decide):
    form = forms.DecisionForm()
    form.decision.choices = choices(outcomes)
    conflict = None
    try:
        decisions.check_independence(item, current_user)
    except refusals.ChallengeRefused as refused:
        conflict = refused.message
        if request.method == "POST" and form.validate_on_submit():
            decisions.record_declined(item, decider=current_user)
            flash(_("Recorded. Another appeals director must decide it."), "success")
            return redirect(url_for("staff.appeals"), 303)
    errors = []
    if conflict is None and form.validate_on_submit():
        try:
            letter = decide(
                item,
                decider=current_user,
                decision=outcomes(form.decision.data),
                reasons=form.reasons.data,
                new_ends_on=form.new_ends_on.data,
                now=utcnow(),
                today=today(),
            )
        except refusals.ChallengeRefused as refused:
            errors = show_refusal(form, FIELD_OF.get(type(refused)), refused.message)
        else:
            flash(
                _(
                    "Decision on %(reference)s recorded. Read the decision letter, then issue it.",
                    reference=item.reference,
                ),
                "success",
            )
            return redirect(url_for("letters.issue", letter_id=letter.id), 303)
    return render_template(
        "challenges/decide.html",
        item=item,
        kind=kind,
        form=form,
        conflict=conflict,
        policy_errors=errors,
        evidence=item.attachments,
        case_evidence=evidence_for((item.restriction or item.complaint_refusal).case_id),
        ground_labels=forms.GROUND_LABELS,
    ), (400 if form.errors or errors else 200)


@bp.route("/staff/appeals/<int:challenge_id>/decide", methods=["GET", "POST"])
@access(roles=[Role.APPEALS_DIRECTOR])
def decide_appeal(challenge_id: int):
    item = db.session.get(Appeal, challenge_id) or abort(404)
    return _decide(item, "appeal", AppealDecision, decisions.decide_appeal)


@bp.route("/staff/reconsiderations/<int:challenge_id>/decide", methods=["GET", "POST"])
@access(roles=[Role.APPEALS_DIRECTOR])
def decide_request(challenge_id: int):
    item = db.session.get(ReconsiderationRequest, challenge_id) or abort(404)
    return _decide(
        item, "reconsideration", ReconsiderationDecision, decisions.decide_reconsideration
    )


@bp.route("/staff/challenge-evidence/<int:attachment_id>")
@access(roles=[Role.APPEALS_DIRECTOR])
def evidence(attachment_id: int):
    """Evidence sent with an appeal or request, for the director deciding it."""
    item = db.session.get(Attachment, attachment_id)
    if item is None or not (item.appeal_id or item.reconsideration_id):
        abort(404)
    owner = item.appeal or item.reconsideration
    audit.record(
        "attachment_download",
        actor=current_user,
        object_type="attachment",
        object_id=item.id,
        customer_id=owner.customer_id,
    )
    return uploads.send(item)
