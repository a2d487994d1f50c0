"""The annual report (s5.1) as tables, each comparing the period with the one before."""

from portal.models.vocab import (
    APPEAL_DECISION_LABELS,
    RECONSIDERATION_DECISION_LABELS,
    AppealDecision,
    BehaviourType,
    EscalationKind,
    ReconsiderationDecision,
    RestrictionOption,
    ReviewOutcome,
    label,
)
from portal.reports.annual.figures import LENGTH_BANDS, AnnualReport, PeriodFigures
from portal.reports.tables import Chart, ReportTable, change, count, days, percent, share, text
from portal.translations import lazy_gettext as _l

COMPARE_HEADERS = (_l("This period"), _l("Previous period"), _l("Change"))


def _compare_rows(pairs, current: PeriodFigures, previous: PeriodFigures):
    """Rows of (label, this period, previous period, change) for each (label, getter)."""
    return [
        [text(name), count(get(current)), count(get(previous)), change(get(current), get(previous))]
        for name, get in pairs
    ]


def _vocabulary_rows(vocabulary, attribute, current, previous):
    return _compare_rows(
        [(label(m), lambda f, m=m: getattr(f, attribute)[m]) for m in vocabulary], current, previous
    )


LENGTH_LABELS = {
    "up_to_1_month": _l("Up to 1 month"),
    "1_to_3_months": _l("Over 1 month, up to 3 months"),
    "3_to_6_months": _l("Over 3 months, up to 6 months"),
}


def annual_tables(report: AnnualReport) -> list[ReportTable]:
    """The annual report (s5.1) as tables, each comparing with the previous period."""
    cur, prev = report.current, report.previous
    headers = [_l("Measure"), *COMPARE_HEADERS]
    return [
        *_cases_tables(cur, prev, headers),
        *_restrictions_tables(cur, prev, headers),
        *_reviews_tables(cur, prev, headers),
        *_challenges_tables(cur, prev, headers),
    ]


def _cases_tables(cur: PeriodFigures, prev: PeriodFigures, headers) -> list[ReportTable]:
    """Cases where the policy was applied, and by type of behaviour (s5.1, s3.1)."""
    return [
        ReportTable(
            "cases",
            _l("Cases where the policy was applied"),
            headers,
            _compare_rows(
                [
                    (_l("Cases open at any time in the period"), lambda f: f.cases_applied),
                    (_l("New cases opened"), lambda f: f.cases_opened),
                    (_l("Cases closed"), lambda f: f.cases_closed),
                ],
                cur,
                prev,
            ),
        ),
        ReportTable(
            "behaviour-types",
            _l("Cases by type of behaviour (policy section 3.1)"),
            [_l("Type of behaviour"), *COMPARE_HEADERS],
            _vocabulary_rows(BehaviourType, "behaviour_cases", cur, prev),
            chart=Chart(
                _l("Cases by type of behaviour"),
                _l(
                    "Bar chart of the number of cases with an incident of each type of "
                    "behaviour, this period and the previous period. The table beside it "
                    "has the same figures."
                ),
                1,
                2,
            ),
            note=_l("A case with incidents of several types is counted under each type."),
        ),
    ]


def _restrictions_tables(cur: PeriodFigures, prev: PeriodFigures, headers) -> list[ReportTable]:
    """Restrictions started: options, planned lengths, and escalations (s3.2, s3.3, s3.5)."""
    return [
        ReportTable(
            "restriction-options",
            _l("Restrictions started, by option (policy section 3.2)"),
            [_l("Option"), *COMPARE_HEADERS],
            _compare_rows(
                [
                    (_l("Restrictions started"), lambda f: f.restrictions_started),
                    (_l("Cases with a restriction started"), lambda f: f.restricted_cases),
                ],
                cur,
                prev,
            )
            + _vocabulary_rows(RestrictionOption, "restriction_options", cur, prev),
            chart=Chart(
                _l("Restrictions started, by option"),
                _l(
                    "Bar chart of how many restrictions started in the period used each "
                    "option, this period and the previous period. The table beside it has "
                    "the same figures."
                ),
                1,
                2,
            ),
            note=_l("A restriction may use several options."),
        ),
        ReportTable(
            "restriction-lengths",
            _l("Length of restrictions started (policy section 3.5)"),
            [_l("Planned length"), *COMPARE_HEADERS],
            [
                [
                    text(LENGTH_LABELS[key]),
                    count(cur.length_bands[key]),
                    count(prev.length_bands[key]),
                    change(cur.length_bands[key], prev.length_bands[key]),
                ]
                for key, _limit in LENGTH_BANDS
            ]
            + [
                [
                    text(_l("Average length in days")),
                    days(cur.average_length_days),
                    days(prev.average_length_days),
                    text(""),
                ]
            ],
        ),
        ReportTable(
            "escalations",
            _l("Escalations (policy section 3.3)"),
            [_l("Step"), *COMPARE_HEADERS],
            _vocabulary_rows(EscalationKind, "escalations", cur, prev),
        ),
    ]


def _reviews_tables(cur: PeriodFigures, prev: PeriodFigures, headers) -> list[ReportTable]:
    """Reviews held on time, late or not at all, and their outcomes (s3.4)."""
    return [
        ReportTable(
            "reviews",
            _l("Reviews (policy section 3.4)"),
            headers,
            _compare_rows(
                [
                    (_l("Reviews held on time"), lambda f: f.reviews_on_time),
                    (_l("Reviews held late"), lambda f: f.reviews_late),
                    (
                        _l("Reviews due but not held by the end of the period"),
                        lambda f: f.reviews_not_held,
                    ),
                ],
                cur,
                prev,
            )
            + _vocabulary_rows(ReviewOutcome, "review_outcomes", cur, prev),
        ),
    ]


def _challenges_tables(cur: PeriodFigures, prev: PeriodFigures, headers) -> list[ReportTable]:
    """Appeals, reconsiderations, response times, ended calls and referrals (s3.2, s3.4, s4)."""
    return [
        ReportTable(
            "appeals",
            _l("Appeals (policy section 3.4)"),
            headers,
            _compare_rows(
                [
                    (_l("Appeals received"), lambda f: f.appeals_received),
                    (_l("Appeals decided"), lambda f: f.appeals_decided),
                    *[
                        (APPEAL_DECISION_LABELS[d], lambda f, d=d: f.appeal_decisions[d])
                        for d in AppealDecision
                    ],
                    (_l("Decided by the due date"), lambda f: f.appeals_decided_by_due_date),
                ],
                cur,
                prev,
            ),
            chart=Chart(
                _l("Appeal decisions"),
                _l(
                    "Bar chart of appeals received and decided, and the decisions, this "
                    "period and the previous period. The table beside it has the same figures."
                ),
                1,
                2,
            ),
        ),
        ReportTable(
            "reconsiderations",
            _l("Reconsideration requests (policy section 4)"),
            headers,
            _compare_rows(
                [
                    (_l("Requests received"), lambda f: f.reconsiderations_received),
                    (_l("Requests decided"), lambda f: f.reconsiderations_decided),
                    *[
                        (
                            RECONSIDERATION_DECISION_LABELS[d],
                            lambda f, d=d: f.reconsideration_decisions[d],
                        )
                        for d in ReconsiderationDecision
                    ],
                    (
                        _l("Answered within 10 working days"),
                        lambda f: f.reconsiderations_within_10_working_days,
                    ),
                ],
                cur,
                prev,
            ),
        ),
        ReportTable(
            "response-times",
            _l("Share answered in time"),
            [_l("Measure"), _l("This period"), _l("Previous period")],
            [
                [
                    text(_l("Appeals decided by the due date")),
                    percent(share(cur.appeals_decided_by_due_date, cur.appeals_decided)),
                    percent(share(prev.appeals_decided_by_due_date, prev.appeals_decided)),
                ],
                [
                    text(_l("Reconsideration requests answered within 10 working days")),
                    percent(
                        share(
                            cur.reconsiderations_within_10_working_days,
                            cur.reconsiderations_decided,
                        )
                    ),
                    percent(
                        share(
                            prev.reconsiderations_within_10_working_days,
                            prev.reconsiderations_decided,
                        )
                    ),
                ],
            ],
            note=_l("Of those decided in the period. A dash means none were decided."),
        ),
        ReportTable(
            "calls-and-referrals",
            _l("Calls ended by staff and Community Safety referrals (policy section 3.2)"),
            headers,
            _compare_rows(
                [
                    (_l("Calls ended by staff"), lambda f: f.calls_terminated),
                    (
                        _l("Of which the customer was told why first"),
                        lambda f: f.calls_terminated_warned_first,
                    ),
                    (_l("Community Safety referrals"), lambda f: f.community_safety_referrals),
                ],
                cur,
                prev,
            ),
        ),
        ReportTable(
            "policy-feedback",
            _l("Feedback on the policy (policy section 5.3)"),
            headers,
            _compare_rows(
                [
                    (_l("Feedback received"), lambda f: f.policy_feedback_received),
                    (_l("Of which considered"), lambda f: f.policy_feedback_considered),
                ],
                cur,
                prev,
            ),
        ),
    ]
