"""Accounts that look after themselves (issue 13 items 2, 3 and 5): invitations for
customers and colleagues, "forgot your password", changing a password or an email
address. Plain functions over the session; the caller sends the emails, records the
audit event and commits, so a refused step writes nothing.

Every link is a one-time link (``portal.auth.links``: hashed, expiring, spent once).
"""

import datetime as dt

from flask import current_app
from sqlalchemy import func, select

from portal.auth.links import LinkUnknown, find_link, make_link, use_link
from portal.auth.password_rules import check_new_password
from portal.auth.passwords import hash_password, verify_password
from portal.auth.services import normalise_email
from portal.auth.throttle import forget_failures
from portal.database import lock_row
from portal.extensions import db
from portal.models import Customer, OneTimeLink, User, UserRole, UserSession
from portal.models.vocab import LinkPurpose, Role


class AccountRefused(Exception):
    """An account change that cannot be made; the subclass says why."""


class EmailInUse(AccountRefused):
    """Another account already signs in with this email address."""


class CustomerHasAccount(AccountRefused):
    """The customer can already sign in."""


class NoEmailOnRecord(AccountRefused):
    """The customer's record holds no email address to send the invitation to."""


class FormerCustomer(AccountRefused):
    """The customer has left the landlord: no new portal account."""


class WrongPassword(AccountRefused):
    """Re-authentication failed."""


# Self-service emails per account per hour: enough for a lost email, too few for anyone
# to flood a customer's inbox through our forms (ASVS 2.4.1 anti-automation).
SELF_SERVICE_LINKS_PER_HOUR = 3


def _too_many_recent_links(purpose: LinkPurpose, now: dt.datetime, **owner) -> bool:
    """Counts the owner's recent links with the owner's row locked, held until the new
    link is committed: requests sent at once are counted one after another (issue 14)."""
    ((column, value),) = owner.items()
    lock_row(User if column == "user_id" else Customer, value)
    sent = db.session.scalar(
        select(func.count(OneTimeLink.id)).where(
            OneTimeLink.purpose == purpose,
            getattr(OneTimeLink, column) == value,
            OneTimeLink.created_at > now - dt.timedelta(hours=1),
        )
    )
    return sent >= SELF_SERVICE_LINKS_PER_HOUR


def landlord_name() -> str:
    return current_app.config["LANDLORD_NAME"]


def words_about(*texts: str | None) -> tuple[str, ...]:
    """What a new password must not be built from: the person's name and email, and ours."""
    return (*(t for t in texts if t), landlord_name())


def enabled_user_by_email(email: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.email == normalise_email(email), User.is_enabled.is_(True))
    )


def _email_taken(email: str) -> bool:
    return (
        db.session.scalar(select(User.id).where(User.email == normalise_email(email))) is not None
    )


def set_password(user: User, password: str, *, now: dt.datetime, keep_session_id=None) -> None:
    """Check and store a new password; every session but the one kept ends (ASVS 7.4.3).
    Past wrong guesses are forgotten: a reset link is how the owner ends a lock."""
    check_new_password(password, about=words_about(user.display_name, user.email))
    user.password_hash = hash_password(password)
    forget_failures(user.email)
    end_sessions(user, now=now, keep_session_id=keep_session_id)


def end_sessions(user: User, *, now: dt.datetime, keep_session_id=None) -> int:
    """End the account's live sessions, except one (the device asking); returns how many."""
    query = select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep_session_id is not None:
        query = query.where(UserSession.id != keep_session_id)
    rows = db.session.scalars(query).all()
    for row in rows:
        row.ended_at = now
    return len(rows)


def check_current_password(user: User, password: str) -> None:
    if not verify_password(user.password_hash, password or ""):
        raise WrongPassword


# ---- Forgot your password ---------------------------------------------------------------


def request_password_reset(email: str, *, now: dt.datetime) -> tuple[User, str] | None:
    """A reset link for an enabled account with this email, or None. The page says the
    same either way, so nobody learns which addresses have accounts."""
    user = enabled_user_by_email(email)
    if user is None or _too_many_recent_links(LinkPurpose.PASSWORD_RESET, now, user_id=user.id):
        return None
    _link, token = make_link(LinkPurpose.PASSWORD_RESET, email=user.email, user_id=user.id, now=now)
    return user, token


def reset_password(token: str, password: str, *, now: dt.datetime) -> User:
    """Spend a reset link on a new password; all the account's sessions end."""
    link = find_link(token, LinkPurpose.PASSWORD_RESET, now)
    user = db.session.get(User, link.user_id) if link.user_id else None
    if user is None or not user.is_enabled:
        raise LinkUnknown
    set_password(user, password, now=now)
    use_link(link, now)
    return user


# ---- Customers online -------------------------------------------------------------------


def invite_customer(customer: Customer, *, actor: User | None, now: dt.datetime) -> str:
    """A portal invitation for the email on the customer's record; returns the token."""
    if customer.user_id is not None:
        raise CustomerHasAccount
    if customer.left_on is not None:
        raise FormerCustomer
    if not customer.email:
        raise NoEmailOnRecord
    _link, token = make_link(
        LinkPurpose.CUSTOMER_INVITATION,
        email=customer.email,
        customer_id=customer.id,
        created_by_id=actor.id if actor else None,
        now=now,
    )
    return token


def normalise_postcode(postcode: str) -> str:
    compact = "".join((postcode or "").split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def customer_asking_for_invitation(
    reference: str, date_of_birth: dt.date, postcode: str
) -> Customer | None:
    """The customer all three facts match, if the portal could invite them. Nothing is
    said about which fact was wrong, or whether the record exists."""
    customer = db.session.scalar(
        select(Customer).where(func.upper(Customer.reference) == reference.strip().upper())
    )
    if (
        customer is None
        or customer.date_of_birth != date_of_birth
        or customer.postcode != normalise_postcode(postcode)
        or customer.user_id is not None
        or customer.left_on is not None
        or not customer.email
    ):
        return None
    return customer


def may_send_self_service_invitation(customer: Customer, now: dt.datetime) -> bool:
    return not _too_many_recent_links(LinkPurpose.CUSTOMER_INVITATION, now, customer_id=customer.id)


def customer_invitation(token: str, now: dt.datetime) -> tuple[OneTimeLink, Customer]:
    link = find_link(token, LinkPurpose.CUSTOMER_INVITATION, now)
    customer = db.session.get(Customer, link.customer_id) if link.customer_id else None
    if customer is None:
        raise LinkUnknown
    return link, customer


def accept_customer_invitation(token: str, password: str, *, now: dt.datetime) -> User:
    """The customer's account, created with the password they chose; the link proves the
    email address."""
    link, customer = customer_invitation(token, now)
    if customer.user_id is not None:
        raise CustomerHasAccount
    if _email_taken(link.email):
        raise EmailInUse
    check_new_password(password, about=words_about(customer.full_name, link.email))
    user = User(
        email=link.email,
        display_name=customer.full_name,
        preferred_locale=customer.preferred_locale,
        password_hash=hash_password(password),
    )
    user.role_grants = [UserRole(role=Role.CUSTOMER)]
    customer.user = user
    db.session.add(user)
    use_link(link, now)
    db.session.flush()
    return user


# ---- Colleagues -------------------------------------------------------------------------


def invite_colleague(
    email: str, display_name: str, roles: list[Role], *, actor: User, now: dt.datetime
) -> tuple[OneTimeLink, str]:
    """An invitation for a new colleague; the account is made when they accept it."""
    if _email_taken(email):
        raise EmailInUse
    return make_link(
        LinkPurpose.COLLEAGUE_INVITATION,
        email=email,
        created_by_id=actor.id,
        payload={"name": display_name.strip(), "roles": sorted(r.value for r in roles)},
        now=now,
    )


def pending_colleague_invitations(now: dt.datetime) -> list[OneTimeLink]:
    return list(
        db.session.scalars(
            select(OneTimeLink)
            .where(
                OneTimeLink.purpose == LinkPurpose.COLLEAGUE_INVITATION,
                OneTimeLink.used_at.is_(None),
                OneTimeLink.expires_at > now,
            )
            .order_by(OneTimeLink.created_at.desc())
        )
    )


def accept_colleague_invitation(token: str, password: str, *, now: dt.datetime) -> User:
    link = find_link(token, LinkPurpose.COLLEAGUE_INVITATION, now)
    if _email_taken(link.email):
        raise EmailInUse
    name = link.payload.get("name", "")
    check_new_password(password, about=words_about(name, link.email))
    user = User(email=link.email, display_name=name, password_hash=hash_password(password))
    user.role_grants = [UserRole(role=Role(role)) for role in link.payload.get("roles", [])]
    db.session.add(user)
    use_link(link, now)
    db.session.flush()
    return user


# ---- Changing one's own email address ---------------------------------------------------


def start_email_change(user: User, new_email: str, *, now: dt.datetime) -> str:
    """A link to the new address; the change happens when it is opened (proving it)."""
    if _email_taken(new_email):
        raise EmailInUse
    _link, token = make_link(LinkPurpose.EMAIL_CHANGE, email=new_email, user_id=user.id, now=now)
    return token


def confirm_email_change(token: str, *, now: dt.datetime) -> tuple[User, str]:
    """Move the account to the new address; returns the account and its old address."""
    link = find_link(token, LinkPurpose.EMAIL_CHANGE, now)
    user = db.session.get(User, link.user_id) if link.user_id else None
    if user is None or not user.is_enabled:
        raise LinkUnknown
    if _email_taken(link.email):
        raise EmailInUse
    # The customer record's address is the housing system's to change, not ours.
    old_email, user.email = user.email, link.email
    use_link(link, now)
    return user, old_email
