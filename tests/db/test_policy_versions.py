"""The policy as versioned data (issue 17; s1.6, s5.4, s9): versions drafted, approved and
published from a date, then frozen; every decision and letter records the version in force
when it was made; two versions compared; the review reminded at 90 and 30 days and when
overdue, once each. On SQLite and PostgreSQL."""

import datetime as dt

import pytest

from portal.cases import services as case_services
from portal.extensions import db
from portal.models.policy import PublishedVersionChanged
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.policy import reminders, versions
from tests.factories import make_customer, make_ready_case, make_user
from tests.helpers import emails_to

APPROVED = dt.date(2025, 9, 15)


def published(number: str, *, text: str, approved_on: dt.date, in_force_from: dt.date, by):
    """A version drafted, its approval stages dated, and published from ``in_force_from``."""
    draft = versions.draft_next(created_by=by, today=in_force_from)
    versions.save_draft(
        draft,
        saved_by=by,
        number=number,
        full_text=text,
        eia_completed_on=approved_on - dt.timedelta(days=80),
        eia_reviewed_on=approved_on - dt.timedelta(days=20),
        approved_on=approved_on,
    )
    return versions.publish(
        draft, in_force_from=in_force_from, published_by=by, now=utcnow(), today=in_force_from
    )


def test_a_decision_records_the_version_in_force_on_the_day_it_was_made(app):
    owner = make_user(Role.REVIEW_MANAGER)
    officer = make_user(Role.CASE_OFFICER)
    first = published("1.0", text="One", approved_on=APPROVED, in_force_from=APPROVED, by=owner)
    second_starts = dt.date(2026, 10, 1)
    second = published(
        "2.0", text="Two", approved_on=dt.date(2026, 9, 20), in_force_from=second_starts, by=owner
    )
    assert versions.in_force_on(APPROVED - dt.timedelta(days=1)) is None
    assert versions.in_force_on(second_starts - dt.timedelta(days=1)) == first
    assert versions.in_force_on(second_starts) == second

    case = make_ready_case(make_customer(), officer)

    def refused_on(day):
        refusal = case_services.refuse_complaint(
            case,
            complaint_reference=f"C-{day:%m%d}",
            reason="Pursued unreasonably.",
            decided_on=day,
            decided_by=officer,
            today=second_starts + dt.timedelta(days=5),
        )
        db.session.commit()
        return refusal.policy_version_id

    assert refused_on(second_starts - dt.timedelta(days=1)) == first.id
    assert refused_on(second_starts) == second.id
    assert refused_on(APPROVED - dt.timedelta(days=3)) is None  # before any version


def test_a_letter_records_and_says_the_version_it_was_made_under(app):
    from tests.views.test_letter_audio_braille import issued_notice

    owner = make_user(Role.REVIEW_MANAGER, email="owner@example.com")
    version = published("1.0", text="One", approved_on=APPROVED, in_force_from=APPROVED, by=owner)
    letter, _customer, _officer = issued_notice(locale="ar")
    assert letter.policy_version_id == version.id
    for code in ("en", "ar", "cy"):
        references = dict(letter.content["documents"][code]["references"])
        assert "1.0" in references.values(), code
    english = dict(letter.content["documents"]["en"]["references"])
    assert english["Managed Behaviour Policy version"] == "1.0"


def test_a_published_version_is_frozen_and_only_a_complete_draft_is_published(app):
    owner = make_user(Role.REVIEW_MANAGER)
    today = dt.date(2026, 12, 5)
    version = published("1.0", text="One", approved_on=APPROVED, in_force_from=APPROVED, by=owner)
    with pytest.raises(PublishedVersionChanged):
        version.full_text = "Something else"
    db.session.rollback()
    with pytest.raises(versions.NotADraft):
        versions.save_draft(version, saved_by=owner, full_text="Something else")
    assert version.next_review_on == dt.date(2027, 9, 15)  # two years on by default (s5.4)

    draft = versions.draft_next(created_by=owner, today=today)
    assert (draft.number, draft.full_text) == ("2.0", "One")  # the words in force
    assert versions.draft_next(created_by=owner, today=today) == draft  # one draft at a time
    with pytest.raises(versions.ApprovalIncomplete) as refused:
        versions.publish(draft, in_force_from=today, published_by=owner, now=utcnow(), today=today)
    assert refused.value.missing == ["eia_completed_on", "eia_reviewed_on", "approved_on"]
    db.session.rollback()
    with pytest.raises(versions.NumberTaken):
        versions.save_draft(draft, saved_by=owner, number="1.0")
    db.session.rollback()
    versions.save_draft(
        draft,
        saved_by=owner,
        eia_completed_on=dt.date(2026, 10, 1),
        eia_reviewed_on=dt.date(2026, 11, 1),
        approved_on=dt.date(2026, 12, 1),
        next_review_on=dt.date(2029, 1, 1),  # more than two years after approval
    )
    yesterday = today - dt.timedelta(days=1)
    with pytest.raises(versions.BadInForceDate):  # decisions already made stay as they were
        versions.publish(
            draft, in_force_from=yesterday, published_by=owner, now=utcnow(), today=today
        )
    db.session.rollback()
    with pytest.raises(versions.ReviewTooLate):
        versions.publish(draft, in_force_from=today, published_by=owner, now=utcnow(), today=today)
    db.session.rollback()
    versions.save_draft(draft, saved_by=owner, next_review_on=dt.date(2028, 11, 30))
    versions.publish(draft, in_force_from=today, published_by=owner, now=utcnow(), today=today)
    assert versions.in_force_on(today) == draft


def test_two_versions_side_by_side(app):
    owner = make_user(Role.REVIEW_MANAGER)
    old_text = "1. Background\nWe listen.\nWe act fairly.\n2. Review\nEvery two years."
    new_text = (
        "1. Background\nWe listen carefully.\nWe act fairly.\n2. Review\n3. Feedback\nTell us."
    )
    old = published("1.0", text=old_text, approved_on=APPROVED, in_force_from=APPROVED, by=owner)
    new = versions.draft_next(created_by=owner, today=APPROVED)
    versions.save_draft(new, saved_by=owner, full_text=new_text)
    rows = [(row.kind, row.old, row.new) for row in versions.compare(old, new)]
    assert rows == [
        ("same", "1. Background", "1. Background"),
        ("changed", "We listen.", "We listen carefully."),
        ("same", "We act fairly.", "We act fairly."),
        ("same", "2. Review", "2. Review"),
        ("changed", "Every two years.", "3. Feedback"),
        ("added", "", "Tell us."),
    ]


def test_the_review_is_reminded_at_90_and_30_days_and_when_overdue_once_each(app):
    owner = make_user(Role.REVIEW_MANAGER, email="owner@example.com")
    leader = make_user(Role.LEADERSHIP, email="leader@example.com")
    make_user(Role.CASE_OFFICER, email="officer@example.com")
    version = published("1.0", text="One", approved_on=APPROVED, in_force_from=APPROVED, by=owner)
    due = version.next_review_on

    def remind(days_before: int) -> int:
        return reminders.send_policy_reminder(due - dt.timedelta(days=days_before))

    assert remind(91) == 0
    assert remind(90) == 2  # the owner role and leadership
    assert remind(90) == 0 and remind(60) == 0  # safe to run twice; nothing new until 30
    assert remind(30) == 2
    assert remind(29) == 0
    assert remind(-1) == 2  # overdue, once
    assert remind(-2) == 0
    for person in (owner, leader):
        subjects = [m["Subject"] for m in emails_to(app, person.email)]
        assert subjects == [
            "Managed behaviour: the policy's review is due",
            "Managed behaviour: the policy's review is due",
            "Managed behaviour: the policy's review is overdue",
        ]
    assert emails_to(app, "officer@example.com") == []
    body = emails_to(app, owner.email)[0].get_content()
    assert f"is due by {due:%d %B %Y}, in 90 days" in body and "/staff/policy" in body
