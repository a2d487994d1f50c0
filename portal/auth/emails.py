"""The emails accounts send: links and notices. Each holds no case details, says how long
its link works, and how to reach a person (the landlord's contact details have one home,
``portal.contact_details``). Each is written in the reader's language where we know it."""

import datetime as dt

from flask_babel import force_locale, ngettext

from portal import mail, reach_us
from portal.auth.links import LIFETIMES
from portal.bidi import gettext_isolated as _
from portal.external_links import external_url
from portal.models.vocab import LinkPurpose


def _lifetime(purpose: LinkPurpose) -> str:
    lifetime: dt.timedelta = LIFETIMES[purpose]
    if lifetime < dt.timedelta(days=1):
        return ngettext(
            "The link works once, for %(num)d hour.",
            "The link works once, for %(num)d hours.",
            int(lifetime.total_seconds() // 3600),
        )
    return ngettext(
        "The link works once, for %(num)d day.",
        "The link works once, for %(num)d days.",
        lifetime.days,
    )


def _ways() -> str:
    """Every general channel, said neutrally (issue 15): an account email does not know
    the reader's restriction or needs, so it never says "call us" alone."""
    return "\n".join(reach_us.way_lines(reach_us.GENERAL.as_facts()))


def _send(to: str, subject: str, *paragraphs: str, help_line: str | None = None) -> None:
    help_line = help_line or _("If you need help, contact us:\n%(ways)s", ways=_ways())
    mail.send_email(to, subject, "\n\n".join([*paragraphs, help_line]))


def password_reset(to: str, token: str, locale: str | None) -> None:
    link = external_url("auth.reset_password", token=token)
    with force_locale(locale or "en"):
        _send(
            to,
            _("Reset your password"),
            _(
                "Someone asked to reset the password for your account. To choose a new "
                "password, open this link: %(link)s",
                link=link,
            ),
            _lifetime(LinkPurpose.PASSWORD_RESET),
            _("If it was not you, you can ignore this email: your password has not changed."),
        )


def customer_invitation(to: str, token: str, locale: str | None) -> None:
    link = external_url("auth.customer_invitation", token=token)
    with force_locale(locale or "en"):
        _send(
            to,
            _("Your invitation to the customer portal"),
            _(
                "You can now see online any restriction on how you contact us, read your "
                "letters in the format and language you need, and appeal or ask us to "
                "think again."
            ),
            _("To create your account, open this link and choose a password: %(link)s", link=link),
            _lifetime(LinkPurpose.CUSTOMER_INVITATION),
            _("If you were not expecting this, you can ignore this email."),
        )


def colleague_invitation(to: str, token: str, name: str) -> None:
    link = external_url("auth.colleague_invitation", token=token)
    with force_locale("en"):
        _send(
            to,
            _("Your staff account for the managed behaviour portal"),
            _("Hello %(name)s, an administrator has made you a staff account.", name=name),
            _(
                "To choose your password and set up your authenticator app, open this "
                "link: %(link)s",
                link=link,
            ),
            _lifetime(LinkPurpose.COLLEAGUE_INVITATION),
        )


def email_change(to: str, token: str, locale: str | None) -> None:
    link = external_url("account.confirm_email", token=token)
    with force_locale(locale or "en"):
        _send(
            to,
            _("Confirm your new email address"),
            _("To sign in to the portal with this address, open this link: %(link)s", link=link),
            _lifetime(LinkPurpose.EMAIL_CHANGE),
            _("If you did not ask for this, you can ignore this email."),
        )


def account_notice(to: str, locale: str | None, what: str) -> None:
    """A notice to the account's (old) address that something changed, so an owner whose
    account was taken over finds out (ASVS 6.3.7)."""
    with force_locale(locale or "en"):
        changes = {
            "password": _("The password for your portal account was changed."),
            "email": _("Your portal account now signs in with a different email address."),
            "second_factor": _(
                "The second factor (authenticator app) on your portal account was changed."
            ),
        }
        _send(
            to,
            _("Your portal account was changed"),
            changes[what],
            help_line=_("If this was not you, contact us at once:\n%(ways)s", ways=_ways()),
        )
