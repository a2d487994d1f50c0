"""Equality monitoring (policy s6.2–6.3; DESIGN.md rule 11 and "Beyond" 9).

Policy sections: s6.3 "consider the effect of the policy regarding the recognised
protected characteristics ... and ensure that it does not unfairly impact any individual
or group"; s6.2 the periodic Equality Impact Assessment; s3.4 appeals, whose overturn
rate per decision-maker shows whose decisions do not stand up.

For each protected characteristic the view compares, group by group, the share of the
whole customer base with the share of customers who had a case, and who had a restriction
in force, in the period. The ratio is the group's rate over everyone's rate: 1 means in
proportion, 2 means twice as often. A group restricted at least ``MARKEDLY`` times as often
is flagged in plain words.

Privacy (UK GDPR Art. 9, DESIGN.md rule 4): only counts leave the database, and every count
goes through portal/reports/disclosure.py (primary suppression of 1 to 4, secondary
suppression of the next smallest in the same column) before any output sees it. Groups with
fewer than ``SUPPRESS_BELOW`` customers are combined into one row, so their names do not
point at anyone; "Prefer not to say" and "Not recorded" are shown as groups, their counts
protected like any other. A ratio or share is shown only when the counts it comes from are.
"""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select, tuple_

from portal.extensions import db
from portal.models import (
    Appeal,
    Case,
    ComplaintRefusal,
    Customer,
    ProtectedCharacteristics,
    Restriction,
    User,
)
from portal.models.equality_answers import answer_label
from portal.models.vocab import AgeBand, AppealDecision, ChallengeStatus
from portal.reports import disclosure
from portal.reports.equality import kept
from portal.reports.equality.ages import age_band
from portal.reports.periods import Period
from portal.reports.population import open_during, restricted_during
from portal.translations import lazy_gettext as _l

SUPPRESS_BELOW = disclosure.THRESHOLD
MARKEDLY = 1.5  # restricted at least one and a half times as often as everyone

PREFER_NOT_TO_SAY = "prefer_not_to_say"
NOT_RECORDED = None
SMALL_GROUPS = "~small_groups"  # the groups too small to name, combined

# The characteristics of s6.3, in the policy's order, with the column each is kept in.
CHARACTERISTICS = {
    "age_band": _l("Age"),
    "disability": _l("Disability"),
    "sex": _l("Sex"),
    "gender_reassignment": _l("Gender reassignment"),
    "ethnicity": _l("Race or ethnicity"),
    "religion_or_belief": _l("Religion or belief"),
    "sexual_orientation": _l("Sexual orientation"),
    "marriage_or_civil_partnership": _l("Marriage or civil partnership"),
    "pregnancy_or_maternity": _l("Pregnancy or maternity"),
}

GROUP_LABELS = {
    NOT_RECORDED: _l("Not recorded"),
    SMALL_GROUPS: _l(
        "Other answers, combined (each fewer than %(threshold)s customers)",
        threshold=SUPPRESS_BELOW,
    ),
}


class UnknownCharacteristic(ValueError):
    """Not one of the protected characteristics of s6.3."""


@dataclass
class Count:
    """A count as it may be shown: ``None`` when suppressed."""

    value: int

    shown: bool = True

    @property
    def display(self) -> int | None:
        return self.value if self.shown else None


@dataclass
class GroupRow:
    value: str | None
    customers: Count
    with_case: Count
    restricted: Count
    case_ratio: float | None = None
    restriction_ratio: float | None = None

    @property
    def label(self):
        if self.value in GROUP_LABELS:
            return GROUP_LABELS[self.value]
        return answer_label(self.value)

    @property
    def markedly_more_restricted(self) -> bool:
        return self.restriction_ratio is not None and self.restriction_ratio >= MARKEDLY


@dataclass
class CharacteristicBreakdown:
    key: str
    groups: list[GroupRow]
    totals: list[Count] = field(default_factory=list)  # customers, with a case, restricted
    combined_groups: int = 0

    @property
    def title(self):
        return CHARACTERISTICS[self.key]

    @property
    def flagged(self) -> list[GroupRow]:
        return [g for g in self.groups if g.markedly_more_restricted]


@dataclass
class Totals:
    customers: int
    with_case: int
    restricted: int


@dataclass
class DecisionMakerRow:
    user_id: int
    name: str
    decided: int
    upheld: int
    varied: int
    overturned: int

    @property
    def overturn_rate(self) -> float | None:
        return self.overturned / self.decided if self.decided else None


@dataclass
class EqualityView:
    period: Period
    totals: Totals
    breakdowns: list[CharacteristicBreakdown] = field(default_factory=list)
    decision_makers: list[DecisionMakerRow] = field(default_factory=list)
    # When a closed period's counts were worked out and kept (equality/kept.py), or None.
    worked_out_at: dt.datetime | None = None


def _customers_with_case(period: Period):
    return select(Case.customer_id).where(open_during(period)).distinct()


def _customers_restricted(period: Period):
    return (
        select(Case.customer_id)
        .join(Restriction, Restriction.case_id == Case.id)
        .where(restricted_during(period))
        .distinct()
    )


def _totals(period: Period) -> Totals:
    """How many customers there are, and how many had a case or a restriction in force."""
    return Totals(
        db.session.scalar(select(func.count(Customer.id))) or 0,
        db.session.scalar(select(func.count()).select_from(_customers_with_case(period).subquery()))
        or 0,
        db.session.scalar(
            select(func.count()).select_from(_customers_restricted(period).subquery())
        )
        or 0,
    )


def _counted_rows(keys: list[str], period: Period):
    """The grouped counts of each characteristic in ``keys``: one statement whose rows are
    (the characteristic's columns..., customers, with a case, restricted, which key).

    Each characteristic is a grouping set of one statement on PostgreSQL, so the join of
    every customer with their answers and the period's cases is made once, not once per
    characteristic: nine passes over 350,000 customers took 2.1 s (issue 18). SQLite has
    no GROUPING SETS, and there each characteristic is its own statement."""
    with_case = _customers_with_case(period).subquery()
    restricted = _customers_restricted(period).subquery()

    def grouping(key):
        column = getattr(ProtectedCharacteristics, key)
        return (column, Customer.date_of_birth) if key == "age_band" else (column,)

    def counted(*columns):
        return (
            select(
                *columns,
                func.count(Customer.id),
                func.count(with_case.c.customer_id),
                func.count(restricted.c.customer_id),
            )
            .select_from(Customer)
            .outerjoin(
                ProtectedCharacteristics, ProtectedCharacteristics.customer_id == Customer.id
            )
            # Each subquery holds a customer at most once (DISTINCT): none is counted twice.
            .outerjoin(with_case, with_case.c.customer_id == Customer.id)
            .outerjoin(restricted, restricted.c.customer_id == Customer.id)
        )

    if db.engine.dialect.name != "postgresql" or len(keys) == 1:
        for key in keys:
            for row in db.session.execute(counted(*grouping(key)).group_by(*grouping(key))):
                yield key, row[:-3], row[-3:]
        return
    columns = [column for key in keys for column in grouping(key)]
    # GROUPING(column) is 0 in the rows of the set that groups by that column.
    flags = [func.grouping(grouping(key)[0]) for key in keys]
    statement = counted(*columns, *flags).group_by(
        func.grouping_sets(*(tuple_(*grouping(key)) for key in keys))
    )
    for row in db.session.execute(statement):
        values, flag_values, cells = row[: len(columns)], row[len(columns) : -3], row[-3:]
        key = keys[list(flag_values).index(0)]
        start = columns.index(grouping(key)[0])
        yield key, values[start : start + len(grouping(key))], cells


def _group_counts(keys: list[str], period: Period) -> dict[str, dict]:
    """{key: {answer: [customers, with a case, restricted]}} for each characteristic,
    counted by the database (``None``: not recorded); for age, the band on the period's
    last day (equality/ages.py), from groups of the same recorded band and date of birth.

    Counted in SQL, not by loading every customer's answer: at 350,000 customers the view
    read three million rows into Python and took over ten seconds (issue 18)."""
    counts: dict[str, dict] = {key: {} for key in keys}
    for key, values, cells in _counted_rows(keys, period):
        if key == "age_band":
            value = age_band(values[1], values[0], period.end)
        else:
            value = None if values[0] is None else str(values[0])
        total = counts[key].setdefault(value, [0, 0, 0])
        for position, count in enumerate(cells):
            total[position] += count
    return counts


def _ratio(part: Count, whole: Count, everyone_part: int, everyone_whole: int) -> float | None:
    """The group's rate over everyone's; only when both its counts are shown."""
    if not (part.shown and whole.shown) or not whole.value:
        return None
    if not everyone_part or not everyone_whole:
        return None
    return (part.value / whole.value) / (everyone_part / everyone_whole)


AGE_ORDER = {band.value: position for position, band in enumerate(AgeBand)}
RANK = {SMALL_GROUPS: 1, PREFER_NOT_TO_SAY: 2, NOT_RECORDED: 3}


def _group_order(item):
    value = item[0]
    return (RANK.get(value, 0), AGE_ORDER.get(value, 99), value or "~")


def _grouped(counts: dict) -> tuple[list, int]:
    """[(group, [customers, with a case, restricted])] in order, the groups with fewer than
    ``SUPPRESS_BELOW`` customers combined into one; and how many were combined."""
    combined, small = [0, 0, 0], 0
    for value in [v for v in counts if v not in RANK]:
        if counts[value][0] < SUPPRESS_BELOW:
            combined = [a + b for a, b in zip(combined, counts.pop(value), strict=True)]
            small += 1
    if small:
        counts[SMALL_GROUPS] = combined
    return sorted(counts.items(), key=_group_order), small


def breakdown(
    key: str, period: Period, totals: Totals, counts: dict | None = None
) -> CharacteristicBreakdown:
    """One characteristic's groups against the customer base (s6.3), every count
    protected by disclosure.protect; ``counts`` are its groups' counts when already
    counted with the other characteristics'."""
    if key not in CHARACTERISTICS:
        raise UnknownCharacteristic(key)
    if counts is None:
        counts = _group_counts([key], period)[key]
    groups, small = _grouped(counts)
    table = disclosure.protect([cells for _value, cells in groups])
    rows = []
    for r, (value, cells) in enumerate(groups):
        row = GroupRow(value, *(Count(v, not table.is_hidden(r, c)) for c, v in enumerate(cells)))
        row.case_ratio = _ratio(row.with_case, row.customers, totals.with_case, totals.customers)
        row.restriction_ratio = _ratio(
            row.restricted, row.customers, totals.restricted, totals.customers
        )
        rows.append(row)
    column_sums = [sum(cells[c] for _value, cells in groups) for c in range(3)]
    published = [
        Count(total, shown=shown is not None)
        for total, shown in zip(column_sums, table.column_totals or (0, 0, 0), strict=True)
    ]
    return CharacteristicBreakdown(key, rows, published, combined_groups=small)


def decision_makers(period: Period, *, with_names: bool) -> list[DecisionMakerRow]:
    """Appeals decided in the period by who made the decision appealed against: the review
    manager who approved the restriction, or who refused the complaint (s3.4). Without
    names (leadership sees aggregates only), people are numbered instead."""
    maker = func.coalesce(Restriction.approved_by_id, ComplaintRefusal.decided_by_id)
    rows = db.session.execute(
        select(
            maker.label("maker"),
            func.count(Appeal.id),
            *(
                func.count(Appeal.id).filter(Appeal.decision == decision)
                for decision in AppealDecision
            ),
        )
        .outerjoin(Restriction, Appeal.restriction_id == Restriction.id)
        .outerjoin(ComplaintRefusal, Appeal.complaint_refusal_id == ComplaintRefusal.id)
        .where(
            Appeal.status == ChallengeStatus.DECIDED,
            Appeal.decided_at >= period.starts_at,
            Appeal.decided_at < period.ends_before,
        )
        .group_by(maker)
        .order_by(maker)
    ).all()
    names = {}
    if with_names and rows:
        names = dict(
            db.session.execute(
                select(User.id, User.display_name).where(User.id.in_([r[0] for r in rows]))
            ).all()
        )
    result = []
    for number, (user_id, decided, upheld, varied, overturned) in enumerate(rows, start=1):
        name = names.get(user_id) or str(_l("Decision-maker %(number)s", number=number))
        result.append(DecisionMakerRow(user_id, name, decided, upheld, varied, overturned))
    return result


def build_equality_view(
    period: Period,
    characteristic: str | None = None,
    *,
    with_names: bool = False,
    today: dt.date,
) -> EqualityView:
    """The equality monitoring view for a period: every characteristic, or just one. Every
    characteristic is counted (one pass on PostgreSQL) so that a closed period's counts are
    kept whole, whichever was asked for first."""
    keys = list(CHARACTERISTICS) if characteristic is None else [characteristic]
    if characteristic is not None and characteristic not in CHARACTERISTICS:
        raise UnknownCharacteristic(characteristic)

    def work_out():
        totals = _totals(period)
        counted = (totals.customers, totals.with_case, totals.restricted)
        return counted, _group_counts(list(CHARACTERISTICS), period)

    totals, counts, worked_out_at = kept.counted(period, work_out, today=today)
    view = EqualityView(period, Totals(*totals), worked_out_at=worked_out_at)
    view.breakdowns = [breakdown(key, period, view.totals, counts[key]) for key in keys]
    view.decision_makers = decision_makers(period, with_names=with_names)
    return view
