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
    PolicyVersion,
    ReconsiderationRequest,
    Restriction,
    Review,
)
from portal.models.vocab import PolicyVersionStatus, Role

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
