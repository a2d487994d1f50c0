"""What a customer (or their advocate) sees about their own contact restrictions."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Case, Customer, Letter, Restriction
from portal.models.vocab import LetterStatus, RestrictionStatus


@dataclass
class CustomerOverview:
    customer: Customer
    current_restrictions: list[Restriction]
    past_restrictions: list[Restriction]
    letters: list[Letter]

    @property
    def unread_letter_count(self) -> int:
        return sum(1 for letter in self.letters if letter.first_opened_at is None)


def build_customer_overview(customer: Customer, today: dt.date) -> CustomerOverview:
    """Only approved restrictions are shown: a proposal is not a decision until the review
    manager approves it (s3.4). Only issued letters are shown (s3.2 "in writing")."""
    restrictions = db.session.scalars(
        select(Restriction)
        .join(Case, Restriction.case_id == Case.id)
        .where(Case.customer_id == customer.id)
        .where(Restriction.status.not_in([RestrictionStatus.PROPOSED, RestrictionStatus.REJECTED]))
        .options(selectinload(Restriction.measures))
        .order_by(Restriction.starts_on.desc())
    ).all()
    current = [r for r in restrictions if r.status == RestrictionStatus.ACTIVE]
    past = [r for r in restrictions if r.status != RestrictionStatus.ACTIVE]
    letters = db.session.scalars(
        select(Letter)
        .where(Letter.customer_id == customer.id)
        .where(Letter.status.in_([LetterStatus.ISSUED, LetterStatus.SUPERSEDED]))
        .order_by(Letter.issued_at.desc())
    ).all()
    return CustomerOverview(customer, current, past, list(letters))
