"""The appeals director's history of decided appeals (s3.4) and reconsideration requests
(s4): once decided they leave the open queue, and are found here by outcome, date decided
and who decided (issue 15 item 6). Newest first, a page at a time, in a fixed number of
statements."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from wtforms import SelectField, SubmitField
from wtforms.validators import Optional

from portal.clock import LONDON
from portal.extensions import db
from portal.forms import DateInputField, PortalForm, Select, SubmitInput, options
from portal.models import Appeal, Customer, ReconsiderationRequest, User, UserRole
from portal.models.vocab import (
    APPEAL_DECISION_LABELS,
    RECONSIDERATION_DECISION_LABELS,
    AppealDecision,
    ChallengeStatus,
    ReconsiderationDecision,
    Role,
)
from portal.translations import lazy_gettext as _l

PER_PAGE = 25
KINDS = {"appeal": Appeal, "reconsideration": ReconsiderationRequest}
DECISIONS = {"appeal": AppealDecision, "reconsideration": ReconsiderationDecision}


def outcome_choices():
    """ "appeal:uphold", "reconsideration:no_change", ...: an outcome names its kind."""
    return options(
        [("", _l("All outcomes"))]
        + [
            (f"appeal:{d.value}", _l("Appeal: %(outcome)s", outcome=t))
            for d, t in APPEAL_DECISION_LABELS.items()
        ]
        + [
            (f"reconsideration:{d.value}", _l("Reconsideration: %(outcome)s", outcome=t))
            for d, t in RECONSIDERATION_DECISION_LABELS.items()
        ]
    )


def decider_choices():
    directors = db.session.scalars(
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.APPEALS_DIRECTOR)
        .order_by(User.display_name)
    ).all()
    return options([("", _l("Anyone"))] + [(str(u.id), u.display_name) for u in directors])


class DecidedFilterForm(PortalForm):
    """A plain GET form: bookmarkable, it changes nothing (no CSRF needed)."""

    class Meta:
        csrf = False

    outcome = SelectField(
        _l("Outcome"), choices=outcome_choices, widget=Select(), validate_choice=False
    )
    decided_from = DateInputField(_l("Decided on or after"), validators=[Optional()])
    decided_to = DateInputField(_l("Decided on or before"), validators=[Optional()])
    decided_by = SelectField(
        _l("Decided by"), choices=decider_choices, widget=Select(), validate_choice=False
    )
    submit = SubmitField(_l("Show decisions"), widget=SubmitInput())


@dataclass(frozen=True)
class Filters:
    outcome: str = ""  # "kind:value" or ""
    decided_from: dt.date | None = None
    decided_to: dt.date | None = None
    decided_by: int | None = None


@dataclass
class DecidedPage:
    rows: list  # (kind, challenge, customer), newest decision first
    total: int
    page: int
    pages: int


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=LONDON)


def _select(kind: str, filters: Filters):
    model = KINDS[kind]
    query = sa.select(
        sa.literal(kind, sa.String).label("kind"),
        model.id.label("id"),
        model.decided_at.label("decided_at"),
    ).where(model.status == ChallengeStatus.DECIDED)
    if filters.outcome:
        query = query.where(model.decision == DECISIONS[kind](filters.outcome.split(":", 1)[1]))
    if filters.decided_from:
        query = query.where(model.decided_at >= _start_of(filters.decided_from))
    if filters.decided_to:
        query = query.where(model.decided_at < _start_of(filters.decided_to + dt.timedelta(1)))
    if filters.decided_by:
        query = query.where(model.decided_by_id == filters.decided_by)
    return query


def decided(filters: Filters, page: int) -> DecidedPage:
    """One page of decisions matching the filters: a count, a page of ids, then the page's
    appeals and requests with their customers and deciders (four statements)."""
    kinds = [k for k in KINDS if not filters.outcome or filters.outcome.startswith(f"{k}:")]
    both = sa.union_all(*(_select(k, filters) for k in kinds)).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(both))
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    ids = db.session.execute(
        sa.select(both.c.kind, both.c.id)
        .order_by(both.c.decided_at.desc(), both.c.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    found = {}
    # One statement per kind whatever the page holds (issue 18: the same count at any size),
    # the decider joined in.
    for kind, model in KINDS.items():
        wanted = [i for k, i in ids if k == kind]
        for item, customer in db.session.execute(
            sa.select(model, Customer)
            .join(Customer, model.customer_id == Customer.id)
            .where(model.id.in_(wanted))
            # Only the decider's name is shown: their roles are not loaded.
            .options(joinedload(model.decided_by).raiseload(User.role_grants))
        ):
            found[kind, item.id] = (kind, item, customer)
    return DecidedPage([found[k, i] for k, i in ids], total, page, pages)


def filters_of(form: DecidedFilterForm) -> Filters:
    outcome = form.outcome.data or ""
    kind, _sep, value = outcome.partition(":")
    known = kind in KINDS and value in {d.value for d in DECISIONS[kind]}
    by = form.decided_by.data
    return Filters(
        outcome=outcome if known else "",
        decided_from=form.decided_from.data,
        decided_to=form.decided_to.data,
        decided_by=int(by) if by and by.isdigit() else None,
    )


def outcome_label(kind: str, decision) -> object:
    """The outcome as the filter names it ("Upheld", "No change")."""
    labels = APPEAL_DECISION_LABELS if kind == "appeal" else RECONSIDERATION_DECISION_LABELS
    return labels.get(decision, "")
