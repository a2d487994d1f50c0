"""The demo's history for the leadership reports: idempotent, over before today, non-zero
figures in both financial years, a flagged disproportion, and today's queues untouched."""

import datetime as dt

import pytest
import sqlalchemy as sa

from portal.clock import today
from portal.dates import add_months
from portal.demo import load_demo_data
from portal.demo.history import load_demo_history
from portal.extensions import db
from portal.models import (
    Appeal,
    Case,
    Customer,
    ReconsiderationRequest,
    Referral,
    Restriction,
    Review,
    User,
)
from portal.models.vocab import CURRENT_RESTRICTION_STATUSES, ChallengeStatus, ReferralStatus
from portal.reports.annual import figures as services
from portal.reports.equality import monitoring as equality
from portal.reports.periods import last_financial_year
from portal.staff import services as staff

HISTORY_CASES = Case.reference.like("MB-H-%")


def counts():
    return {
        t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in db.metadata.sorted_tables
    }


def test_loading_twice_creates_nothing_the_second_time(app):
    load_demo_data(today(), allowed=True)
    before = counts()
    created = load_demo_history(today())
    first = counts()
    assert created == sum(first.values()) - sum(before.values())
    assert load_demo_history(today()) == 0
    assert counts() == first
    assert first["customers"] - before["customers"] == 300
    assert first["cases"] - before["cases"] == 40
    history_staff = db.session.scalars(sa.select(User).where(User.email.like("history.%"))).all()
    assert len(history_staff) == 9
    assert all(u.password_hash is None and u.is_demo for u in history_staff)


def _ended_before(day: dt.date) -> None:
    history = sa.select(Case.id).where(HISTORY_CASES)
    restrictions = db.session.scalars(
        sa.select(Restriction).where(Restriction.case_id.in_(history))
    ).all()
    assert len(restrictions) > 25
    for restriction in restrictions:
        assert restriction.status not in CURRENT_RESTRICTION_STATUSES
        assert restriction.ends_on <= add_months(restriction.starts_on, 6)
        if restriction.approved_at is not None:  # came into force, so ended
            assert restriction.ended_at.date() < day
    for model in (Appeal, ReconsiderationRequest):
        statuses = set(
            db.session.scalars(
                sa.select(model.status).join(Restriction).where(Restriction.case_id.in_(history))
            )
        )
        assert statuses == {ChallengeStatus.DECIDED}
    referrals = set(
        db.session.scalars(sa.select(Referral.status).where(Referral.case_id.in_(history)))
    )
    assert referrals == {ReferralStatus.CLOSED}
    cases = db.session.scalars(sa.select(Case).where(HISTORY_CASES)).all()
    assert all(c.closed_at is not None and c.closed_at.date() < day for c in cases)
    unheld = db.session.scalar(
        sa.select(sa.func.count(Review.id))
        .join(Restriction)
        .where(Restriction.case_id.in_(history), Review.held_on.is_(None))
    )
    assert unheld == 0
    latest = db.session.scalar(
        sa.select(sa.func.max(Review.held_on))
        .join(Restriction)
        .where(Restriction.case_id.in_(history))
    )
    assert latest < day


def test_everything_in_the_history_is_over_before_today(app):
    load_demo_history(today())
    _ended_before(today())


@pytest.mark.parametrize("day", [dt.date(2026, 4, 1), dt.date(2027, 9, 30)])
def test_the_history_is_over_whatever_day_it_is_loaded(app, day):
    """Loaded the day after a financial year ends, the last restrictions are cut short."""
    load_demo_history(day)
    _ended_before(day)
    report = services.build_annual_report(last_financial_year(day))
    assert report.current.restrictions_started > 0 and report.previous.restrictions_started > 0


def test_the_annual_report_has_figures_for_both_years(app):
    load_demo_data(today(), allowed=True)
    load_demo_history(today())
    report = services.build_annual_report(last_financial_year(today()))
    for figures in (report.current, report.previous):
        assert figures.cases_applied > 0 and figures.cases_opened > 0
        assert figures.restrictions_started > 0
        assert figures.reviews_on_time > 0 and figures.reviews_late > 0
        assert figures.appeals_received > 0 and figures.appeals_decided > 0
        assert 0 < figures.appeals_decided_by_due_date < figures.appeals_decided
        assert figures.reconsiderations_decided > 0
        assert figures.calls_terminated > 0 and figures.community_safety_referrals > 0
        assert sum(figures.escalations.values()) > 0
        assert sum(1 for n in figures.behaviour_cases.values() if n) >= 6
        assert len([n for n in figures.length_bands.values() if n]) == 3
    now = report.current
    assert all(now.review_outcomes.values()), "lifted, varied and kept"
    assert all(now.appeal_decisions.values()), "upheld, varied and overturned"


def test_the_equality_view_flags_the_disproportion(app):
    load_demo_data(today(), allowed=True)
    load_demo_history(today())
    view = equality.build_equality_view(
        last_financial_year(today()), with_names=True, today=today()
    )
    assert view.totals.customers == 305 and view.totals.restricted > 10  # 5 demo + 300 history
    disability = next(item for item in view.breakdowns if item.key == "disability")
    flagged = {group.value: group for group in disability.flagged}
    assert "yes" in flagged
    yes = flagged["yes"]
    assert yes.customers.shown and yes.restricted.shown and yes.restricted.value >= 5
    assert yes.restriction_ratio >= equality.MARKEDLY
    assert len(view.decision_makers) >= 2
    assert sum(row.overturned for row in view.decision_makers) > 0


def _ids(rows):
    """Rows of ORM objects and values as comparable (class, id) and value tuples."""
    return [
        tuple((type(v).__name__, v.id) if hasattr(v, "__table__") else v for v in row)
        for row in rows
    ]


def _home_pages() -> dict:
    day = today()
    officer, sam = (
        db.session.scalar(sa.select(User.id).where(User.email == email))
        for email in ("officer@example.com", "sam.patel@example.com")
    )
    appeals, requests = staff.open_challenges()
    return {
        "caseload": _ids(staff.caseload(officer)),
        "sam": _ids(staff.caseload(sam)),
        "approval": _ids(staff.restrictions_awaiting_approval()),
        "reviews_due": _ids(staff.reviews_due(day)),
        "ended": _ids(staff.ended_awaiting_review()),
        "appeals": _ids(appeals),
        "requests": _ids(requests),
        "community_safety": _ids(staff.community_safety_queue()),
        "headline": staff.headline_counts(day),
    }


def test_the_demo_accounts_home_pages_are_unchanged(app):
    load_demo_data(today(), allowed=True)
    before = _home_pages()
    assert before["reviews_due"] and before["appeals"] and before["caseload"]
    load_demo_history(today())
    db.session.expire_all()
    assert _home_pages() == before
    demo_customers = db.session.scalars(
        sa.select(Customer.reference).where(Customer.reference.like("T-%"))
    ).all()
    assert len(demo_customers) == 5  # Amira Haddad has no case and no account
