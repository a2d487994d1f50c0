"""Reading and downloading letters (customers, advocates, staff) and issuing them (staff).

Views stay thin: composition, completeness and freezing live in services; who may read a
letter lives in :func:`readable_by`.
"""

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal import audit, authority
from portal.cases.access import case_or_404
from portal.clock import today
from portal.config import SUPPORTED_LOCALES
from portal.database import commit_keeping_what_is_loaded, release_before_slow_work
from portal.extensions import db
from portal.htmx import render_page_or_fragment
from portal.i18n import html_lang
from portal.letters import bp, forms, render, render_queue, services
from portal.letters import print_batch as print_batch_job
from portal.models import Letter
from portal.models.types import utcnow
from portal.models.vocab import LetterStatus, Role
from portal.security import access, refuse_write_for_customer
from portal.translations import gettext as _
from portal.translations import lazy_gettext as _l

STAFF_READERS = (Role.CASE_OFFICER, Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR)
LETTER_WRITERS = [Role.CASE_OFFICER, Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR]
READERS = [Role.CUSTOMER, Role.ADVOCATE, *STAFF_READERS]


def readable_by(letter: Letter, user, today: dt.date) -> bool:
    """Staff who work cases; otherwise whoever may read the customer's letters (s6.1)."""
    if user.has_role(*STAFF_READERS):
        return True
    return authority.may_read_letters_of(user, letter.customer_id, today)


def _is_customer_side(user) -> bool:
    return not user.has_role(*STAFF_READERS)


def _issued_letter_or_404(letter_id: int) -> Letter:
    """Another customer's letter, a draft and a letter that does not exist all look the
    same from outside: not found."""
    letter = db.session.get(Letter, letter_id)
    if (
        letter is None
        or letter.status == LetterStatus.DRAFT
        or not readable_by(letter, current_user, today())
    ):
        abort(404)
    return letter


def _record_reading(letter: Letter, staff_action: str, details: dict | None = None) -> None:
    """A customer or advocate opening it marks it read (and is recorded there); a member
    of staff reading it is recorded in the audit trail (DESIGN.md rule 12)."""
    if _is_customer_side(current_user):
        services.record_opened(letter, current_user, utcnow())
        return
    audit.record(
        staff_action,
        actor=current_user,
        object_type="letter",
        object_id=letter.id,
        customer_id=letter.customer_id,
        details=details,
    )


def _languages(letter: Letter) -> list[str]:
    """The letter's own language first, then English (the original), then the rest."""
    codes = [letter.locale, "en", *SUPPORTED_LOCALES]
    return [
        c for i, c in enumerate(codes) if c in letter.content["documents"] and c not in codes[:i]
    ]


def _downloads(letter: Letter) -> list[tuple[str, list[tuple[render.Format, bool, str]]]]:
    """Each language the letter has, with each format, whether it exists in that language
    (audio needs a voice, braille a braille table) and the file's address (the English
    one where it does not).

    The page links some hundred files: their addresses are one ``url_for`` filled in,
    not a hundred (issue 18). The languages and formats are the portal's own fixed codes,
    so filling in needs no quoting."""
    pattern = url_for("letters.download", letter_id=letter.id, locale="LOCALE", fmt="FORMAT")

    def entry(code: str, fmt: render.Format) -> tuple[render.Format, bool, str]:
        available = render.available(fmt, code)
        address = pattern.replace("LOCALE", code if available else "en")
        return fmt, available, address.replace("FORMAT", fmt.slug)

    return [
        (code, [entry(code, fmt) for fmt in render.FORMATS.values()]) for code in _languages(letter)
    ]


def _listen_in(letter: Letter) -> str:
    """The language of the audio player on the page: the letter's own, or English when no
    voice speaks it."""
    return letter.locale if render.available(render.FORMATS["audio"], letter.locale) else "en"


@bp.route("/letters/<int:letter_id>")
@access(roles=READERS)
def show(letter_id: int):
    letter = _issued_letter_or_404(letter_id)
    version = request.args.get("version", letter.locale)
    if version not in letter.content["documents"]:
        version = letter.locale
    _record_reading(letter, "letter_view")
    listen_in = _listen_in(letter)
    customer = letter.customer
    form = forms.LetterChoiceForm(
        locale=services.default_locale(customer),
        letter_format=customer.preferred_letter_format.value,
    )
    return render_template(
        "letters/show.html",
        letter=letter,
        doc=letter.content["documents"][version],
        version=version,
        languages=_languages(letter),
        downloads=_downloads(letter),
        listen_in=listen_in,
        formats=render.FORMATS,
        # A recording not yet made is offered as a link that has it made (a player would
        # only show an error); made ones play here.
        audio_ready=render.is_cached(
            render.cache_key(letter.content_sha256, listen_in, render.FORMATS["audio"])
        ),
        format_label=forms.format_label,
        preferred_slug=render.SLUG_FOR.get(customer.preferred_letter_format),
        # Only for someone who may change it: the customer, or an advocate who may act.
        form=form if authority.may_act_for(current_user, customer.id, today()) else None,
        can_correct=current_user.has_role(*LETTER_WRITERS) and letter.status == LetterStatus.ISSUED,
    )


def _requested_file(letter_id: int, locale: str, fmt: str) -> tuple[Letter, render.Format]:
    """The letter and format asked for; 404 for a format that does not exist or cannot be
    made in that language."""
    letter = _issued_letter_or_404(letter_id)
    chosen = render.FORMATS.get(fmt)
    if (
        chosen is None
        or locale not in letter.titles  # the languages it was frozen in, without its content
        or not render.available(chosen, locale)
    ):
        abort(404)
    return letter, chosen


@bp.route("/letters/<int:letter_id>/<locale>/<fmt>")
@access(roles=READERS)
def download(letter_id: int, locale: str, fmt: str):
    """One format in one language, as a file, from the render cache. A fast format missing
    from it is made now; a slow one (PDF, audio) is queued for a job worker and the person
    gets the file's page saying so, which checks again (issue 18 item 4)."""
    letter, chosen = _requested_file(letter_id, locale, fmt)
    key = render.cache_key(letter.content_sha256, locale, chosen)
    download_name = render.file_name(letter, locale, chosen)
    data = render.cached(key)
    if data is None and chosen.slow:
        render_queue.request_render(letter, locale, chosen)
        commit_keeping_what_is_loaded()  # the page shows the letter just read
        # Accepted: the file's page itself, not a redirect to it, so a phone waits for one
        # round trip instead of two, and twenty people asking at once cost half as many
        # requests. Asking this address again once the file is made downloads it.
        # Being made by construction: a job for it was queued or found running just now.
        making = render_queue.FileState.MAKING
        return _file_status_page(letter, locale, chosen, making), 202
    _record_reading(letter, "letter_download", {"locale": locale, "format": fmt})
    if data is None:
        source = render.LetterSource.of(letter, locale)
        release_before_slow_work()
        data = render.cached_render(source, chosen)
    return render.file_response(data, chosen, download_name, key)


def _file_status_page(letter, locale: str, chosen: render.Format, state):
    return render_page_or_fragment(
        "letters/file_status.html",
        "letters/_file_status.html",
        letter=letter,
        locale=locale,
        fmt=chosen,
        state=state.value,
        format_label=forms.format_label,
    )


@bp.route("/letters/<int:letter_id>/<locale>/<fmt>/status")
@access(roles=READERS)
def file_status(letter_id: int, locale: str, fmt: str):
    """Whether a queued file is ready yet: the page, or (htmx polling) its status block."""
    letter, chosen = _requested_file(letter_id, locale, fmt)
    return _file_status_page(letter, locale, chosen, render_queue.state_of(letter, locale, chosen))


@bp.route("/letters/<int:letter_id>/choice", methods=["POST"])
@access(roles=[Role.CUSTOMER, Role.ADVOCATE])
def remember_choice(letter_id: int):
    letter = _issued_letter_or_404(letter_id)
    form = forms.LetterChoiceForm()
    if form.validate_on_submit():
        try:
            services.remember_choice(
                letter.customer,
                locale=form.locale.data,
                letter_format=render.FORMATS[form.letter_format.data].letter_format,
                actor=current_user,
                today=today(),
            )
        except authority.NotAuthorisedToAct:
            refuse_write_for_customer(letter.customer_id)
        flash(
            _("Saved. We will use this language and format for your letters from now on."),
            "success",
        )
    else:
        flash(_("Choose a language and a format."), "error")
    return redirect(url_for("letters.show", letter_id=letter.id), 303)


# Staff: drafting and issuing -----------------------------------------------------------------


@bp.route("/staff/cases/<int:case_id>/letters/new", methods=["GET", "POST"])
@access(roles=LETTER_WRITERS)
def new(case_id: int):
    case = case_or_404(case_id)
    possible = services.possible_letters(case)
    form = forms.NewLetterForm()
    form.letter.choices = forms.letter_choices(possible)
    if form.validate_on_submit():
        chosen = next(p for p in possible if p.key == form.letter.data)
        letter = services.draft_letter(case, chosen, created_by=current_user, now=utcnow())
        return redirect(url_for("letters.issue", letter_id=letter.id), 303)
    return render_template("letters/new.html", form=form, case=case, possible=possible), (
        400 if form.errors else 200
    )


@bp.route("/staff/letters/<int:letter_id>/issue", methods=["GET", "POST"])
@access(roles=LETTER_WRITERS)
def issue(letter_id: int):
    letter = db.session.get(Letter, letter_id) or abort(404)
    if letter.status != LetterStatus.DRAFT:
        flash(_("This letter has been issued. It cannot be changed."), "info")
        return redirect(url_for("letters.show", letter_id=letter.id), 303)
    form = forms.IssueLetterForm(
        locale=letter.locale if request.method == "GET" else None,
        needs_post="yes" if letter.needs_post else "no",
    )
    policy_errors = []
    if form.validate_on_submit():
        try:
            services.issue_letter(
                letter,
                issued_by=current_user,
                locale=form.locale.data,
                needs_post=form.needs_post.data == "yes",
                now=utcnow(),
                today=today(),
            )
        except services.LetterIncomplete:
            policy_errors = [
                {
                    "text": _(
                        "This letter is missing something the policy requires. See the checklist."
                    ),
                    "href": "#checklist",
                }
            ]
        else:
            flash(_("Letter %(reference)s issued.", reference=letter.reference), "success")
            return redirect(url_for("cases.show", case_id=letter.case_id), 303)
    shown_in = form.locale.data if form.locale.data in SUPPORTED_LOCALES else letter.locale
    _facts, checklist, document = services.preview(
        letter, signatory=current_user, today=today(), locale=shown_in
    )
    return render_template(
        "letters/issue.html",
        letter=letter,
        form=form,
        checklist=checklist,
        complete=all(present for _e, present in checklist),
        doc=document,
        policy_errors=policy_errors,
    ), (400 if form.errors or policy_errors else 200)


@bp.route("/staff/letters/<int:letter_id>/correct", methods=["POST"])
@access(roles=LETTER_WRITERS)
def correct(letter_id: int):
    original = _issued_letter_or_404(letter_id)
    try:
        letter = services.draft_correction(original, created_by=current_user, now=utcnow())
    except services.NotADraft:
        flash(_("This letter has already been replaced."), "info")
        return redirect(url_for("letters.show", letter_id=original.id), 303)
    return redirect(url_for("letters.issue", letter_id=letter.id), 303)


@bp.route("/staff/letters/post")
@access(roles=LETTER_WRITERS)
def post_queue():
    return render_template(
        "letters/post_queue.html",
        letters=services.awaiting_post(),
        paper_label=render.paper_label,
    )


@bp.route("/staff/letters/post/print-batch.pdf", methods=["POST"])
@access(roles=LETTER_WRITERS)
def print_batch():
    """One PDF of every letter waiting to be posted, each in its own language, in the
    customer's chosen print format (large print where they asked for it), made by the job
    worker (portal.letters.print_batch); the status page offers it when it is ready."""
    letters = services.awaiting_post()
    if not letters:
        flash(_("There are no letters waiting to be posted."), "info")
        return redirect(url_for("letters.post_queue"), 303)
    token = print_batch_job.start(
        current_user.id,
        [letter.id for letter in letters],
        locale=str(get_locale()),
        html_lang=html_lang(),
        now=utcnow(),
    )
    return redirect(url_for("reports.export_status", job_id=token), 303)


@bp.route("/staff/letters/post/mark-posted", methods=["POST"])
@access(roles=LETTER_WRITERS)
def mark_posted():
    ids = [int(i) for i in request.form.getlist("letter_id") if i.isdigit()]
    count = services.mark_posted(ids, actor=current_user, now=utcnow())
    flash(_l("Marked as posted: %(count)d.", count=count), "success")
    return redirect(url_for("letters.post_queue"), 303)
