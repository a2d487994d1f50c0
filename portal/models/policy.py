"""The Managed Behaviour Policy itself as versioned data (DESIGN.md rule 13; issue 17).

Policy sections: s1.6 the policy has a named owner (the Service Delivery Manager – Customer
Experience, the review manager role here); s5.4 it is reviewed within two years of its
approval or earlier; s9 its version control and approval dates (the Equality Impact
Assessment completed and reviewed, senior leadership approval, minor amendments, the next
review date).

A version is drafted, its approval stages are recorded, and it is published to be in force
from a chosen date. Once published it is frozen: its words and dates are what decisions
were made under (every decision and letter records the version in force when it was made).
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from portal.extensions import db
from portal.models.types import UTCDateTime, enum_type, utcnow
from portal.models.vocab import FeedbackFrom, FeedbackOutcome, PolicyVersionStatus, Role

# What may not change once a version is published.
FROZEN_WHEN_PUBLISHED = (
    "number",
    "full_text",
    "changes",
    "owner_role",
    "eia_completed_on",
    "eia_reviewed_on",
    "approved_on",
    "amendments",
    "next_review_on",
    "in_force_from",
    "documents",
)


class RelatedDocument(db.Model):
    """s8's associated documents (and the Anti-Social Behaviour Policy of s3.2): where each
    is published, set by the admin or the policy's owner; the policy page links them."""

    __tablename__ = "related_documents"

    key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(500), default="")


class PolicyFeedback(db.Model):
    """Feedback on the policy or one of its sections (s5.3), from anyone, signed in or
    not; anonymous unless the person leaves a way to reach them. The owner records what
    was done with it, and the next version's review pack lists it."""

    __tablename__ = "policy_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The version in force when it was given: "feedback since the last version".
    policy_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("policy_versions.id"))
    section: Mapped[str] = mapped_column(sa.String(20))  # portal.policy.feedback.SECTIONS
    text: Mapped[str] = mapped_column(sa.Text)
    given_by: Mapped[FeedbackFrom] = mapped_column(enum_type(FeedbackFrom, "feedback_from"))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # A way to reach them, only if they chose to leave one.
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    outcome: Mapped[FeedbackOutcome | None] = mapped_column(
        enum_type(FeedbackOutcome, "feedback_outcome")
    )
    outcome_note: Mapped[str] = mapped_column(sa.Text, default="")
    considered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    considered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_anonymous(self) -> bool:
        return not (self.contact_name or self.contact_email or self.contact_phone)


class PublishedVersionChanged(Exception):
    """A published version was edited; the next one is drafted instead."""


class PolicyVersion(db.Model):
    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    # Active history: the guard below must see the status being left.
    status: Mapped[PolicyVersionStatus] = mapped_column(
        enum_type(PolicyVersionStatus, "policy_version_status"),
        default=PolicyVersionStatus.DRAFT,
        active_history=True,
    )
    # The whole policy (tens of KB): loaded only where it is shown or made into files, not
    # by every page that asks which version is in force (issue 18).
    full_text: Mapped[str] = mapped_column(sa.Text, default="", deferred=True)
    # What changed from the version before, in the owner's words (for the review pack).
    changes: Mapped[str] = mapped_column(sa.Text, default="")
    owner_role: Mapped[Role] = mapped_column(enum_type(Role, "role"), default=Role.REVIEW_MANAGER)
    # s9's approval stages: the dates each was completed.
    eia_completed_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    eia_reviewed_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    approved_on: Mapped[dt.date | None] = mapped_column(sa.Date)  # senior leadership
    amendments: Mapped[str] = mapped_column(sa.Text, default="")  # minor amendments made
    next_review_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    in_force_from: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The last review reminder sent (days before the review: 90, 30; 0 once overdue), so
    # the daily reminder command sends each one once however often it runs.
    review_reminder_sent: Mapped[int | None] = mapped_column(sa.Integer)
    # Its words as documents in every format's source, every language (s6.5), built when
    # it is published (portal.policy.documents); loaded only when a file is made.
    documents: Mapped[dict | None] = mapped_column(sa.JSON, deferred=True)

    @property
    def is_published(self) -> bool:
        return self.status == PolicyVersionStatus.PUBLISHED

    @validates(*FROZEN_WHEN_PUBLISHED)
    def _frozen(self, key, value):
        if self.status == PolicyVersionStatus.PUBLISHED and getattr(self, key) != value:
            raise PublishedVersionChanged(key)
        return value
