"""The "Your needs" form page, shared by the customer's own route and an acting advocate's
route for the customer (one view helper, two access rules)."""

from flask import flash, redirect, render_template, request
from flask_login import current_user

from portal.authority import NotAuthorisedToAct
from portal.clock import today
from portal.config import LOCALE_NAMES
from portal.customer_side.forms import CHANNEL_LABELS, NeedsForm
from portal.customer_side.services import (
    Needs,
    StaleNeedsEdit,
    needs_version,
    update_needs,
)
from portal.letters.forms import FORMAT_LABELS
from portal.letters.render import FORMATS, SLUG_FOR
from portal.models.types import utcnow
from portal.models.vocab import ContactChannel
from portal.security import refuse_write_for_customer
from portal.translations import gettext as _


def _form_for(customer) -> NeedsForm:
    if request.method == "POST":
        return NeedsForm()
    current = Needs.of(customer)
    return NeedsForm(
        data={
            "locale": current.locale,
            "letter_format": SLUG_FOR.get(current.letter_format, "html"),
            "channel": current.channel.value if current.channel else "",
            "finds_writing_difficult": current.finds_writing_difficult,
            "cannot_use_telephone": current.cannot_use_telephone,
            "needs_in_person_access": current.needs_in_person_access,
            "support_needs": current.support_needs,
            "version": needs_version(customer),
        }
    )


def _needs_from(form: NeedsForm) -> Needs:
    return Needs(
        locale=form.locale.data,
        letter_format=FORMATS[form.letter_format.data].letter_format,
        channel=ContactChannel(form.channel.data) if form.channel.data else None,
        finds_writing_difficult=form.finds_writing_difficult.data,
        cannot_use_telephone=form.cannot_use_telephone.data,
        needs_in_person_access=form.needs_in_person_access.data,
        support_needs=form.support_needs.data or "",
    )


def handle(customer, *, back_url: str):
    form = _form_for(customer)
    errors, saved_now = [], None
    if form.validate_on_submit():
        try:
            changed = update_needs(
                customer,
                _needs_from(form),
                actor=current_user,
                now=utcnow(),
                today=today(),
                seen_version=form.version.data or "",
            )
        except NotAuthorisedToAct:
            refuse_write_for_customer(customer.id)
        except StaleNeedsEdit:
            # Keep what was typed; show what is saved now; a second save is deliberate.
            form.version.data = needs_version(customer)
            saved_now = _saved_rows(form, Needs.of(customer))
            errors = [{"text": _stale_message(), "href": "#saved-now"}]
        else:
            if changed:
                flash(_("Saved. Your case officer can see your needs."), "success")
            else:
                flash(_("Nothing has changed."), "info")
            return redirect(back_url, 303)
    status = 409 if errors else 400 if form.errors else 200
    return render_template(
        "my/needs.html",
        form=form,
        customer=customer,
        back_url=back_url,
        policy_errors=errors,
        saved_now=saved_now,
    ), status


def _stale_message() -> str:
    return _(
        "Someone else changed these needs after you opened this page, so your changes "
        "have not been saved. Check what is saved now, change your answers if you need to, "
        "and save again."
    )


def _saved_rows(form: NeedsForm, needs: Needs) -> list[tuple[str, str]]:
    """The needs as saved now, question by question, beside a form refused as stale."""
    yes_no = {True: _("Yes"), False: _("No")}
    checks = ("finds_writing_difficult", "cannot_use_telephone", "needs_in_person_access")
    return [
        (form.locale.label.text, LOCALE_NAMES.get(needs.locale, needs.locale)),
        (
            form.letter_format.label.text,
            str(FORMAT_LABELS[SLUG_FOR.get(needs.letter_format, "html")]),
        ),
        (
            form.channel.label.text,
            str(CHANNEL_LABELS[needs.channel.value if needs.channel else ""]),
        ),
        *[(form[name].label.text, yes_no[getattr(needs, name)]) for name in checks],
        (form.support_needs.label.text, needs.support_needs or _("None")),
    ]
