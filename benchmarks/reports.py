"""Reports on a large synthetic data set (issue 8): the annual report and the equality view.

Generates, by bulk inserts, N customers (default 350,000; 70% with protected
characteristics), M cases (default 20,000) with incidents, restrictions and their measures,
reviews, escalations, appeals, reconsideration requests, calls ended and referrals, spread
over three financial years; then times, as the median of a few runs:
  * the annual report for the last complete financial year (with its comparison year),
  * the equality view for the same year (all nine characteristics, and appeal overturn
    rates per decision-maker),
against baselines in the same run: ``SELECT count(*)`` on cases and on customers.
On SQLite (a temporary file) and, when PostgreSQL 15 binaries exist, on a private cluster
started in a temporary folder on a free port (the test rig's, tests/pg_server.py) and
stopped afterwards.
Run: .venv/bin/python benchmarks/reports.py [--customers 350000] [--cases 20000] [-n 3]
"""

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import (  # noqa: E402
    Appeal,
    Case,
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
from portal.models.cases import IncidentBehaviour  # noqa: E402
from portal.models.vocab import (  # noqa: E402
    AgeBand,
    AppealDecision,
    BehaviourType,
    ChallengeStatus,
    ContactChannel,
    EscalationKind,
    ReconsiderationDecision,
    ReconsiderationGround,
    ReferralKind,
    RestrictionOption,
    RestrictionStatus,
    ReviewFrequency,
    ReviewOutcome,
)
from portal.reports.annual.figures import build_annual_report  # noqa: E402
from portal.reports.equality.monitoring import build_equality_view  # noqa: E402
from portal.reports.periods import last_financial_year  # noqa: E402
from tests.databases import migrate_to_head  # noqa: E402
from tests.pg_server import PostgresUnavailable, PrivateCluster  # noqa: E402

TODAY = dt.date(2026, 11, 28)
CHUNK = 10_000
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


def at(day: dt.date, rng) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randrange(8, 18)), tzinfo=dt.UTC)


def insert(table, rows) -> None:
    """Bulk insert; every row gets the same keys (executemany needs one shape)."""
    keys = {key for row in rows for key in row}
    rows = [{key: row.get(key) for key in keys} for row in rows]
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(table), rows[start : start + CHUNK])


def generate(customers: int, cases: int, seed: int = 8) -> None:  # noqa: C901 - one linear pass writing synthetic rows, read top to bottom; issue 18 replaces it
    rng = random.Random(seed)
    start = dt.date(2023, 4, 1)
    span = (TODAY - start).days
    staff = [
        {"id": i, "email": f"staff{i}@example.com", "display_name": f"Staff {i}"}
        for i in range(1, 9)
    ]
    insert(User.__table__, staff)
    officers, managers, director = [1, 2, 3, 4], [5, 6, 7], 8
    insert(
        Customer.__table__,
        [
            {
                "id": i,
                "reference": f"C-{i:07d}",
                "full_name": f"Customer {i}",
                "postcode": "BS1 4DJ",
            }
            for i in range(1, customers + 1)
        ],
    )
    characteristics, disabled = [], set()
    for i in range(1, customers + 1):
        if rng.random() < 0.7:
            row = {"customer_id": i}
            for column, values in GROUPS.items():
                row[column] = rng.choice(values) if rng.random() < 0.9 else None
            if row["disability"] == "yes":
                disabled.add(i)
            characteristics.append(row)
    insert(ProtectedCharacteristics.__table__, characteristics)
    # Cases: disabled customers are picked more often, so the equality view has a flag.
    chosen = rng.sample(range(1, customers + 1), cases * 2)
    case_customers = [c for c in chosen if c in disabled][: cases // 4]
    case_customers += [c for c in chosen if c not in disabled][: cases - len(case_customers)]
    case_rows, incident_rows, behaviour_rows = [], [], []
    needs_rows, restriction_rows, measure_rows, review_rows = [], [], [], []
    appeal_rows, request_rows, call_rows, referral_rows, escalation_rows = [], [], [], [], []
    behaviours = list(BehaviourType)
    incident_id = restriction_id = 0
    for case_id, customer_id in enumerate(case_customers, start=1):
        opened = start + dt.timedelta(days=rng.randrange(span))
        closed = opened + dt.timedelta(days=rng.randrange(30, 400))
        officer = rng.choice(officers)
        case_rows.append(
            {
                "id": case_id,
                "customer_id": customer_id,
                "reference": f"MB-{case_id:07d}",
                "opened_at": at(opened, rng),
                "opened_by_id": officer,
                "case_officer_id": officer,
                "closed_at": at(closed, rng) if closed < TODAY else None,
            }
        )
        for _ in range(rng.randrange(1, 4)):
            incident_id += 1
            incident_rows.append(
                {
                    "id": incident_id,
                    "case_id": case_id,
                    "occurred_at": at(opened + dt.timedelta(days=rng.randrange(0, 20)), rng),
                    "channel": ContactChannel.TELEPHONE,
                    "description": "Synthetic incident.",
                    "logged_by_id": officer,
                }
            )
            for behaviour in rng.sample(behaviours, rng.randrange(1, 3)):
                behaviour_rows.append({"incident_id": incident_id, "behaviour": behaviour})
        if rng.random() < 0.05:
            call_rows.append(
                {
                    "case_id": case_id,
                    "ended_at": at(opened, rng),
                    "ended_by_id": officer,
                    "customer_warned_first": rng.random() < 0.8,
                    "reason": "Abusive call.",
                }
            )
        if rng.random() < 0.1:
            referral_rows.append(
                {
                    "case_id": case_id,
                    "kind": ReferralKind.COMMUNITY_SAFETY,
                    "reason": "Threats.",
                    "created_at": at(opened, rng),
                    "created_by_id": officer,
                }
            )
        if rng.random() < 0.02:
            escalation_rows.append(
                {
                    "case_id": case_id,
                    "kind": rng.choice(list(EscalationKind)),
                    "reason": "Extreme threats.",
                    "proposed_by_id": officer,
                    "created_at": at(opened, rng),
                }
            )
        restricted_chance = 0.55 if customer_id in disabled else 0.35
        if rng.random() >= restricted_chance:
            continue
        restriction_id += 1
        starts = opened + dt.timedelta(days=rng.randrange(10, 40))
        ends = starts + dt.timedelta(days=rng.choice([30, 60, 90, 120, 182]))
        if starts >= TODAY:
            starts, ends = TODAY - dt.timedelta(days=5), TODAY + dt.timedelta(days=60)
        manager = rng.choice(managers)
        ended = ends < TODAY
        needs_rows.append(
            {
                "id": restriction_id,
                "case_id": case_id,
                "recorded_by_id": officer,
                "recorded_at": at(starts, rng),
                "needs_summary": "Synthetic needs.",
            }
        )
        restriction_rows.append(
            {
                "id": restriction_id,
                "case_id": case_id,
                "status": RestrictionStatus.EXPIRED if ended else RestrictionStatus.ACTIVE,
                "starts_on": starts,
                "ends_on": ends,
                "review_frequency": ReviewFrequency.QUARTERLY,
                "next_review_on": ends,
                "reason": "Synthetic reason.",
                "proposed_by_id": officer,
                "proposed_at": at(starts, rng),
                "approved_by_id": manager,
                "approved_at": at(starts, rng),
                "ended_at": at(ends, rng) if ended else None,
                "needs_consideration_id": restriction_id,
                "version_id": 1,
            }
        )
        measure_rows.append(
            {
                "restriction_id": restriction_id,
                "option": RestrictionOption.SINGLE_CHANNEL,
                "permitted_channel": ContactChannel.EMAIL,
            }
        )
        if rng.random() < 0.3:
            measure_rows.append(
                {
                    "restriction_id": restriction_id,
                    "option": RestrictionOption.PREMISES_BARRED,
                    "barred_premises": "Central office",
                }
            )
        due = starts + dt.timedelta(days=(ends - starts).days // 2)
        held = due + dt.timedelta(days=rng.randrange(-5, 10)) if due < TODAY else None
        outcome = rng.choice(list(ReviewOutcome)) if held else None
        review_rows.append(
            {
                "restriction_id": restriction_id,
                "due_on": due,
                "held_on": held,
                "reviewer_id": manager if held else None,
                "behaviour_improved": (outcome == ReviewOutcome.LIFT) if held else None,
                "outcome": outcome,
                "explanation": "Not improved." if outcome == ReviewOutcome.KEEP else "",
                "new_ends_on": ends if outcome == ReviewOutcome.KEEP else None,
            }
        )
        submitted = starts + dt.timedelta(days=3)
        if rng.random() < 0.15 and submitted < TODAY:
            decided = submitted + dt.timedelta(days=rng.randrange(3, 25))
            appeal_rows.append(
                {
                    "reference": f"AP-{restriction_id:07d}",
                    "customer_id": customer_id,
                    "restriction_id": restriction_id,
                    "grounds": "Synthetic grounds.",
                    "submitted_by_id": officer,
                    "submitted_at": at(submitted, rng),
                    "status": ChallengeStatus.DECIDED,
                    "due_on": submitted + dt.timedelta(days=20),
                    "decision": rng.choice(list(AppealDecision)),
                    "decision_reasons": "Considered.",
                    "decided_by_id": director,
                    "decided_at": at(decided, rng),
                    "sla_met": decided <= submitted + dt.timedelta(days=20),
                }
            )
        if rng.random() < 0.1 and submitted < TODAY:
            decided = submitted + dt.timedelta(days=rng.randrange(3, 20))
            request_rows.append(
                {
                    "reference": f"RC-{restriction_id:07d}",
                    "customer_id": customer_id,
                    "restriction_id": restriction_id,
                    "ground": ReconsiderationGround.CHANGE_IN_CIRCUMSTANCES,
                    "details": "Synthetic details.",
                    "submitted_by_id": officer,
                    "submitted_at": at(submitted, rng),
                    "answer_due_on": submitted + dt.timedelta(days=14),
                    "status": ChallengeStatus.DECIDED,
                    "decision": rng.choice(list(ReconsiderationDecision)),
                    "decision_reasons": "Considered.",
                    "decided_by_id": director,
                    "decided_at": at(decided, rng),
                    "sla_met": decided <= submitted + dt.timedelta(days=14),
                }
            )
    for model, rows in (
        (Case, case_rows),
        (Incident, incident_rows),
        (IncidentBehaviour, behaviour_rows),
        (NeedsConsideration, needs_rows),
        (Restriction, restriction_rows),
        (RestrictionMeasure, measure_rows),
        (Review, review_rows),
        (Escalation, escalation_rows),
        (Appeal, appeal_rows),
        (ReconsiderationRequest, request_rows),
        (TerminatedCall, call_rows),
        (Referral, referral_rows),
    ):
        insert(model.__table__, rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def median_ms(action, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
        db.session.rollback()
    return statistics.median(samples) * 1000


def run(name: str, url: str, args) -> None:
    app = create_app({"PORTAL_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), app.test_request_context("/"):
        started = time.perf_counter()
        generate(args.customers, args.cases)
        generated = time.perf_counter() - started
        counts = {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("customers", "protected_characteristics", "cases", "restrictions")
        }
        period = last_financial_year(TODAY)
        results = [
            (
                "SELECT count(*) FROM cases",
                median_ms(
                    lambda: db.session.scalar(sa.text("SELECT count(*) FROM cases")), args.n * 3
                ),
            ),
            (
                "SELECT count(*) FROM customers",
                median_ms(
                    lambda: db.session.scalar(sa.text("SELECT count(*) FROM customers")), args.n * 3
                ),
            ),
            ("annual report (2 periods)", median_ms(lambda: build_annual_report(period), args.n)),
            (
                "equality view (9 characteristics)",
                median_ms(lambda: build_equality_view(period, with_names=True), args.n),
            ),
        ]
        report = build_annual_report(period)
        view = build_equality_view(period)
        flagged = [f"{b.key}={g.value}" for b in view.breakdowns for g in b.flagged]
        db.session.remove()
        db.engine.dispose()
    print(f"\n== {name} ==")
    print(", ".join(f"{table}: {count:,}" for table, count in counts.items()))
    print(
        f"generated in {generated:.1f} s; period {period.start} to {period.end}: "
        f"{report.current.cases_applied:,} cases applied, "
        f"{view.totals.restricted:,} customers restricted; flagged: {', '.join(flagged) or '-'}"
    )
    cases_baseline, customers_baseline = results[0][1], results[1][1]
    print(f"{'query':<36} {'median ms':>10} {'x count(cases)':>15} {'x count(customers)':>19}")
    for label, ms in results:
        print(
            f"{label:<36} {ms:>10.1f} {ms / cases_baseline:>15.1f} {ms / customers_baseline:>19.1f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=350_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("-n", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    url = f"sqlite:///{folder / 'reports.sqlite3'}"
    migrate_to_head(url)
    run("SQLite", url, args)
    if args.sqlite_only:
        return
    try:
        cluster = PrivateCluster().start()
    except PostgresUnavailable as error:
        print(f"\nPostgreSQL skipped: {error}")
        return
    try:
        admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE bench")
        admin.dispose()
        migrate_to_head(cluster.url("bench"))
        run("PostgreSQL 15", cluster.url("bench"), args)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
