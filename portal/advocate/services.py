"""Advocates (s3.2, s6.1; DESIGN.md "Beyond" 6): which customers an advocate may act for
today, and a customer's nominations, invitations and revocations."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import or_, select

from portal import audit
from portal.auth.accounts import words_about
from portal.auth.password_rules import check_new_password
from portal.auth.passwords import hash_password
from portal.clock import day_of
from portal.database import lock_row
from portal.extensions import db
from portal.models import AdvocateAuthority, Customer, User, UserRole
from portal.models.vocab import AdvocateRelationship, Role
from portal.refusals import Refusal
from portal.translations import lazy_gettext as _l

# Nominating, inviting, revoking (s3.2, s6.1; issue 6 item 5) ----------------------------

INVITATION_DAYS = 28


class NominationRefused(Refusal):
    """A nomination or invitation that cannot go ahead (s6.1). Each rule is its own
    subclass; views decide which form field shows the message."""


class EndDateNotInFuture(NominationRefused):
    """s6.1: An authority that ends has an end date after today."""

    default_message = _l("The end date must be in the future")


class ConsentEvidenceMissing(NominationRefused):
    """s6.1: Staff record an advocate only with evidence of the customer's consent."""

    default_message = _l("Say what shows the customer agreed to this advocate (s6.1)")


class AlreadyAdvocate(NominationRefused):
    """s6.1: One current authority per advocate and customer."""

    default_message = _l("This person is already your advocate")


class OwnAdvocate(NominationRefused):
    """s6.1: An advocate is someone other than the customer."""

    default_message = _l("You cannot be your own advocate")


class AccountExists(NominationRefused):
    """s6.1: An invited address that has an account links it; it does not make a second one."""

    default_message = _l("There is already an account for this email address. Sign in to accept.")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Scope:
    """What the customer lets the advocate do beyond seeing (which every advocate may:
    acting or receiving copies implies it, as the table's constraint says)."""

    can_act: bool = False
    receives_letter_copies: bool = False


def nominate(
    customer: Customer,
    *,
    name: str,
    email: str,
    relationship: AdvocateRelationship,
    scope: Scope,
    expires_on: dt.date | None,
    actor: User,
    today: dt.date,
    consent_evidence: str = "",
) -> tuple[AdvocateAuthority, str]:
    """Record the customer's consent and make an invitation token (returned once; only its
    hash is stored). Staff recording a nomination given outside the portal must say what
    shows the customer's consent (s6.1)."""
    if expires_on is not None and expires_on <= today:
        raise EndDateNotInFuture
    by_staff = actor.is_staff and not (actor.customer and actor.customer.id == customer.id)
    if by_staff and not consent_evidence.strip():
        raise ConsentEvidenceMissing
    email = email.strip().lower()
    # The customer's row is locked before looking for a duplicate: two nominations of the
    # same advocate sent at once must not both find none (issue 14 item 4).
    lock_row(Customer, customer.id)
    duplicate = db.session.scalar(
        select(AdvocateAuthority.id)
        .where(AdvocateAuthority.customer_id == customer.id)
        .where(AdvocateAuthority.advocate_email == email)
        .where(AdvocateAuthority.revoked_at.is_(None))
        .where(or_(AdvocateAuthority.expires_on.is_(None), AdvocateAuthority.expires_on >= today))
    )
    if duplicate is not None:
        raise AlreadyAdvocate
    token = secrets.token_urlsafe(32)
    authority = AdvocateAuthority(
        customer_id=customer.id,
        advocate_name=name.strip(),
        advocate_email=email,
        relationship_to_customer=relationship,
        can_view=True,
        can_act=scope.can_act,
        receives_letter_copies=scope.receives_letter_copies,
        expires_on=expires_on,
        recorded_by_id=actor.id if by_staff else None,
        consent_evidence=consent_evidence.strip() if by_staff else "",
        invitation_token_hash=_token_hash(token),
    )
    db.session.add(authority)
    audit.save_change(
        "advocate_nominated",
        authority,
        actor=actor,
        object_type="advocate_authority",
        customer_id=customer.id,
        details={
            "relationship": relationship.value,
            "can_act": scope.can_act,
            "copies": scope.receives_letter_copies,
            "expires_on": expires_on.isoformat() if expires_on else None,
            "recorded_by_staff": by_staff,
        },
    )
    return authority, token


def authority_for_invitation(token: str, today: dt.date) -> AdvocateAuthority | None:
    """The nomination an invitation link names, while it is still valid."""
    if not token or len(token) > 100:
        return None
    authority = db.session.scalar(
        select(AdvocateAuthority).where(
            AdvocateAuthority.invitation_token_hash == _token_hash(token)
        )
    )
    if authority is None or not authority.is_valid_on(today):
        return None
    if day_of(authority.granted_at) + dt.timedelta(days=INVITATION_DAYS) < today:
        return None
    return authority


def accept_invitation(authority: AdvocateAuthority, user: User) -> None:
    """Link the nomination to an existing account; the link works once."""
    if user.customer is not None and user.customer.id == authority.customer_id:
        raise OwnAdvocate
    if not user.has_role(Role.ADVOCATE):
        user.role_grants.append(UserRole(role=Role.ADVOCATE))
    authority.advocate_user_id = user.id
    authority.invitation_token_hash = None
    audit.save_change(
        "advocate_invitation_accepted",
        authority,
        actor=user,
        object_type="advocate_authority",
        customer_id=authority.customer_id,
    )


def create_advocate_account(
    authority: AdvocateAuthority, *, display_name: str, password: str
) -> User:
    """A new advocate account for the invited email address (it proves the address)."""
    if db.session.scalar(select(User.id).where(User.email == authority.advocate_email)):
        raise AccountExists
    check_new_password(password, about=words_about(display_name, authority.advocate_email))
    user = User(
        email=authority.advocate_email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
    )
    user.role_grants.append(UserRole(role=Role.ADVOCATE))
    db.session.add(user)
    db.session.flush()
    accept_invitation(authority, user)
    return user


def revoke(authority: AdvocateAuthority, *, actor: User, now: dt.datetime) -> None:
    """Ends the authority at once: the advocate loses access on their next request."""
    if authority.revoked_at is not None:
        return
    authority.revoked_at = now
    authority.revoked_by_id = actor.id
    authority.invitation_token_hash = None
    audit.save_change(
        "advocate_revoked",
        authority,
        actor=actor,
        object_type="advocate_authority",
        customer_id=authority.customer_id,
    )


def change_scope(authority: AdvocateAuthority, scope: Scope, *, actor: User) -> None:
    """The customer changes what their advocate may do, instead of stopping them (DESIGN.md
    "Scoped advocates"; s6.1). Seeing the customer's records stays: that is what an
    advocate is; to take that away the customer stops the advocate."""
    authority.can_act = scope.can_act
    authority.receives_letter_copies = scope.receives_letter_copies
    audit.save_change(
        "advocate_scope_changed",
        authority,
        actor=actor,
        object_type="advocate_authority",
        customer_id=authority.customer_id,
        details={"can_act": scope.can_act, "copies": scope.receives_letter_copies},
    )


def authorities_of(customer_id: int) -> list[AdvocateAuthority]:
    return list(
        db.session.scalars(
            select(AdvocateAuthority)
            .where(AdvocateAuthority.customer_id == customer_id)
            .order_by(AdvocateAuthority.granted_at.desc())
        )
    )
