"""The demo landlord's Managed Behaviour Policy as it stands: version 1.0 with the approval
dates of its s9 table, in force from its leadership approval (issue 17)."""

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    Appeal,
    ComplaintRefusal,
    Letter,
    PolicyFeedback,
    PolicyVersion,
    ReconsiderationRequest,
    Restriction,
    Review,
)
from portal.models.vocab import FeedbackFrom, FeedbackOutcome, PolicyVersionStatus, Role
from portal.policy import documents

TEXT = Path(__file__).with_name("managed-behaviour-policy-1.0.txt")
NUMBER = "1.0"


def load_policy_version() -> PolicyVersion:
    """Version 1.0 as s9 records it (created once; published versions are frozen)."""
    version = db.session.scalar(sa.select(PolicyVersion).where(PolicyVersion.number == NUMBER))
    if version is not None:
        return version
    version = PolicyVersion(
        number=NUMBER,
        full_text=TEXT.read_text(encoding="utf-8").strip(),
        changes="The first version kept in the portal.",
        owner_role=Role.REVIEW_MANAGER,  # s1.6
        eia_completed_on=dt.date(2025, 6, 23),
        eia_reviewed_on=dt.date(2025, 8, 21),
        approved_on=dt.date(2025, 9, 15),
        amendments=(
            "June 2025: minor amendment to insert the standard complaints section and format "
            "for external publication."
        ),
        next_review_on=dt.date(2027, 9, 30),
        in_force_from=dt.date(2025, 9, 15),
    )
    version.documents = documents.build_documents(version)
    db.session.add(version)
    db.session.flush()
    version.status = PolicyVersionStatus.PUBLISHED
    db.session.flush()
    return version


def stamp_demo_decisions(version: PolicyVersion) -> None:
    """The demo's records are written straight into the tables, not through the services
    that record the version in force: give those made since 1.0 came into force its id."""
    start = version.in_force_from
    since = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    for model, when in (
        (Restriction, Restriction.approved_at >= since),
        (Review, Review.held_on >= start),
        (Appeal, Appeal.decided_at >= since),
        (ReconsiderationRequest, ReconsiderationRequest.decided_at >= since),
        (ComplaintRefusal, ComplaintRefusal.decided_on >= start),
        (Letter, Letter.issued_at >= since),
    ):
        db.session.execute(
            sa.update(model)
            .where(when, model.policy_version_id.is_(None))
            .values(policy_version_id=version.id)
            .execution_options(synchronize_session=False)
        )


def load_policy_feedback(version: PolicyVersion, owner, today: dt.date) -> None:
    """A little feedback since 1.0 came into force (s5.3), one of it considered; once."""
    if db.session.scalar(sa.select(sa.func.count(PolicyFeedback.id))):
        return

    def at(days_ago: int) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(10), tzinfo=dt.UTC)

    db.session.add_all(
        [
            PolicyFeedback(
                received_at=at(40),
                policy_version_id=version.id,
                section="3.2",
                text=(
                    "The policy should say how long a single point of contact lasts and "
                    "who covers when they are on leave."
                ),
                given_by=FeedbackFrom.ADVOCATE,
                contact_name="Priya Shah",
                contact_email="priya.shah@example.com",
                outcome=FeedbackOutcome.NEXT_VERSION,
                outcome_note="Cover during leave to be added to section 3.3 in version 2.0.",
                considered_by_id=owner.id,
                considered_at=at(30),
            ),
            PolicyFeedback(
                received_at=at(12),
                policy_version_id=version.id,
                section="whole",
                text="Clear and fair. An easy read version of the whole policy would help.",
                given_by=FeedbackFrom.CUSTOMER,
            ),
            PolicyFeedback(
                received_at=at(3),
                policy_version_id=version.id,
                section="6",
                text=(
                    "Colleagues would like the Equality Impact Assessment summarised on "
                    "the intranet."
                ),
                given_by=FeedbackFrom.COLLEAGUE,
            ),
        ]
    )
