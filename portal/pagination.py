"""Lists that can grow are shown a page at a time (issue 15 item 9), with the GOV.UK
pagination component (templates/components/_pagination.html) and, where people expect it,
a choice of order.

Each page costs two statements whatever the list's length: one count, one page of rows
(tests/views/test_case_views.py counts the statements of list pages).
"""

import math
from dataclasses import dataclass

from flask import request, url_for
from sqlalchemy import func, select

from portal.extensions import db

PER_PAGE = 25


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, its number (from 1) and how many rows in all."""

    rows: list
    number: int
    per_page: int
    total: int
    param: str = "page"  # the address argument naming the page (two lists on one page)
    # True when the list was counted only up to a limit and holds more than ``total``.
    more_than_total: bool = False

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_shown(self) -> int:
        return 0 if self.total == 0 else (self.number - 1) * self.per_page + 1

    @property
    def last_shown(self) -> int:
        return min(self.total, self.number * self.per_page)

    @property
    def is_split(self) -> bool:
        return self.page_count > 1

    def numbers(self) -> list[int | None]:
        """The page numbers to link, GOV.UK style: first, last, and those either side of
        the current one; None where an ellipsis stands for pages left out."""
        wanted = {1, self.page_count, self.number - 1, self.number, self.number + 1}
        shown = sorted(n for n in wanted if 1 <= n <= self.page_count)
        numbers: list[int | None] = []
        for n in shown:
            if numbers and n - numbers[-1] > 1:
                numbers.append(None)
            numbers.append(n)
        return numbers


def requested_page(param: str = "page") -> int:
    """``?page=`` from the address; 1 for anything that is not a whole number from 1."""
    try:
        number = int(request.args.get(param, "1"))
    except ValueError:
        return 1
    return max(1, number)


def counted(statement, at_most: int | None = None) -> tuple[int, bool]:
    """How many rows ``statement`` selects, counted up to ``at_most`` when given, and
    whether there are more than that (the count then says ``at_most``)."""
    rows = statement.order_by(None)
    if at_most is not None:
        rows = rows.limit(at_most + 1)
    total = db.session.scalar(select(func.count()).select_from(rows.subquery()))
    if at_most is not None and total > at_most:
        return at_most, True
    return total, False


def paginate(
    statement,
    number: int | None = None,
    per_page: int = PER_PAGE,
    param: str = "page",
    count_at_most: int | None = None,
    counting=None,
) -> Page:
    """Run ``statement`` (ordered) for one page; a page past the end shows the last one.
    ``param`` names the page in the address when a page shows two lists.

    ``count_at_most`` bounds the count for a list that can grow without end (a single
    point of contact's routed contacts reach hundreds of thousands at a large landlord):
    counting them all on every visit took 300 ms (issue 18). The list then offers that
    many rows, pages of them, and says there are more.

    ``counting`` selects the same rows without what only adds columns (the case and the
    customer joined to each restriction): PostgreSQL scanned all 20,000 cases to count 148
    reviews due (5.6 ms, against 0.04 ms from the index alone; issue 18)."""
    number = requested_page(param) if number is None else number
    total, more = counted(statement if counting is None else counting, count_at_most)
    last = max(1, math.ceil(total / per_page))
    number = min(number, last)
    result = db.session.execute(statement.limit(per_page).offset((number - 1) * per_page))
    rows = result.all() if len(statement.column_descriptions) > 1 else result.scalars().all()
    return Page(list(rows), number, per_page, total, param, more)


def page_url(number: int, param: str = "page") -> str:
    """This page's address showing page ``number`` of the list named by ``param``,
    keeping its other arguments (the order chosen, another list's page) but not a one-off
    ``lang``."""
    args = {k: v for k, v in request.args.items() if k not in (param, "lang")}
    if number > 1:
        args[param] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def requested_order(choices: dict[str, object], default: str) -> str:
    """``?sort=`` when it names one of ``choices``, else ``default``."""
    chosen = request.args.get("sort", default)
    return chosen if chosen in choices else default
