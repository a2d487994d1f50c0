"""Contacts checked against restrictions (s3.2; DESIGN.md "Beyond" 1), in London time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.clock import LONDON
from portal.contacts.rules import (
    ContactAssessment,
    ContactAttempt,
    assess_contact,
    quota_period_start,
)
from portal.dates import add_months
from portal.models.vocab import ContactChannel, ContactFinding, QuotaPeriod, RestrictionOption
from portal.restrictions.rules import MeasureSpec

UTC = dt.UTC
F = ContactFinding
Opt = RestrictionOption
WEEK, MONTH = QuotaPeriod.WEEK, QuotaPeriod.MONTH


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def attempt(at=None, channel=ContactChannel.EMAIL, via_spoc=True, **extra):
    # Monday 6 July 2026, 10:30 in London (09:30 UTC, BST).
    return ContactAttempt(at or utc(2026, 7, 6, 9, 30), channel, via_spoc, **extra)


SPOC = MeasureSpec(Opt.SINGLE_POINT_OF_CONTACT, single_point_of_contact_id=42)
EMAIL_ONLY = MeasureSpec(Opt.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL)
MONDAY_MORNINGS = MeasureSpec(
    Opt.SET_TIMES,
    permitted_weekdays=frozenset({0}),
    permitted_from=dt.time(10),
    permitted_until=dt.time(12),
)
TWICE_A_WEEK = MeasureSpec(Opt.CONTACT_LIMIT, contact_limit=2, limit_period=WEEK)
HUB_BARRED = MeasureSpec(Opt.PREMISES_BARRED, barred_premises="Blackbrook Hub,\nTaunton Office")


# --- Quota periods in London time ----------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "period", "expected"),
    [
        # Sunday 25 Oct 2026, after clocks go back: the week began Monday 19 Oct 00:00 BST.
        (utc(2026, 10, 25, 12), WEEK, utc(2026, 10, 18, 23)),
        # Monday 26 Oct 2026 00:30 GMT starts a week whose midnight is 00:00 UTC.
        (utc(2026, 10, 26, 0, 30), WEEK, utc(2026, 10, 26)),
        # Sunday 29 Mar 2026, after clocks go forward: the week began Monday 23 Mar 00:00 GMT.
        (utc(2026, 3, 29, 12), WEEK, utc(2026, 3, 23)),
        # 23:30 UTC on Sunday 29 Mar is already Monday 30 Mar in London: a new week.
        (utc(2026, 3, 29, 23, 30), WEEK, utc(2026, 3, 29, 23)),
        (utc(2026, 3, 29, 22, 59), WEEK, utc(2026, 3, 23)),
        # 23:30 UTC on 31 May is 1 June in London: a new month.
        (utc(2026, 5, 31, 23, 30), MONTH, utc(2026, 5, 31, 23)),
        (utc(2026, 5, 31, 22, 30), MONTH, utc(2026, 4, 30, 23)),
        (utc(2026, 10, 25, 12), MONTH, utc(2026, 9, 30, 23)),
        (utc(2026, 11, 1, 0, 0), MONTH, utc(2026, 11, 1)),
        (utc(2028, 2, 29, 12), MONTH, utc(2028, 2, 1)),
        (dt.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=1), WEEK, utc(2026, 10, 18, 23)),
    ],
)
def test_quota_periods_are_london_calendar_weeks_and_months(moment, period, expected):
    start = quota_period_start(moment, period)
    assert start == expected
    assert start.tzinfo is UTC


def test_quota_periods_need_an_aware_time():
    with pytest.raises(ValueError, match="timezone-aware"):
        quota_period_start(dt.datetime(2026, 7, 6, 10), WEEK)


@settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(
        dt.datetime(2000, 1, 1),
        dt.datetime(2100, 12, 31),
        timezones=st.sampled_from([UTC, LONDON, ZoneInfo("America/New_York")]),
    ),
    period=st.sampled_from(QuotaPeriod),
)
def test_a_quota_period_starts_at_london_midnight_on_a_monday_or_the_first(moment, period):
    start = quota_period_start(moment, period)
    local = start.astimezone(LONDON)
    assert start <= moment
    assert local.time() == dt.time(0)
    if period is WEEK:
        assert local.weekday() == 0
        following = local.date() + dt.timedelta(days=7)
    else:
        assert local.day == 1
        following = add_months(local.date(), 1)
    # ... and it is the period containing the moment, not an earlier one.
    assert moment < dt.datetime.combine(following, dt.time(0), tzinfo=LONDON)


# --- No restriction, emergencies, new complaints -------------------------------------------


def test_a_customer_without_measures_has_no_restriction():
    assert assess_contact(attempt(), [], contacts_so_far={}) == ContactAssessment(
        F.NO_RESTRICTION, (), False, None, True
    )


def breaking_everything():
    # Sunday, by telephone, at a barred hub, not through the single point of contact.
    return dict(
        at=utc(2026, 7, 5, 15),
        channel=ContactChannel.TELEPHONE,
        via_spoc=False,
        at_premises="Blackbrook Hub",
    )


EVERY_MEASURE = [HUB_BARRED, SPOC, TWICE_A_WEEK, MONDAY_MORNINGS, EMAIL_ONLY]


@pytest.mark.parametrize(
    ("flags", "finding"),
    [
        ({"is_emergency": True}, F.EMERGENCY),
        ({"is_new_complaint": True}, F.NEW_COMPLAINT),
        ({"is_emergency": True, "is_new_complaint": True}, F.EMERGENCY),
    ],
)
def test_emergencies_and_new_complaints_always_get_through(flags, finding):
    result = assess_contact(
        attempt(**breaking_everything(), **flags), EVERY_MEASURE, contacts_so_far={WEEK: 99}
    )
    assert result.finding is finding
    assert result.breaches == ()
    assert result.accepted
    assert not result.route_to_single_point_of_contact
    assert result.single_point_of_contact_id == 42


# --- Each measure ----------------------------------------------------------------------------


def test_a_contact_meeting_every_measure_is_within_the_restriction():
    result = assess_contact(attempt(), EVERY_MEASURE, contacts_so_far={WEEK: 1})
    assert result == ContactAssessment(F.WITHIN_RESTRICTION, (), False, 42, True)


@pytest.mark.parametrize(
    ("channel", "breached"),
    [
        (ContactChannel.EMAIL, False),
        (ContactChannel.WRITING, True),
        (ContactChannel.TELEPHONE, True),
        (ContactChannel.IN_PERSON, True),
    ],
)
def test_contact_by_another_channel_is_the_wrong_channel(channel, breached):
    result = assess_contact(attempt(channel=channel), [EMAIL_ONLY], contacts_so_far={})
    assert result.breaches == ((F.WRONG_CHANNEL,) if breached else ())
    assert result.accepted


@pytest.mark.parametrize(
    ("moment", "within"),
    [
        (utc(2026, 7, 6, 9, 0), True),  # Monday 10:00 BST, the first permitted minute
        (utc(2026, 7, 6, 10, 59), True),  # 11:59 BST
        (utc(2026, 7, 6, 11, 0), False),  # 12:00 BST: the end is exclusive
        (utc(2026, 7, 6, 8, 59), False),  # 09:59 BST
        (utc(2026, 1, 5, 9, 30), False),  # Monday 09:30 GMT in winter
        (utc(2026, 1, 5, 10, 30), True),  # Monday 10:30 GMT
        (utc(2026, 7, 7, 9, 30), False),  # Tuesday
        (utc(2026, 7, 5, 23, 30), False),  # Monday 00:30 BST: right day, wrong time
        (utc(2026, 10, 26, 10, 0), True),  # the Monday after the clocks go back, 10:00 GMT
        (utc(2026, 3, 30, 9, 0), True),  # the Monday after the clocks go forward, 10:00 BST
    ],
)
def test_set_times_are_weekdays_and_hours_in_london(moment, within):
    result = assess_contact(attempt(at=moment), [MONDAY_MORNINGS], contacts_so_far={})
    expected = F.WITHIN_RESTRICTION if within else F.OUTSIDE_PERMITTED_TIMES
    assert result.finding is expected


def test_the_local_weekday_decides_not_the_utc_one():
    sunday_utc_monday_london = MeasureSpec(
        Opt.SET_TIMES,
        permitted_weekdays=frozenset({0}),
        permitted_from=dt.time(0),
        permitted_until=dt.time(1),
    )
    result = assess_contact(
        attempt(at=utc(2026, 7, 5, 23, 30)), [sunday_utc_monday_london], contacts_so_far={}
    )
    assert result.finding is F.WITHIN_RESTRICTION


@pytest.mark.parametrize(
    ("so_far", "over"),
    [({}, False), ({WEEK: 1}, False), ({WEEK: 2}, True), ({WEEK: 5}, True), ({MONTH: 9}, False)],
)
def test_contact_past_the_quota_is_over_the_limit(so_far, over):
    result = assess_contact(attempt(), [TWICE_A_WEEK], contacts_so_far=so_far)
    assert result.breaches == ((F.OVER_LIMIT,) if over else ())
    assert result.accepted


def test_a_monthly_limit_counts_the_month():
    monthly = MeasureSpec(Opt.CONTACT_LIMIT, contact_limit=4, limit_period=MONTH)
    result = assess_contact(attempt(), [monthly], contacts_so_far={WEEK: 9, MONTH: 4})
    assert result.finding is F.OVER_LIMIT
    result = assess_contact(attempt(), [monthly], contacts_so_far={WEEK: 9, MONTH: 3})
    assert result.finding is F.WITHIN_RESTRICTION


def test_contact_past_the_quota_goes_to_the_single_point_of_contact():
    result = assess_contact(attempt(), [TWICE_A_WEEK, SPOC], contacts_so_far={WEEK: 2})
    assert result == ContactAssessment(F.OVER_LIMIT, (F.OVER_LIMIT,), True, 42, True)


def test_contact_past_the_quota_without_a_single_point_of_contact_is_still_accepted():
    result = assess_contact(attempt(), [TWICE_A_WEEK], contacts_so_far={WEEK: 2})
    assert result == ContactAssessment(F.OVER_LIMIT, (F.OVER_LIMIT,), False, None, True)


def test_contact_around_the_single_point_of_contact_is_routed_to_them():
    result = assess_contact(attempt(via_spoc=False), [SPOC], contacts_so_far={})
    assert result == ContactAssessment(
        F.NOT_VIA_SINGLE_POINT_OF_CONTACT, (F.NOT_VIA_SINGLE_POINT_OF_CONTACT,), True, 42, True
    )


def test_contact_through_the_single_point_of_contact_is_within_the_restriction():
    result = assess_contact(attempt(via_spoc=True), [SPOC], contacts_so_far={})
    assert result == ContactAssessment(F.WITHIN_RESTRICTION, (), False, 42, True)


@pytest.mark.parametrize(
    ("premises", "barred"),
    [
        ("Blackbrook Hub", True),
        ("  blackbrook   HUB ", True),
        ("taunton office", True),
        ("Bridgwater Office", False),
        ("Blackbrook", False),
        (None, False),
    ],
)
def test_attending_barred_premises_is_a_breach(premises, barred):
    result = assess_contact(attempt(at_premises=premises), [HUB_BARRED], contacts_so_far={})
    assert result.breaches == ((F.PREMISES_BARRED,) if barred else ())


# --- Several breaches ------------------------------------------------------------------------


def test_every_breach_is_recorded_in_a_fixed_order_and_the_first_is_the_finding():
    result = assess_contact(
        attempt(**breaking_everything()), EVERY_MEASURE, contacts_so_far={WEEK: 2}
    )
    assert result.breaches == (
        F.WRONG_CHANNEL,
        F.OUTSIDE_PERMITTED_TIMES,
        F.OVER_LIMIT,
        F.NOT_VIA_SINGLE_POINT_OF_CONTACT,
        F.PREMISES_BARRED,
    )
    assert result.finding is F.WRONG_CHANNEL
    assert result.route_to_single_point_of_contact
    assert result.single_point_of_contact_id == 42
    assert result.accepted


def test_a_breach_not_needing_routing_is_not_routed():
    result = assess_contact(
        attempt(channel=ContactChannel.TELEPHONE), [EMAIL_ONLY, SPOC], contacts_so_far={}
    )
    assert result.breaches == (F.WRONG_CHANNEL,)
    assert not result.route_to_single_point_of_contact


def test_a_contact_time_must_be_aware():
    with pytest.raises(ValueError, match="timezone-aware"):
        assess_contact(attempt(at=dt.datetime(2026, 7, 6, 10)), [SPOC], contacts_so_far={})


def test_an_unknown_quota_period_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown quota period"):
        quota_period_start(utc(2026, 7, 6), "fortnight")
