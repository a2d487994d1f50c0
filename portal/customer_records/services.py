"""Finding customers, and what staff see when they open a customer's record."""

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal import pagination
from portal.extensions import db
from portal.models import Case, Customer

SEARCH_LIMIT = 50
# Matches are counted up to here: a common surname matches thousands at a large landlord,
# and counting them all took 12 ms a keystroke for a number nobody needs (issue 18).
COUNTED_AT_MOST = 1000
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$")


def normalise_postcode(text: str) -> str:
    """'bs14dj' -> 'BS1 4DJ' (the form stored on customers)."""
    compact = re.sub(r"\s+", "", text).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


@dataclass(frozen=True)
class SearchResults:
    """The first SEARCH_LIMIT customers found, and how many were found in all, so the
    page can say when there are more and ask for a narrower search (issue 15 item 9: a
    search is a POST, keeping names out of addresses, so it is refined, not paged)."""

    customers: list[Customer]
    total: int
    more_than_total: bool = False  # counted only up to ``total``, and there are more

    @property
    def is_cut(self) -> bool:
        return self.total > len(self.customers)


def search_customers(query: str) -> SearchResults:
    """By name (any part), tenancy/customer reference, or postcode (whole or outward part).
    Two statements whatever the number found: the count and the first SEARCH_LIMIT."""
    query = (query or "").strip()
    if len(query) < 2:
        return SearchResults([], 0)
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
    matching = or_(*conditions)
    in_order = (Customer.full_name, Customer.id)
    # The first matches' ids first, then their rows: for a common name the ids come from
    # the name index alone (ix_customers_by_name holds what is matched), and only the
    # rows shown are read (issue 18).
    first = select(Customer.id).where(matching).order_by(*in_order).limit(SEARCH_LIMIT)
    customers = list(
        db.session.scalars(select(Customer).where(Customer.id.in_(first)).order_by(*in_order))
    )
    if len(customers) < SEARCH_LIMIT:
        return SearchResults(customers, len(customers))
    total, more = pagination.counted(select(Customer.id).where(matching), COUNTED_AT_MOST)
    return SearchResults(customers, total, more_than_total=more)


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
