"""Telling people a letter is waiting: customer-facing email, in the reader's language,
naming the format they chose (DESIGN.md "Beyond" 5). The email holds no case details,
only a link to sign in, because a mailbox may be shared."""

import datetime as dt

from flask import current_app
from flask_babel import force_locale

from portal import mail, reach_us
from portal.bidi import gettext_isolated as _
from portal.clock import today
from portal.config import BABEL_LOCALE_FOR, SUPPORTED_LOCALES
from portal.external_links import external_url
from portal.models import AdvocateAuthority, Letter
from portal.models.vocab import LetterFormat


def copy_recipients(letter: Letter, today: dt.date) -> list[AdvocateAuthority]:
    return [
        authority
        for authority in letter.customer.advocate_authorities
        if authority.receives_letter_copies and authority.is_valid_on(today)
    ]


def notify(letter: Letter) -> int:
    """Email the customer (and advocates who receive copies) that a letter is waiting, in
    the language and naming the format they chose. The email holds no case details: only
    a link to sign in (a mailbox may be shared)."""
    customer = letter.customer
    on = today()
    # How to reach us follows the customer's restriction; their own needs only for them
    # (an advocate contacts us within the restriction, with their own abilities).
    recipients = []
    if customer.email:
        ways = reach_us.ways_for_customer(customer, on)
        recipients.append((customer.email, letter.locale, customer.preferred_letter_format, ways))
    advocate_ways = reach_us.ways_for_customer(customer, on, apply_needs=False)
    for authority in copy_recipients(letter, on):
        user = authority.advocate_user
        recipients.append(
            (
                authority.advocate_email,
                (user.preferred_locale if user else None) or "en",
                LetterFormat.HTML,
                advocate_ways,
            )
        )
    for address, locale, letter_format, ways in recipients:
        locale = locale if locale in SUPPORTED_LOCALES else "en"
        with force_locale(BABEL_LOCALE_FOR.get(locale, locale)):
            link = letter_link(letter)
            subject = _(
                "You have a new letter from %(landlord)s",
                landlord=current_app.config["LANDLORD_NAME"],
            )
            body = _(
                "There is a new letter for %(name)s in the Managed Behaviour Portal.\n\n"
                "Sign in to read it: %(link)s\n\n"
                "It is ready for you as %(format)s. You can also download it in other formats "
                "and languages.\n\n"
                "If you need help, contact us:\n%(ways)s",
                ways="\n".join(reach_us.way_lines(ways.as_facts())),
                name=customer.full_name,
                link=link,
                format=format_name(letter_format),
            )
        mail.send_email(address, subject, body)
    return len(recipients)


def letter_link(letter: Letter) -> str:
    """The letter's address for an email, from PORTAL_BASE_URL whether a person or a
    command sends it."""
    return external_url("letters.show", letter_id=letter.id)


def format_name(letter_format: LetterFormat) -> str:
    names = {
        LetterFormat.HTML: _("a web page"),
        LetterFormat.PDF: _("a PDF"),
        LetterFormat.LARGE_PRINT: _("large print"),
        LetterFormat.EASY_READ: _("easy read"),
        LetterFormat.PLAIN_TEXT: _("plain text"),
        LetterFormat.AUDIO: _("audio"),
        LetterFormat.BRAILLE: _("braille"),
    }
    return names[letter_format]
