"""The job that sends one "what happens next" email (issue 15 item 7).

The job names its reader (a user, a customer, or an advocate's authority) and the notice,
never an address: the address and language are read when the email is sent, so a
changed address or language is used. The body says only that something needs the reader
and where to sign in — no names, no allegations, no case reference — because a mailbox
may be shared or read over a shoulder.
"""

from dataclasses import dataclass

from flask_babel import force_locale

from portal import mail
from portal.bidi import gettext_isolated as _
from portal.config import BABEL_LOCALE_FOR, SUPPORTED_LOCALES
from portal.extensions import db
from portal.external_links import external_url
from portal.jobs import handler
from portal.models import AdvocateAuthority, Customer, User

JOB_KIND = "notice_email"


@dataclass(frozen=True)
class Reader:
    address: str
    locale: str


class NoticeUnknown(LookupError):
    pass


def _locale(*choices: str | None) -> str:
    return next((c for c in choices if c in SUPPORTED_LOCALES), "en")


def reader_of(payload: dict) -> Reader | None:
    """Where and in which language to write, or None if there is nobody to write to now
    (an account disabled, an authority revoked, a customer with no address)."""
    kind, record_id = payload["reader"], payload["reader_id"]
    if kind == "user":
        user = db.session.get(User, record_id)
        if user is None or not user.is_enabled:
            return None
        return Reader(user.email, _locale(user.preferred_locale))
    if kind == "customer":
        customer = db.session.get(Customer, record_id)
        account = customer.user if customer else None
        address = (customer.email or (account.email if account else None)) if customer else None
        if not address:
            return None
        # The recorded language first (issue 15 item 4), then the account's choice.
        return Reader(
            address, _locale(customer.preferred_locale, account and account.preferred_locale)
        )
    authority = db.session.get(AdvocateAuthority, record_id)
    if authority is None or authority.revoked_at is not None:
        return None
    account = authority.advocate_user
    return Reader(authority.advocate_email, _locale(account and account.preferred_locale))


def _challenge_received(payload: dict, link: str) -> tuple[str, list[str]]:
    appeal = payload.get("challenge") == "appeal"
    if payload["reader"] == "authority":
        subject = (
            _("An appeal was sent for someone you act for")
            if appeal
            else _("A request to reconsider was sent for someone you act for")
        )
    else:
        subject = (
            _("We have received your appeal")
            if appeal
            else _("We have received your request to reconsider")
        )
    return subject, [
        _("We will write to you with the answer."),
        _("Sign in to see the date we will answer by and what happens next: %(link)s", link=link),
    ]


def _staff_texts() -> dict[str, tuple[str, str]]:
    return {
        "proposal_waiting": (
            _("A restriction is waiting for your approval"),
            _("A case officer has proposed a restriction. It needs a review manager's decision."),
        ),
        "proposal_approved": (
            _("A restriction you proposed was approved"),
            _("A review manager approved a restriction you proposed."),
        ),
        "proposal_rejected": (
            _("A restriction you proposed was not approved"),
            _(
                "A review manager did not approve a restriction you proposed. Their reason "
                "is in the portal."
            ),
        ),
        "letter_to_issue": (
            _("A letter is waiting for you to issue it"),
            _(
                "A restriction on a case you hold was approved. The customer must be told "
                "in writing: its letter is waiting for you to issue it."
            ),
        ),
        "referral_waiting": (
            _("A Community Safety referral is waiting to be accepted"),
            _("A referral to Community Safety has not been accepted after 2 working days."),
        ),
    }


def _text(payload: dict, link: str) -> tuple[str, list[str]]:
    """The subject and paragraphs of one notice, in the current locale."""
    notice = payload["notice"]
    if notice == "challenge_received":
        return _challenge_received(payload, link)
    texts = _staff_texts()
    if notice not in texts:
        raise NoticeUnknown(notice)
    subject, line = texts[notice]
    return subject, [line, _("Sign in to see it: %(link)s", link=link)]


def _link(payload: dict) -> str:
    """Where the reader signs in to: their own page, never the case's address."""
    if payload["reader"] == "customer":
        return external_url("my.home")
    if payload["reader"] == "authority":
        return external_url("advocate.home")
    return external_url(payload["endpoint"], **payload.get("values", {}))


@handler(JOB_KIND)
def send_notice(payload: dict, job=None) -> bool:
    """Write and send one notice; False if there is nobody to send it to any more."""
    reader = reader_of(payload)
    if reader is None:
        return False
    link = _link(payload)
    with force_locale(BABEL_LOCALE_FOR.get(reader.locale, reader.locale)):
        subject, paragraphs = _text(payload, link)
        body = "\n\n".join(paragraphs)
    mail.send_email(reader.address, subject, body, language=reader.locale)
    return True
