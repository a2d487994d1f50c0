"""A synthetic data set at a large landlord's scale (issue 18 item 1), for benchmarks and
for the tests that prove a page's work does not grow with the data.

``flask demo generate --customers 350000 --cases 20000`` adds, beside the demo data (so
every demo account can sign in and sees the generated work), customers with protected
characteristics, cases with incidents, restrictions and their measures, needs
considerations, reviews, escalations, appeals, reconsideration requests, ended calls,
referrals, and ``contacts_per_restriction`` contact-log rows for each restriction (about
8,000 restrictions and 2,000,000 contacts at full size). Rows go in by bulk inserts in
chunks, never all held at once. It may be run again: each run continues the numbering
after the rows already there.

Generated cases are worked by the demo staff: Olivia Carter and Sam Patel are their case
officers, Ravi Mehta approves and reviews, Helen Price decides appeals. Letters are not
generated (each needs its whole composed text in twelve languages); the demo customers'
own letters are the ones to open.
"""

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    Appeal,
    Case,
    ContactLogEntry,
    Customer,
    Escalation,
    Incident,
    NeedsConsideration,
    ProtectedCharacteristics,
    ReconsiderationRequest,
    Referral,
    Restriction,
    RestrictionMeasure,
    Review,
    TerminatedCall,
    User,
)
from portal.models.cases import IncidentBehaviour
from portal.models.vocab import (
    AgeBand,
    AppealDecision,
    BehaviourType,
    ChallengeStatus,
    ContactChannel,
    ContactFinding,
    EscalationKind,
    ReconsiderationDecision,
    ReconsiderationGround,
    ReferralKind,
    RestrictionOption,
    RestrictionStatus,
    ReviewFrequency,
    ReviewOutcome,
)

CHUNK = 10_000
YEARS_OF_HISTORY = 3
STAFF = {
    "officers": ("officer@example.com", "sam.patel@example.com"),
    "manager": "reviews@example.com",
    "director": "director@example.com",
}
FIRST_NAMES = (
    "Olivia Amelia Isla Ava Mia Ivy Lily Freya Grace Sophia Noah Oliver George Arthur Leo "
    "Muhammad Harry Oscar Jack Charlie Zofia Piotr Andrei Ioana Aisha Omar Priya Arjun Sade "
    "Kwame Tomasz Maria João Lucía Fatima Yusuf Rhys Carys Siân Dylan Amir Leila Bilal Nadia"
).split()
LAST_NAMES = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Nowak Kowalski Popescu Silva García Khan Ahmed Ali Begum Hussain Singh Kaur Osei Mensah "
    "Okafor Morgan Price Lloyd Kovalenko Shevchenko Rahman Chowdhury Farah Abdi"
).split()
OUTWARD_CODES = ("BS1", "BS2", "BS3", "BS4", "BS5", "BS6", "BS7", "BS13", "BS16", "BA1", "GL1")
GROUPS = {
    "age_band": [b.value for b in AgeBand],
    "disability": ["yes", "no", "prefer_not_to_say"],
    "sex": ["female", "male", "prefer_not_to_say"],
    "gender_reassignment": ["no", "yes", "prefer_not_to_say"],
    "ethnicity": ["white_british", "white_other", "black", "asian", "mixed", "other"],
    "religion_or_belief": ["none", "christian", "muslim", "hindu", "sikh", "jewish", "other"],
    "sexual_orientation": ["heterosexual", "gay_or_lesbian", "bisexual", "prefer_not_to_say"],
    "marriage_or_civil_partnership": ["single", "married", "civil_partnership", "widowed"],
    "pregnancy_or_maternity": ["no", "yes"],
}
# What the check found for a restricted customer's contact, and how often.
FINDINGS = (
    (ContactFinding.WITHIN_RESTRICTION, 70),
    (ContactFinding.WRONG_CHANNEL, 10),
    (ContactFinding.OVER_LIMIT, 10),
    (ContactFinding.EMERGENCY, 5),
    (ContactFinding.NEW_COMPLAINT, 5),
)
ROUTED = {ContactFinding.WRONG_CHANNEL, ContactFinding.OVER_LIMIT}


class DemoStaffMissing(LookupError):
    """The generated cases are worked by the demo staff: load the demo data first."""


@dataclass
class _Run:
    """One generation: the random source, today, the staff, and the next free ids."""

    rng: random.Random
    today: dt.date
    staff: dict[str, int]
    next_id: dict[str, int]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def start(self) -> dt.date:
        return self.today - dt.timedelta(days=365 * YEARS_OF_HISTORY)

    def take(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def at(self, day: dt.date) -> dt.datetime:
        hour, minute = self.rng.randrange(8, 18), self.rng.randrange(60)
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def _insert(run: _Run, model, rows: Iterable[dict]) -> None:
    """Bulk insert in chunks (executemany needs one shape: every row gets every key)."""
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        keys = {key for row in chunk for key in row}
        db.session.execute(
            sa.insert(model.__table__), [{key: row.get(key) for key in keys} for row in chunk]
        )
        run.counts[model.__tablename__] = run.counts.get(model.__tablename__, 0) + len(chunk)


def _staff_ids() -> dict[str, int]:
    emails = [*STAFF["officers"], STAFF["manager"], STAFF["director"]]
    rows = db.session.execute(sa.select(User.email, User.id).where(User.email.in_(emails)))
    ids = {email: user_id for email, user_id in rows}
    missing = sorted(set(emails) - set(ids))
    if missing:
        raise DemoStaffMissing(f"Load the demo data first (flask demo load): no {missing}")
    return ids


def _next_ids() -> dict[str, int]:
    models = (Customer, Case, Incident, NeedsConsideration, Restriction)
    return {
        model.__tablename__: (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
        for model in models
    }


def _customers(run: _Run, number: int) -> Iterator[dict]:
    for _ in range(number):
        customer_id = run.take("customers")
        inward = f"{run.rng.randrange(1, 10)}{run.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        inward += run.rng.choice("ABDEFGHJLNPQRSTUWXYZ")
        yield {
            "id": customer_id,
            "reference": f"SYN-{customer_id:08d}",
            "full_name": f"{run.rng.choice(FIRST_NAMES)} {run.rng.choice(LAST_NAMES)}",
            "postcode": f"{run.rng.choice(OUTWARD_CODES)} {inward}",
        }


def _characteristics(run: _Run, first_id: int, number: int, disabled: set[int]) -> Iterator:
    for customer_id in range(first_id, first_id + number):
        if run.rng.random() >= 0.7:
            continue
        row = {"customer_id": customer_id}
        for column, values in GROUPS.items():
            row[column] = run.rng.choice(values) if run.rng.random() < 0.9 else None
        if row["disability"] == "yes":
            disabled.add(customer_id)
        yield row


def _case_customers(run: _Run, first_id: int, customers: int, cases: int, disabled) -> list:
    """Who has a case: disabled customers more often, so the equality view has a flag."""
    chosen = run.rng.sample(range(first_id, first_id + customers), min(customers, cases * 2))
    picked = [c for c in chosen if c in disabled][: cases // 4]
    return picked + [c for c in chosen if c not in disabled][: cases - len(picked)]


@dataclass
class _Rows:
    """Every row of the generated cases, by model, before they are inserted."""

    by_model: dict = field(default_factory=dict)

    def add(self, model, row: dict) -> None:
        self.by_model.setdefault(model, []).append(row)


def _case(run: _Run, rows: _Rows, customer_id: int, restricted_chance: float) -> None:
    span = (run.today - run.start).days
    opened = run.start + dt.timedelta(days=run.rng.randrange(span))
    closed = opened + dt.timedelta(days=run.rng.randrange(30, 400))
    officer = run.staff[run.rng.choice(STAFF["officers"])]
    case_id = run.take("cases")
    rows.add(
        Case,
        {
            "id": case_id,
            "customer_id": customer_id,
            "reference": f"SYN-{case_id:08d}",
            "opened_at": run.at(opened),
            "opened_by_id": officer,
            "case_officer_id": officer,
            "closed_at": run.at(closed) if closed < run.today else None,
        },
    )
    _incidents(run, rows, case_id, opened, officer)
    _case_events(run, rows, case_id, opened, officer)
    if run.rng.random() < restricted_chance:
        _restriction(run, rows, case_id, customer_id, opened, officer)


def _incidents(run: _Run, rows: _Rows, case_id: int, opened: dt.date, officer: int) -> None:
    for _ in range(run.rng.randrange(1, 4)):
        incident_id = run.take("incidents")
        rows.add(
            Incident,
            {
                "id": incident_id,
                "case_id": case_id,
                "occurred_at": run.at(opened + dt.timedelta(days=run.rng.randrange(20))),
                "channel": ContactChannel.TELEPHONE,
                "description": "Shouted at the repairs call handler (synthetic).",
                "logged_by_id": officer,
            },
        )
        for behaviour in run.rng.sample(list(BehaviourType), run.rng.randrange(1, 3)):
            rows.add(IncidentBehaviour, {"incident_id": incident_id, "behaviour": behaviour})


def _case_events(run: _Run, rows: _Rows, case_id: int, opened: dt.date, officer: int) -> None:
    when = run.at(opened)
    if run.rng.random() < 0.05:
        rows.add(
            TerminatedCall,
            {
                "case_id": case_id,
                "ended_at": when,
                "ended_by_id": officer,
                "customer_warned_first": run.rng.random() < 0.8,
                "reason": "Abusive call (synthetic).",
            },
        )
    if run.rng.random() < 0.1:
        rows.add(
            Referral,
            {
                "case_id": case_id,
                "kind": ReferralKind.COMMUNITY_SAFETY,
                "reason": "Threats (synthetic).",
                "created_at": when,
                "created_by_id": officer,
            },
        )
    if run.rng.random() < 0.02:
        rows.add(
            Escalation,
            {
                "case_id": case_id,
                "kind": run.rng.choice(list(EscalationKind)),
                "reason": "Extreme threats (synthetic).",
                "proposed_by_id": officer,
                "created_at": when,
            },
        )


def _restriction(run: _Run, rows: _Rows, case_id, customer_id, opened, officer) -> None:
    restriction_id = run.take("restrictions")
    needs_id = run.take("needs_considerations")
    starts = opened + dt.timedelta(days=run.rng.randrange(10, 40))
    ends = starts + dt.timedelta(days=run.rng.choice([30, 60, 90, 120, 182]))
    if starts >= run.today:
        starts, ends = run.today - dt.timedelta(days=5), run.today + dt.timedelta(days=60)
    ended = ends < run.today
    manager = run.staff[STAFF["manager"]]
    rows.add(
        NeedsConsideration,
        {
            "id": needs_id,
            "case_id": case_id,
            "recorded_by_id": officer,
            "recorded_at": run.at(starts),
            "needs_summary": "No support needs recorded (synthetic).",
        },
    )
    rows.add(
        Restriction,
        {
            "id": restriction_id,
            "case_id": case_id,
            "status": RestrictionStatus.EXPIRED if ended else RestrictionStatus.ACTIVE,
            "starts_on": starts,
            "ends_on": ends,
            "review_frequency": ReviewFrequency.QUARTERLY,
            "next_review_on": ends,
            "reason": "Repeated abusive calls (synthetic).",
            "proposed_by_id": officer,
            "proposed_at": run.at(starts),
            "approved_by_id": manager,
            "approved_at": run.at(starts),
            "ended_at": run.at(ends) if ended else None,
            "needs_consideration_id": needs_id,
            "version_id": 1,
        },
    )
    rows.add(
        RestrictionMeasure,
        {
            "restriction_id": restriction_id,
            "option": RestrictionOption.SINGLE_CHANNEL,
            "permitted_channel": ContactChannel.EMAIL,
        },
    )
    _review(run, rows, restriction_id, starts, ends)
    _challenges(run, rows, restriction_id, customer_id, starts, officer)


def _review(run: _Run, rows: _Rows, restriction_id: int, starts, ends) -> None:
    due = starts + dt.timedelta(days=(ends - starts).days // 2)
    held = due + dt.timedelta(days=run.rng.randrange(-5, 10)) if due < run.today else None
    outcome = run.rng.choice(list(ReviewOutcome)) if held else None
    rows.add(
        Review,
        {
            "restriction_id": restriction_id,
            "due_on": due,
            "held_on": held,
            "reviewer_id": run.staff[STAFF["manager"]] if held else None,
            "behaviour_improved": (outcome == ReviewOutcome.LIFT) if held else None,
            "outcome": outcome,
            "explanation": "Not improved." if outcome == ReviewOutcome.KEEP else "",
            "new_ends_on": ends if outcome == ReviewOutcome.KEEP else None,
        },
    )


def _challenges(run: _Run, rows: _Rows, restriction_id, customer_id, starts, officer) -> None:
    submitted = starts + dt.timedelta(days=3)
    if submitted >= run.today:
        return
    common = {
        "customer_id": customer_id,
        "restriction_id": restriction_id,
        "submitted_by_id": officer,
        "submitted_at": run.at(submitted),
        "status": ChallengeStatus.DECIDED,
        "decision_reasons": "Considered (synthetic).",
        "decided_by_id": run.staff[STAFF["director"]],
    }
    if run.rng.random() < 0.15:
        decided = submitted + dt.timedelta(days=run.rng.randrange(3, 25))
        rows.add(
            Appeal,
            common
            | {
                "reference": f"SAP-{restriction_id:08d}",
                "grounds": "The restriction is unfair (synthetic).",
                "due_on": submitted + dt.timedelta(days=20),
                "decision": run.rng.choice(list(AppealDecision)),
                "decided_at": run.at(decided),
                "sla_met": decided <= submitted + dt.timedelta(days=20),
            },
        )
    if run.rng.random() < 0.1:
        decided = submitted + dt.timedelta(days=run.rng.randrange(3, 20))
        rows.add(
            ReconsiderationRequest,
            common
            | {
                "reference": f"SRC-{restriction_id:08d}",
                "ground": ReconsiderationGround.CHANGE_IN_CIRCUMSTANCES,
                "details": "My circumstances have changed (synthetic).",
                "answer_due_on": submitted + dt.timedelta(days=14),
                "decision": run.rng.choice(list(ReconsiderationDecision)),
                "decided_at": run.at(decided),
                "sla_met": decided <= submitted + dt.timedelta(days=14),
            },
        )


def _contacts(run: _Run, restrictions: list[dict], cases: dict, per_restriction: int):
    """About ``per_restriction`` contacts for each restriction, over its life so far;
    those over a limit or on the wrong channel are routed to the case officer."""
    findings, weights = zip(*FINDINGS, strict=True)
    for restriction in restrictions:
        case = cases[restriction["case_id"]]
        last = min(restriction["ends_on"], run.today)
        days = max((last - restriction["starts_on"]).days, 1)
        for finding in run.rng.choices(findings, weights, k=per_restriction):
            yield {
                "customer_id": case["customer_id"],
                "case_id": case["id"],
                "restriction_id": restriction["id"],
                "occurred_at": run.at(
                    restriction["starts_on"] + dt.timedelta(days=run.rng.randrange(days))
                ),
                "channel": run.rng.choice(list(ContactChannel)),
                "summary": "Asked about a repair (synthetic).",
                "finding": finding,
                "is_emergency": finding == ContactFinding.EMERGENCY,
                "is_new_complaint": finding == ContactFinding.NEW_COMPLAINT,
                "routed_to_user_id": case["case_officer_id"] if finding in ROUTED else None,
                "logged_by_id": case["case_officer_id"],
            }


def generate(
    customers: int,
    cases: int,
    *,
    today: dt.date,
    contacts_per_restriction: int = 250,
    seed: int = 18,
) -> dict[str, int]:
    """Add the data set beside the demo data and commit; returns rows added per table."""
    # Not for secrets: a seeded source, so the same arguments give the same data set.
    run = _Run(random.Random(seed), today, _staff_ids(), _next_ids())  # noqa: S311
    first_customer = run.next_id["customers"]
    disabled: set[int] = set()
    _insert(run, Customer, _customers(run, customers))
    _insert(
        run, ProtectedCharacteristics, _characteristics(run, first_customer, customers, disabled)
    )
    rows = _Rows()
    for customer_id in _case_customers(run, first_customer, customers, cases, disabled):
        _case(run, rows, customer_id, 0.55 if customer_id in disabled else 0.35)
    for model in (Case, Incident, IncidentBehaviour, NeedsConsideration, Restriction):
        _insert(run, model, rows.by_model.get(model, []))
    for model in (RestrictionMeasure, Review, Escalation, Appeal, ReconsiderationRequest):
        _insert(run, model, rows.by_model.get(model, []))
    _insert(run, TerminatedCall, rows.by_model.get(TerminatedCall, []))
    _insert(run, Referral, rows.by_model.get(Referral, []))
    case_rows = {row["id"]: row for row in rows.by_model.get(Case, [])}
    restrictions = rows.by_model.get(Restriction, [])
    _insert(run, ContactLogEntry, _contacts(run, restrictions, case_rows, contacts_per_restriction))
    db.session.commit()
    _analyse()
    return run.counts


def _analyse() -> None:
    """Fresh planner statistics, as after any bulk load; on PostgreSQL the visibility map
    too, as autovacuum leaves a table once it has settled, so that index-only scans are
    measured as a running landlord would see them, not as just after loading."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
