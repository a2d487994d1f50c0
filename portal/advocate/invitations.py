"""Sending an advocate's invitation, and the nomination step the customer's and the staff's
forms share."""

from flask_babel import ngettext

from portal import mail
from portal.advocate import services
from portal.advocate.services import INVITATION_DAYS, Scope
from portal.bidi import gettext_isolated as _
from portal.contact_details import landlord_email, landlord_phone
from portal.external_links import external_url
from portal.forms import show_refusal
from portal.models.vocab import AdvocateRelationship

# Which form field shows each refusal; the others go to the error summary.
FIELD_OF = {
    services.EndDateNotInFuture: "expires_on",
    services.ConsentEvidenceMissing: "consent_evidence",
    services.AlreadyAdvocate: "email",
}


def scope_from(chosen: list[str]) -> Scope:
    """Checkbox values to a scope ("view" is always granted)."""
    return Scope(can_act="act" in chosen, receives_letter_copies="copies" in chosen)


def send(authority, token: str) -> None:
    """The invitation email names the customer only by first name and holds no case
    details; the link proves the address and works once."""
    link = external_url("advocate.invitation", token=token)
    first_name = authority.customer.full_name.split()[0]
    subject = _("%(name)s has asked you to be their advocate", name=first_name)
    body = "\n\n".join(
        [
            _(
                "%(name)s has asked you to help them with Alliance Homes as their advocate.",
                name=first_name,
            ),
            _("To accept, open this link and create an account or sign in: %(link)s", link=link),
            ngettext(
                "The link works for %(num)d day.",
                "The link works for %(num)d days.",
                INVITATION_DAYS,
            ),
            _("If you were not expecting this, you can ignore this email."),
            _(
                "If you need help, call %(phone)s or email %(email)s.",
                phone=landlord_phone(),
                email=landlord_email(),
            ),
        ]
    )
    mail.send_email(authority.advocate_email, subject, body)


def nominate_from_form(form, customer, *, actor, today, consent_evidence: str = ""):
    """Record the nomination a form describes and email the invitation. Returns the
    authority, or None with the refusal put on the form (its errors for the summary)."""
    try:
        authority, token = services.nominate(
            customer,
            name=form.name.data,
            email=form.email.data,
            relationship=AdvocateRelationship(form.relationship.data),
            scope=scope_from(form.scope.data),
            expires_on=form.expires_on.data,
            actor=actor,
            today=today,
            consent_evidence=consent_evidence,
        )
    except services.NominationRefused as refused:
        return None, show_refusal(form, FIELD_OF.get(type(refused)), refused.message)
    send(authority, token)
    return authority, []
