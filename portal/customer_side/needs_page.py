"""The "Your needs" form page, shared by the customer's own route and an acting advocate's
route for the customer (one view helper, two access rules)."""

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.customer_side.forms import NeedsForm
from portal.customer_side.services import Needs, update_needs
from portal.letters.render import FORMATS, SLUG_FOR
from portal.models.types import utcnow
from portal.models.vocab import ContactChannel


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
        }
    )


def handle(customer, *, back_url: str):
    form = _form_for(customer)
    if form.validate_on_submit():
        needs = Needs(
            locale=form.locale.data,
            letter_format=FORMATS[form.letter_format.data].letter_format,
            channel=ContactChannel(form.channel.data) if form.channel.data else None,
            finds_writing_difficult=form.finds_writing_difficult.data,
            cannot_use_telephone=form.cannot_use_telephone.data,
            needs_in_person_access=form.needs_in_person_access.data,
            support_needs=form.support_needs.data or "",
        )
        changed = update_needs(customer, needs, actor=current_user, now=utcnow())
        if changed:
            flash(_("Saved. Your case officer can see your needs."), "success")
        else:
            flash(_("Nothing has changed."), "info")
        return redirect(back_url, 303)
    return render_template("my/needs.html", form=form, customer=customer, back_url=back_url), (
        400 if form.errors else 200
    )
