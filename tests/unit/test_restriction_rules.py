"""Restriction rules: time limits (s3.5), reviews (s3.4), measures (s3.2), needs (s6.1)."""

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.models.vocab import (
    ContactChannel,
    QuotaPeriod,
    RestrictionOption,
    ReviewFrequency,
)
from portal.restrictions.needs_conflicts import CustomerNeeds, NeedsConflict, needs_conflicts
from portal.restrictions.rules import (
    ChannelNotRestrictable,
    ContactLimitInvalid,
    DuplicateMeasure,
    EndNotAfterStart,
    InformalStepMissing,
    KeepNeedsExplanation,
    MeasureIncomplete,
    MeasureSpec,
    NeedsConflictUnjustified,
    NeedsConsiderationMissing,
    NoMeasures,
    PolicyViolation,
    RestrictionTooLong,
    ReviewDateInPast,
    ReviewDateOutsideRestriction,
    SelfApproval,
    StartInPast,
    barred_premises_names,
    check_approver,
    check_can_propose,
    check_keep,
    check_measures,
    check_period,
    check_review_date,
    latest_end,
    next_review_on,
)

D = dt.date
T = dt.time
Opt = RestrictionOption

VIOLATIONS = [
    RestrictionTooLong,
    EndNotAfterStart,
    StartInPast,
    ReviewDateInPast,
    ReviewDateOutsideRestriction,
    InformalStepMissing,
    NeedsConsiderationMissing,
    NoMeasures,
    DuplicateMeasure,
    MeasureIncomplete,
    ContactLimitInvalid,
    ChannelNotRestrictable,
    NeedsConflictUnjustified,
    SelfApproval,
    KeepNeedsExplanation,
]


def make(cls):
    if cls is RestrictionTooLong:
        return cls(latest_end=D(2027, 1, 1))
    if cls in (MeasureIncomplete, DuplicateMeasure):
        return cls(option=Opt.SET_TIMES)
    if cls is NeedsConflictUnjustified:
        return cls(conflicts=[])
    return cls()


# --- Refusals name their section -----------------------------------------------------------


@pytest.mark.parametrize("cls", VIOLATIONS)
def test_every_refusal_is_one_sentence_naming_its_policy_section(cls):
    error = make(cls)
    assert isinstance(error, PolicyViolation)
    text = str(error)
    assert re.fullmatch(r"s\d\.\d", cls.section)
    cited = re.search(r"\(policy sections? ([\d.]+)(?: and ([\d.]+))?\)\.$", text)
    assert cited and cls.section[1:] in cited.groups()
    assert text.count(". ") == 0


def test_the_base_refusal_has_a_message_of_its_own():
    assert str(PolicyViolation()) == "This is not allowed by the managed behaviour policy."


def test_a_refusal_message_can_be_overridden():
    assert str(StartInPast("Not before today.")) == "Not before today."
    assert StartInPast("x").section == "s3.2"


def test_incomplete_measures_say_what_is_missing_for_their_option():
    spoc = str(MeasureIncomplete(option=Opt.SINGLE_POINT_OF_CONTACT))
    assert "single point of contact" in spoc and "section 3.2" in spoc
    assert str(MeasureIncomplete(option=Opt.SET_TIMES)) != spoc


# --- s3.5: six calendar months -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (D(2026, 1, 15), D(2026, 7, 15)),
        (D(2026, 8, 31), D(2027, 2, 28)),  # clamped to February's end
        (D(2027, 8, 31), D(2028, 2, 29)),  # leap year
        (D(2028, 2, 29), D(2028, 8, 29)),
        (D(2026, 11, 30), D(2027, 5, 30)),
        (D(2026, 12, 31), D(2027, 6, 30)),
        (D(2099, 8, 30), D(2100, 2, 28)),  # 2100 is not a leap year
    ],
)
def test_latest_end_is_six_calendar_months_on(start, expected):
    assert latest_end(start) == expected


def test_a_six_month_restriction_ending_on_the_latest_day_is_allowed():
    check_period(D(2026, 8, 31), D(2027, 2, 28), today=D(2026, 8, 31))


def test_one_day_over_six_months_is_refused_with_the_latest_end():
    with pytest.raises(RestrictionTooLong) as caught:
        check_period(D(2027, 8, 31), D(2028, 3, 1), today=D(2027, 8, 1))
    assert caught.value.latest_end == D(2028, 2, 29)
    assert caught.value.section == "s3.5"


def test_a_restriction_cannot_start_in_the_past():
    with pytest.raises(StartInPast):
        check_period(D(2026, 5, 1), D(2026, 6, 1), today=D(2026, 5, 2))


def test_a_restriction_can_start_today_or_later():
    check_period(D(2026, 5, 2), D(2026, 6, 1), today=D(2026, 5, 2))
    check_period(D(2026, 5, 9), D(2026, 6, 1), today=D(2026, 5, 2))


@pytest.mark.parametrize("ends_on", [D(2026, 5, 2), D(2026, 5, 1)])
def test_a_restriction_must_end_after_it_starts(ends_on):
    with pytest.raises(EndNotAfterStart):
        check_period(D(2026, 5, 2), ends_on, today=D(2026, 5, 2))


def test_period_checks_are_made_in_order_past_start_first():
    with pytest.raises(StartInPast):
        check_period(D(2026, 5, 1), D(2027, 5, 1), today=D(2026, 5, 2))
    with pytest.raises(EndNotAfterStart):
        check_period(D(2026, 5, 2), D(2026, 5, 1), today=D(2026, 5, 2))


@settings(max_examples=200, deadline=None)
@given(start=st.dates(D(2000, 1, 1), D(2100, 12, 31)))
def test_six_months_is_181_to_184_days_and_the_day_after_is_refused(start):
    last = latest_end(start)
    assert 181 <= (last - start).days <= 184
    check_period(start, last, today=start)
    with pytest.raises(RestrictionTooLong):
        check_period(start, last + dt.timedelta(days=1), today=start)


# --- s3.4: review dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "frequency", "end", "expected"),
    [
        (D(2026, 1, 15), ReviewFrequency.QUARTERLY, D(2026, 7, 15), D(2026, 4, 15)),
        (D(2026, 1, 15), ReviewFrequency.SIX_MONTHLY, D(2026, 7, 15), D(2026, 7, 15)),
        (D(2026, 11, 30), ReviewFrequency.QUARTERLY, D(2027, 5, 30), D(2027, 2, 28)),
        (D(2027, 11, 30), ReviewFrequency.QUARTERLY, D(2028, 5, 30), D(2028, 2, 29)),
        # Never after the end: a short restriction is reviewed on its last day.
        (D(2026, 1, 15), ReviewFrequency.QUARTERLY, D(2026, 3, 1), D(2026, 3, 1)),
        (D(2026, 1, 15), ReviewFrequency.SIX_MONTHLY, D(2026, 5, 15), D(2026, 5, 15)),
    ],
)
def test_next_review_is_three_or_six_months_on_but_not_after_the_end(
    start, frequency, end, expected
):
    assert next_review_on(start, frequency, end) == expected


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(D(2000, 1, 1), D(2100, 12, 31)),
    days=st.integers(1, 184),
    frequency=st.sampled_from(ReviewFrequency),
)
def test_next_review_always_falls_within_the_restriction(start, days, frequency):
    end = min(start + dt.timedelta(days=days), latest_end(start))
    review = next_review_on(start, frequency, end)
    assert start <= review <= end
    check_review_date(review, starts_on=start, ends_on=end, today=start)


def test_review_date_in_the_past_is_refused():
    with pytest.raises(ReviewDateInPast):
        check_review_date(
            D(2026, 3, 1), starts_on=D(2026, 1, 1), ends_on=D(2026, 6, 1), today=D(2026, 3, 2)
        )


@pytest.mark.parametrize("review_on", [D(2025, 12, 31), D(2026, 6, 2)])
def test_review_date_outside_the_restriction_is_refused(review_on):
    with pytest.raises(ReviewDateOutsideRestriction):
        check_review_date(
            review_on, starts_on=D(2026, 1, 1), ends_on=D(2026, 6, 1), today=D(2025, 12, 1)
        )


@pytest.mark.parametrize("review_on", [D(2026, 1, 1), D(2026, 6, 1), D(2026, 3, 2)])
def test_review_date_on_any_day_of_the_term_from_today_is_allowed(review_on):
    check_review_date(
        review_on, starts_on=D(2026, 1, 1), ends_on=D(2026, 6, 1), today=D(2026, 1, 1)
    )


# --- s3.2: measures ------------------------------------------------------------------------

COMPLETE = {
    Opt.SINGLE_POINT_OF_CONTACT: MeasureSpec(
        Opt.SINGLE_POINT_OF_CONTACT, single_point_of_contact_id=7
    ),
    Opt.ADVOCATE_OFFERED: MeasureSpec(Opt.ADVOCATE_OFFERED, advocate_offered_on=D(2026, 3, 1)),
    Opt.SINGLE_CHANNEL: MeasureSpec(Opt.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL),
    Opt.SET_TIMES: MeasureSpec(
        Opt.SET_TIMES,
        permitted_weekdays=frozenset({0, 2}),
        permitted_from=T(10),
        permitted_until=T(12),
    ),
    Opt.CONTACT_LIMIT: MeasureSpec(
        Opt.CONTACT_LIMIT, contact_limit=2, limit_period=QuotaPeriod.WEEK
    ),
    Opt.COMPLAINT_DECLINED: MeasureSpec(
        Opt.COMPLAINT_DECLINED,
        declined_complaint_reference="C-1234",
        declined_complaint_reason="Raised 14 times with no new evidence.",
    ),
    Opt.PREMISES_BARRED: MeasureSpec(Opt.PREMISES_BARRED, barred_premises="Blackbrook Hub"),
}


def test_every_option_with_its_details_is_accepted():
    assert set(COMPLETE) == set(RestrictionOption)
    check_measures(list(COMPLETE.values()))


def test_a_restriction_needs_at_least_one_measure():
    with pytest.raises(NoMeasures):
        check_measures([])


def test_an_option_may_be_chosen_only_once():
    again = MeasureSpec(Opt.CONTACT_LIMIT, contact_limit=5, limit_period=QuotaPeriod.MONTH)
    with pytest.raises(DuplicateMeasure) as caught:
        check_measures([COMPLETE[Opt.CONTACT_LIMIT], again])
    assert caught.value.option is Opt.CONTACT_LIMIT


def times(weekdays, start, end):
    return MeasureSpec(
        Opt.SET_TIMES,
        permitted_weekdays=frozenset(weekdays),
        permitted_from=start,
        permitted_until=end,
    )


@pytest.mark.parametrize(
    "measure",
    [
        MeasureSpec(Opt.SINGLE_POINT_OF_CONTACT),
        MeasureSpec(Opt.ADVOCATE_OFFERED),
        MeasureSpec(Opt.SINGLE_CHANNEL),
        times(set(), T(10), T(12)),
        times({1}, None, T(12)),
        times({1}, T(10), None),
        times({1}, T(12), T(12)),  # from must be before until
        times({1}, T(14), T(9)),
        times({7}, T(9), T(12)),  # weekdays are 0 (Monday) to 6
        MeasureSpec(Opt.CONTACT_LIMIT, contact_limit=3),
        MeasureSpec(Opt.COMPLAINT_DECLINED, declined_complaint_reason="Persistent."),
        MeasureSpec(Opt.COMPLAINT_DECLINED, declined_complaint_reference="C-1"),
        MeasureSpec(
            Opt.COMPLAINT_DECLINED,
            declined_complaint_reference="C-1",
            declined_complaint_reason=" ",
        ),
        MeasureSpec(Opt.PREMISES_BARRED),
        MeasureSpec(Opt.PREMISES_BARRED, barred_premises=" \n , "),
    ],
    ids=lambda m: m.option.value,
)
def test_an_option_without_its_details_is_incomplete(measure):
    with pytest.raises(MeasureIncomplete) as caught:
        check_measures([measure])
    assert caught.value.option is measure.option
    assert caught.value.section == "s3.2"


@pytest.mark.parametrize("limit", [None, 0, -1, True])
def test_a_contact_limit_is_a_whole_number_of_at_least_one(limit):
    measure = MeasureSpec(Opt.CONTACT_LIMIT, contact_limit=limit, limit_period=QuotaPeriod.MONTH)
    with pytest.raises(ContactLimitInvalid):
        check_measures([measure])


def test_a_limit_of_one_a_month_is_allowed():
    check_measures(
        [MeasureSpec(Opt.CONTACT_LIMIT, contact_limit=1, limit_period=QuotaPeriod.MONTH)]
    )


@pytest.mark.parametrize(
    "channel", [ContactChannel.IN_PERSON, ContactChannel.SOCIAL_MEDIA, ContactChannel.ONLINE]
)
def test_contact_can_be_limited_only_to_writing_email_or_telephone(channel):
    with pytest.raises(ChannelNotRestrictable):
        check_measures([MeasureSpec(Opt.SINGLE_CHANNEL, permitted_channel=channel)])


@pytest.mark.parametrize(
    "channel", [ContactChannel.WRITING, ContactChannel.EMAIL, ContactChannel.TELEPHONE]
)
def test_each_restrictable_channel_is_accepted(channel):
    check_measures([MeasureSpec(Opt.SINGLE_CHANNEL, permitted_channel=channel)])


def test_barred_premises_are_one_per_line_or_comma_separated_ignoring_case_and_spacing():
    names = barred_premises_names("Blackbrook  Hub, Bridgwater office\n\n  community EVENTS ")
    assert names == {"blackbrook hub", "bridgwater office", "community events"}
    assert barred_premises_names(None) == frozenset()


# --- s6.1: needs conflicts -----------------------------------------------------------------

ALL_NEEDS = CustomerNeeds(
    finds_writing_difficult=True, cannot_use_telephone=True, needs_in_person_access=True
)


def channel(c):
    return MeasureSpec(Opt.SINGLE_CHANNEL, permitted_channel=c)


@pytest.mark.parametrize(
    ("need", "measure"),
    [
        ("finds_writing_difficult", channel(ContactChannel.WRITING)),
        ("finds_writing_difficult", channel(ContactChannel.EMAIL)),  # email is writing too
        ("cannot_use_telephone", channel(ContactChannel.TELEPHONE)),
        ("needs_in_person_access", COMPLETE[Opt.PREMISES_BARRED]),
    ],
)
def test_a_measure_clashing_with_a_recorded_need_is_found(need, measure):
    (conflict,) = needs_conflicts(CustomerNeeds(**{need: True}), [measure])
    assert conflict.option is measure.option
    assert conflict.need == need
    assert "clashes with" in str(conflict.message)


@pytest.mark.parametrize(
    ("needs", "measure"),
    [
        (CustomerNeeds(finds_writing_difficult=True), channel(ContactChannel.TELEPHONE)),
        (CustomerNeeds(cannot_use_telephone=True), channel(ContactChannel.WRITING)),
        (CustomerNeeds(cannot_use_telephone=True), channel(ContactChannel.EMAIL)),
        (CustomerNeeds(needs_in_person_access=True), channel(ContactChannel.TELEPHONE)),
        (CustomerNeeds(), COMPLETE[Opt.PREMISES_BARRED]),
        (ALL_NEEDS, COMPLETE[Opt.SET_TIMES]),
        (ALL_NEEDS, COMPLETE[Opt.CONTACT_LIMIT]),
        (ALL_NEEDS, COMPLETE[Opt.SINGLE_POINT_OF_CONTACT]),
    ],
)
def test_a_measure_that_fits_the_needs_is_no_conflict(needs, measure):
    assert needs_conflicts(needs, [measure]) == []


def test_conflicts_come_in_option_order_whatever_the_order_of_measures():
    measures = [COMPLETE[Opt.PREMISES_BARRED], channel(ContactChannel.WRITING)]
    forwards = needs_conflicts(ALL_NEEDS, measures)
    assert [c.option for c in forwards] == [Opt.SINGLE_CHANNEL, Opt.PREMISES_BARRED]
    assert needs_conflicts(ALL_NEEDS, list(reversed(measures))) == forwards


# --- s3.2, s3.3, s6.1: proposing -----------------------------------------------------------

A_CONFLICT = NeedsConflict(Opt.SINGLE_CHANNEL, "finds_writing_difficult", "clash")


def test_a_restriction_with_informal_steps_and_needs_considered_can_be_proposed():
    check_can_propose(
        informal_step_count=1, has_needs_consideration=True, conflicts=[], conflict_justification=""
    )


def test_informal_steps_come_before_any_restriction():
    with pytest.raises(InformalStepMissing):
        check_can_propose(
            informal_step_count=0,
            has_needs_consideration=False,
            conflicts=[A_CONFLICT],
            conflict_justification="",
        )


def test_needs_must_be_considered_before_proposing():
    with pytest.raises(NeedsConsiderationMissing):
        check_can_propose(
            informal_step_count=2,
            has_needs_consideration=False,
            conflicts=[],
            conflict_justification="",
        )


@pytest.mark.parametrize("justification", ["", "   \n\t"])
def test_a_needs_conflict_needs_a_justification(justification):
    with pytest.raises(NeedsConflictUnjustified) as caught:
        check_can_propose(
            informal_step_count=1,
            has_needs_consideration=True,
            conflicts=[A_CONFLICT],
            conflict_justification=justification,
        )
    assert caught.value.conflicts == [A_CONFLICT]


def test_a_justified_needs_conflict_can_be_proposed():
    check_can_propose(
        informal_step_count=1,
        has_needs_consideration=True,
        conflicts=[A_CONFLICT],
        conflict_justification="Their support worker writes for them and agreed to this.",
    )


# --- s3.4: approving and keeping -----------------------------------------------------------


def test_nobody_approves_their_own_proposal():
    with pytest.raises(SelfApproval):
        check_approver(4, 4)
    check_approver(4, 5)


def test_keeping_with_an_explanation_and_a_new_end_within_six_months_is_allowed():
    check_keep("No improvement since March.", D(2027, 2, 28), review_held_on=D(2026, 8, 31))


@pytest.mark.parametrize(
    ("explanation", "new_ends_on"),
    [("", D(2026, 12, 1)), ("  ", D(2026, 12, 1)), ("Still abusive on calls.", None)],
)
def test_keeping_needs_an_explanation_and_a_new_end_date(explanation, new_ends_on):
    with pytest.raises(KeepNeedsExplanation):
        check_keep(explanation, new_ends_on, review_held_on=D(2026, 9, 1))


@pytest.mark.parametrize("new_ends_on", [D(2026, 9, 1), D(2026, 8, 1)])
def test_the_kept_restriction_ends_after_the_review(new_ends_on):
    with pytest.raises(EndNotAfterStart) as caught:
        check_keep("No change.", new_ends_on, review_held_on=D(2026, 9, 1))
    assert "review" in str(caught.value)


def test_a_kept_restriction_runs_at_most_six_months_from_the_review():
    with pytest.raises(RestrictionTooLong) as caught:
        check_keep("No change.", D(2028, 3, 1), review_held_on=D(2027, 8, 31))
    assert caught.value.latest_end == D(2028, 2, 29)
