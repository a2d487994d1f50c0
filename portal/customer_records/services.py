"""Finding customers, and what staff see when they open a customer's record."""

import re

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Case, Customer

SEARCH_LIMIT = 50
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$")


def normalise_postcode(text: str) -> str:
    """'bs14dj' -> 'BS1 4DJ' (the form stored on customers)."""
    compact = re.sub(r"\s+", "", text).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def search_customers(query: str) -> list[Customer]:
    """By name (any part), tenancy/customer reference, or postcode (whole or outward part)."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    like = f"%{query.lower()}%"
    conditions = [
        func.lower(Customer.full_name).like(like),
        func.lower(Customer.reference).like(like),
        func.replace(Customer.postcode, " ", "").like(
            f"{re.sub(r'[^A-Za-z0-9]', '', query).upper()}%"
        ),
    ]
    if _POSTCODE.match(query.upper()):
        conditions.append(Customer.postcode == normalise_postcode(query))
    return list(
        db.session.scalars(
            select(Customer)
            .where(or_(*conditions))
            .order_by(Customer.full_name)
            .limit(SEARCH_LIMIT)
        )
    )


def customer_record(customer_id: int) -> Customer | None:
    return db.session.scalar(
        select(Customer)
        .where(Customer.id == customer_id)
        .options(selectinload(Customer.advocate_authorities))
    )


def cases_for(customer_id: int) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case).where(Case.customer_id == customer_id).order_by(Case.opened_at.desc())
        )
    )
