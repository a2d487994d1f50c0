"""One-time links: made, sent by the caller, and redeemed once (issue 13; ASVS 6.4.1).

The token is returned once, to be put in the email; only its hash is stored. A link that
was used, has expired or never existed is refused with an exception that says which, so
the page can say so plainly and offer a new one.
"""

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import OneTimeLink
from portal.models.vocab import LinkPurpose

LIFETIMES = {
    LinkPurpose.PASSWORD_RESET: dt.timedelta(hours=1),
    LinkPurpose.EMAIL_CHANGE: dt.timedelta(hours=24),
    LinkPurpose.CUSTOMER_INVITATION: dt.timedelta(days=14),
    LinkPurpose.COLLEAGUE_INVITATION: dt.timedelta(days=7),
}
MAX_TOKEN_LENGTH = 100


class LinkRefused(Exception):
    """A link that cannot be used."""


class LinkUnknown(LinkRefused):
    """No such link (mistyped, or for another purpose)."""


class LinkExpired(LinkRefused):
    """The link is past its lifetime; a new one can be asked for."""


class LinkAlreadyUsed(LinkRefused):
    """The link worked once already."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_link(
    purpose: LinkPurpose,
    *,
    email: str,
    now: dt.datetime,
    user_id: int | None = None,
    customer_id: int | None = None,
    created_by_id: int | None = None,
    payload: dict | None = None,
    lifetime: dt.timedelta | None = None,
) -> tuple[OneTimeLink, str]:
    """A new link and its token. Earlier unused links of the same purpose for the same
    account stop working, so only the newest email counts."""
    owner = OneTimeLink.user_id == user_id if user_id else OneTimeLink.customer_id == customer_id
    if user_id or customer_id:
        db.session.execute(
            update(OneTimeLink)
            .where(OneTimeLink.purpose == purpose, owner, OneTimeLink.used_at.is_(None))
            .values(expires_at=now)
        )
    token = secrets.token_urlsafe(32)
    link = OneTimeLink(
        purpose=purpose,
        token_hash=token_hash(token),
        email=email.strip().lower(),
        user_id=user_id,
        customer_id=customer_id,
        created_by_id=created_by_id,
        payload=payload or {},
        created_at=now,
        expires_at=now + (lifetime or LIFETIMES[purpose]),
    )
    db.session.add(link)
    db.session.flush()
    return link, token


def find_link(token: str, purpose: LinkPurpose, now: dt.datetime) -> OneTimeLink:
    """The usable link this token names, or the reason it cannot be used."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkUnknown
    link = db.session.scalar(
        select(OneTimeLink).where(
            OneTimeLink.token_hash == token_hash(token), OneTimeLink.purpose == purpose
        )
    )
    if link is None:
        raise LinkUnknown
    if link.used_at is not None:
        raise LinkAlreadyUsed
    if now >= link.expires_at:
        raise LinkExpired
    return link


def use_link(link: OneTimeLink, now: dt.datetime) -> None:
    """Spend the link. The conditional update makes a second, concurrent use fail even
    when both requests found the link unused."""
    spent = db.session.execute(
        update(OneTimeLink)
        .where(OneTimeLink.id == link.id, OneTimeLink.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        raise LinkAlreadyUsed
    link.used_at = now
