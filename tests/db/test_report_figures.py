"""The annual report (s5.1) and equality monitoring (s6.3) against a hand-built data set,
figure by figure, on SQLite and PostgreSQL (issue 8)."""

import datetime as dt

import pytest

from portal.models.vocab import (
    AppealDecision,
    BehaviourType,
    EscalationKind,
    ReconsiderationDecision,
    RestrictionOption,
    ReviewOutcome,
)
from portal.reports.annual import figures as services
from portal.reports.equality import monitoring as equality
from portal.reports.periods import Period
from tests.report_data import AFTER, EXPECTED, PERIOD, build_report_world


def test_the_annual_report_counts_what_the_policy_asks_for(app):
    build_report_world()
    report = services.build_annual_report(PERIOD)
    now, before = report.current, report.previous
    assert before.period == Period(dt.date(2023, 4, 1), dt.date(2024, 3, 31))

    assert (now.cases_applied, now.cases_opened, now.cases_closed) == (16, 12, 3)
    assert (before.cases_applied, before.cases_opened, before.cases_closed) == (6, 6, 2)

    assert now.behaviour_cases[BehaviourType.CONTACT_OVERLOAD] == 2
    assert now.behaviour_incidents[BehaviourType.CONTACT_OVERLOAD] == 3
    assert now.behaviour_cases[BehaviourType.VERBAL_ABUSE_OR_VIOLENCE] == 1
    assert now.behaviour_cases[BehaviourType.OFFENSIVE_LANGUAGE] == 1
    assert now.behaviour_cases[BehaviourType.UNREASONABLE_DEMANDS] == 1
    assert now.behaviour_cases[BehaviourType.HARASSMENT] == 0
    assert before.behaviour_cases[BehaviourType.HARASSMENT] == 2  # the two earlier cases

    assert now.restrictions_started == EXPECTED["restrictions_started"] == 8
    assert now.restricted_cases == 8
    assert before.restrictions_started == 2
    assert now.restriction_options[RestrictionOption.SINGLE_CHANNEL] == 8
    assert now.restriction_options[RestrictionOption.PREMISES_BARRED] == 2
    assert now.restriction_options[RestrictionOption.SET_TIMES] == 0
    assert now.length_bands == EXPECTED["length_bands"]
    assert now.average_length_days == pytest.approx(90.5)

    assert now.escalations == {
        EscalationKind.POLICE: 1,
        EscalationKind.END_DIRECT_CONTACT: 1,
        EscalationKind.LEGAL_ACTION_ON_TENANCY: 0,
    }
    assert (now.reviews_on_time, now.reviews_late, now.reviews_not_held) == (3, 2, 1)
    assert now.review_outcomes == {
        ReviewOutcome.LIFT: 1,
        ReviewOutcome.VARY: 1,
        ReviewOutcome.KEEP: 3,
    }
    assert now.appeals_received == 3
    assert now.appeal_decisions == {
        AppealDecision.UPHOLD: 1,
        AppealDecision.VARY: 1,
        AppealDecision.OVERTURN: 1,
    }
    assert now.appeals_decided_by_due_date == 2
    assert now.reconsiderations_received == 2
    assert now.reconsideration_decisions == {
        ReconsiderationDecision.CHANGE_RESTRICTION: 1,
        ReconsiderationDecision.ROUTE_TO_COMPLAINTS: 0,
        ReconsiderationDecision.NO_CHANGE: 1,
    }
    assert now.reconsiderations_within_10_working_days == 1
    assert (now.calls_terminated, now.calls_terminated_warned_first) == (3, 2)
    assert (before.calls_terminated, before.calls_terminated_warned_first) == (1, 1)
    assert (now.community_safety_referrals, before.community_safety_referrals) == (2, 1)


def _groups(item):
    return {group.value: group for group in item.groups}


def test_equality_monitoring_compares_each_group_with_the_customer_base(app):
    build_report_world()
    view = equality.build_equality_view(PERIOD, today=AFTER)
    assert (view.totals.customers, view.totals.with_case, view.totals.restricted) == (50, 16, 10)
    assert [item.key for item in view.breakdowns] == list(equality.CHARACTERISTICS)

    disability = _groups(view.breakdowns[1])
    assert list(disability) == ["no", "yes", equality.SMALL_GROUPS, "prefer_not_to_say", None]
    yes, no = disability["yes"], disability["no"]
    assert [str(g.label) for g in view.breakdowns[1].groups][:2] == ["No", "Yes"]
    # Twice and a half as often as everyone: flagged.
    assert (yes.customers.display, yes.restricted.display) == (10, 5)
    assert yes.restriction_ratio == pytest.approx(2.5)
    assert yes.markedly_more_restricted
    # In proportion or less: not flagged.
    assert (no.customers.display, no.with_case.display, no.restricted.display) == (30, 8, 5)
    assert no.restriction_ratio == pytest.approx((5 / 30) / (10 / 50))
    assert no.case_ratio == pytest.approx((8 / 30) / (16 / 50))
    assert not no.markedly_more_restricted
    assert [g.value for g in view.breakdowns[1].flagged] == ["yes"]
    # "unsure" (2 customers) is too small to name: combined with any other such answer.
    assert view.breakdowns[1].combined_groups == 1
    assert "unsure" not in disability
    small, prefer = disability[equality.SMALL_GROUPS], disability["prefer_not_to_say"]
    # Customers: the combined 2 and "prefer not to say" 3 are withheld (together 5).
    assert small.customers.display is None and prefer.customers.display is None
    # With a case: 1 and 1 are small, together still under 5, so the next smallest above
    # zero ("yes", 6) is withheld too; its ratio with it.
    assert small.with_case.display is None and prefer.with_case.display is None
    assert yes.with_case.display is None and yes.case_ratio is None
    # Not recorded is a group like any other: its 5 customers shown, its zeros shown.
    assert (disability[None].customers.display, disability[None].with_case.display) == (5, 0)
    assert str(disability[None].label) == "Not recorded"
    assert [t.display for t in view.breakdowns[1].totals] == [50, 16, 10]

    sex = _groups(view.breakdowns[2])
    # Men: 2 restricted and 4 with a case, both under 5, so hidden; women's counts are hidden
    # too, or they would give the men's away.
    assert sex["male"].restricted.display is None and sex["male"].with_case.display is None
    assert sex["female"].restricted.display is None and sex["female"].with_case.display is None
    assert (sex["female"].customers.display, sex["male"].customers.display) == (24, 21)
    assert sex["female"].restriction_ratio is None
    assert view.breakdowns[2].flagged == []

    # Ages were never recorded: everyone is "not recorded".
    age = _groups(view.breakdowns[0])
    assert list(age) == [None] and age[None].customers.display == 50


def test_appeal_overturn_rate_per_decision_maker(app):
    world = build_report_world()
    named = equality.decision_makers(PERIOD, with_names=True)
    rows = {row.user_id: row for row in named}
    first, second = rows[world["manager"].id], rows[world["manager_2"].id]
    assert (first.decided, first.upheld, first.varied, first.overturned) == (2, 1, 1, 0)
    assert (second.decided, second.overturned, second.overturn_rate) == (1, 1, 1.0)
    assert first.name == "Morgan Approver"
    anonymous = equality.decision_makers(PERIOD, with_names=False)
    assert {row.name for row in anonymous} == {"Decision-maker 1", "Decision-maker 2"}


def test_one_characteristic_and_an_unknown_one(app):
    build_report_world()
    view = equality.build_equality_view(PERIOD, "disability", today=AFTER)
    assert [item.key for item in view.breakdowns] == ["disability"]
    with pytest.raises(equality.UnknownCharacteristic):
        equality.build_equality_view(PERIOD, "shoe_size", today=AFTER)


def test_an_empty_database_gives_zeros_not_errors(app):
    report = services.build_annual_report(PERIOD)
    assert report.current.cases_applied == 0 and report.current.average_length_days is None
    view = equality.build_equality_view(PERIOD, today=AFTER)
    assert view.totals.customers == 0
    assert all(item.groups == [] for item in view.breakdowns)


def test_every_characteristic_counted_at_once_matches_each_counted_alone(app):
    """On PostgreSQL the view counts all nine characteristics in one statement (GROUPING
    SETS, issue 18); each counted by its own statement gives the same groups."""
    build_report_world()
    together = equality._group_counts(list(equality.CHARACTERISTICS), PERIOD)
    for key in equality.CHARACTERISTICS:
        assert together[key] == equality._group_counts([key], PERIOD)[key], key
    assert sum(cells[0] for cells in together["disability"].values()) == 50
