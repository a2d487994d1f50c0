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

Privacy (UK GDPR Art. 9, DESIGN.md rule 4): only counts leave the database. A group with
fewer than ``SUPPRESS_BELOW`` customers is not shown at all, and a count of people with a
case or a restriction between 1 and ``SUPPRESS_BELOW - 1`` is shown as "fewer than 5". When
a column would then hide a single count, the smallest other count is hidden too, so the
hidden one cannot be worked out by subtraction from the total. "Prefer not to say" and
"not recorded" say nothing about anyone's characteristics and are always shown.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

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
from portal.models.vocab import AgeBand, AppealDecision, ChallengeStatus
from portal.reports.periods import Period
from portal.reports.population import open_during, restricted_during

SUPPRESS_BELOW = 5
MARKEDLY = 1.5  # restricted at least one and a half times as often as everyone

PREFER_NOT_TO_SAY = "prefer_not_to_say"
NOT_RECORDED = None

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
    PREFER_NOT_TO_SAY: _l("Prefer not to say"),
    NOT_RECORDED: _l("Not recorded"),
    AgeBand.UNDER_25.value: _l("Under 25"),
    AgeBand.FROM_25_TO_34.value: _l("25 to 34"),
    AgeBand.FROM_35_TO_44.value: _l("35 to 44"),
    AgeBand.FROM_45_TO_54.value: _l("45 to 54"),
    AgeBand.FROM_55_TO_64.value: _l("55 to 64"),
    AgeBand.FROM_65_TO_74.value: _l("65 to 74"),
    AgeBand.FROM_75.value: _l("75 and over"),
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
        return GROUP_LABELS.get(self.value, self.value)

    @property
    def is_special(self) -> bool:
        return self.value in (PREFER_NOT_TO_SAY, NOT_RECORDED)

    @property
    def hidden(self) -> bool:
        """The whole group is too small to show."""
        return not self.customers.shown

    @property
    def markedly_more_restricted(self) -> bool:
        return self.restriction_ratio is not None and self.restriction_ratio >= MARKEDLY


@dataclass
class CharacteristicBreakdown:
    key: str
    groups: list[GroupRow]
    hidden_groups: int = 0

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
    return Totals(
        customers=db.session.scalar(select(func.count(Customer.id))) or 0,
        with_case=db.session.scalar(
            select(func.count()).select_from(_customers_with_case(period).subquery())
        )
        or 0,
        restricted=db.session.scalar(
            select(func.count()).select_from(_customers_restricted(period).subquery())
        )
        or 0,
    )


def _group_counts(column, people) -> dict:
    """{group value: count} of the customers in ``people`` (a subquery of ids), with the
    customers who have no characteristics row counted as not recorded."""
    rows = db.session.execute(
        select(column, func.count())
        .select_from(people)
        .outerjoin(
            ProtectedCharacteristics,
            ProtectedCharacteristics.customer_id == people.c.customer_id,
        )
        .group_by(column)
    ).all()
    counts: dict = {}
    for value, count in rows:
        counts[value] = counts.get(value, 0) + count
    return counts


def _base_counts(column, total_customers: int) -> dict:
    rows = db.session.execute(
        select(column, func.count()).select_from(ProtectedCharacteristics).group_by(column)
    ).all()
    counts = {value: count for value, count in rows if value is not None}
    counts[NOT_RECORDED] = total_customers - sum(counts.values())
    return counts


def _ratio(part: int, whole: int, everyone_part: int, everyone_whole: int) -> float | None:
    if not whole or not everyone_part or not everyone_whole:
        return None
    return (part / whole) / (everyone_part / everyone_whole)


def _suppress_small_cells(groups: list[GroupRow], attribute: str) -> None:
    cells = [getattr(g, attribute) for g in groups]
    for group, cell in zip(groups, cells, strict=True):
        if group.hidden or (not group.is_special and 0 < cell.value < SUPPRESS_BELOW):
            cell.shown = False
    hidden = [c for g, c in zip(groups, cells, strict=True) if not c.shown and c.value > 0]
    if len(hidden) == 1:
        # Secondary suppression: one hidden count could be found by subtraction.
        candidates = [c for g, c in zip(groups, cells, strict=True) if c.shown and not g.is_special]
        if candidates:
            min(candidates, key=lambda c: c.value).shown = False


AGE_ORDER = {band.value: position for position, band in enumerate(AgeBand)}


def _group_order(item):
    value = item[0]
    return (value in (PREFER_NOT_TO_SAY, None), AGE_ORDER.get(value, 99), value or "~")


def breakdown(key: str, period: Period, totals: Totals) -> CharacteristicBreakdown:
    """One characteristic's groups against the customer base (s6.3)."""
    if key not in CHARACTERISTICS:
        raise UnknownCharacteristic(key)
    column = getattr(ProtectedCharacteristics, key)
    base = _base_counts(column, totals.customers)
    with_case = _group_counts(column, _customers_with_case(period).subquery())
    restricted = _group_counts(column, _customers_restricted(period).subquery())
    groups = []
    for value, customers in sorted(base.items(), key=_group_order):
        if customers == 0 and value is NOT_RECORDED:
            continue
        large_enough = value in (PREFER_NOT_TO_SAY, NOT_RECORDED) or customers >= SUPPRESS_BELOW
        row = GroupRow(
            value,
            Count(customers, shown=large_enough),
            Count(with_case.get(value, 0)),
            Count(restricted.get(value, 0)),
        )
        groups.append(row)
    for attribute in ("with_case", "restricted"):
        _suppress_small_cells(groups, attribute)
    for row in groups:
        if row.with_case.shown and not row.hidden:
            row.case_ratio = _ratio(
                row.with_case.value, row.customers.value, totals.with_case, totals.customers
            )
        if row.restricted.shown and not row.hidden:
            row.restriction_ratio = _ratio(
                row.restricted.value, row.customers.value, totals.restricted, totals.customers
            )
    shown = [g for g in groups if not g.hidden]
    return CharacteristicBreakdown(key, shown, hidden_groups=len(groups) - len(shown))


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
    period: Period, characteristic: str | None = None, *, with_names: bool = False
) -> EqualityView:
    """The equality monitoring view for a period: every characteristic, or just one."""
    keys = list(CHARACTERISTICS) if characteristic is None else [characteristic]
    if characteristic is not None and characteristic not in CHARACTERISTICS:
        raise UnknownCharacteristic(characteristic)
    totals = _totals(period)
    view = EqualityView(period, totals)
    view.breakdowns = [breakdown(key, period, totals) for key in keys]
    view.decision_makers = decision_makers(period, with_names=with_names)
    return view
