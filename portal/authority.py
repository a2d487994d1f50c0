"""Who may see and act for which customer (s6.1; DESIGN.md "Beyond" 6): the customer
themself, and advocates whose authority is valid today — not revoked, not past its end
date — within its scope (view, act, receive copies of letters).

The one place every area asks: the customer's and the advocate's pages, appeals and
reconsideration requests, letters. A low module: it reads the models and nothing else,
and takes ``today`` from its caller, so a revoked or expired authority stops at once and
tests can set the day.
"""

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import AdvocateAuthority
from portal.models.vocab import Role


def valid_authorities_for(advocate_user_id: int, today: dt.date) -> list[AdvocateAuthority]:
    """Authorities not revoked and not expired; the rest grant nothing (s6.1)."""
    return list(
        db.session.scalars(
            select(AdvocateAuthority)
            .where(AdvocateAuthority.advocate_user_id == advocate_user_id)
            .where(AdvocateAuthority.revoked_at.is_(None))
            .where(
                or_(AdvocateAuthority.expires_on.is_(None), AdvocateAuthority.expires_on >= today)
            )
            .options(selectinload(AdvocateAuthority.customer))
            .order_by(AdvocateAuthority.granted_at)
        )
    )


def authority_for(
    user, customer_id: int, today: dt.date, *, to_act: bool = False
) -> AdvocateAuthority | None:
    """The advocate's valid authority for this customer, if its scope covers seeing (or,
    with ``to_act``, acting for) them."""
    if not user.has_role(Role.ADVOCATE):
        return None
    return next(
        (
            a
            for a in valid_authorities_for(user.id, today)
            if a.customer_id == customer_id and (a.can_act if to_act else a.can_view)
        ),
        None,
    )


def _own_customer_id(user) -> int | None:
    if user.has_role(Role.CUSTOMER) and user.customer:
        return user.customer.id
    return None


def customers_viewable_by(user, today: dt.date) -> set[int]:
    """The customer themself, and customers whose valid authority lets this advocate see
    their record (acting implies seeing: a table constraint says so)."""
    ids = {own} if (own := _own_customer_id(user)) is not None else set()
    if user.has_role(Role.ADVOCATE):
        ids |= {
            a.customer_id for a in valid_authorities_for(user.id, today) if a.can_view or a.can_act
        }
    return ids


def customers_actable_by(user, today: dt.date) -> set[int]:
    """The customer themself, and customers whose valid authority lets this advocate act
    for them (s6.1): appeal, ask for reconsideration, tell us their needs."""
    ids = {own} if (own := _own_customer_id(user)) is not None else set()
    if user.has_role(Role.ADVOCATE):
        ids |= {a.customer_id for a in valid_authorities_for(user.id, today) if a.can_act}
    return ids


class NotAuthorisedToAct(Exception):
    """Seeing a customer's record is not acting for them: every write made for a customer
    needs the customer themself or an advocate whose valid authority has the act scope
    (s6.1)."""


def may_act_for(user, customer_id: int, today: dt.date) -> bool:
    """Whether the person may change something for this customer (s6.1): pages offer a
    form only where this is true."""
    return customer_id in customers_actable_by(user, today)


def check_may_act_for(user, customer_id: int, today: dt.date) -> None:
    """For a service about to write for a customer: raise :class:`NotAuthorisedToAct`
    unless the person may act for them (s6.1)."""
    if not may_act_for(user, customer_id, today):
        raise NotAuthorisedToAct


def may_read_letters_of(user, customer_id: int, today: dt.date) -> bool:
    """The customer the letters are addressed to, and an advocate whose valid authority
    lets them see the customer's record or receive copies of their letters (s6.1)."""
    if _own_customer_id(user) == customer_id:
        return True
    return user.has_role(Role.ADVOCATE) and any(
        a.customer_id == customer_id and (a.can_view or a.receives_letter_copies)
        for a in valid_authorities_for(user.id, today)
    )
