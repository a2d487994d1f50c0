"""Restrictions on contact (s3.2), their measures, reviews (s3.4) and escalations (s3.3)."""

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.people import User
from portal.models.types import UTCDateTime, enum_type, utcnow
from portal.models.vocab import (
    ContactChannel,
    EscalationKind,
    QuotaPeriod,
    RestrictionOption,
    RestrictionStatus,
    ReviewFrequency,
    ReviewOutcome,
)

if TYPE_CHECKING:
    from portal.models.cases import Case, ContactLogEntry, Incident, NeedsConsideration
    from portal.models.challenges import Appeal, ReconsiderationRequest
    from portal.models.letters import Letter

# The behaviour a restriction answers: what its letter says it is for (s3.2, s3.4).
restriction_incidents = sa.Table(
    "restriction_incidents",
    db.metadata,
    sa.Column("restriction_id", sa.ForeignKey("restrictions.id"), primary_key=True),
    sa.Column("incident_id", sa.ForeignKey("incidents.id"), primary_key=True, index=True),
)


class Restriction(db.Model):
    """A decision to restrict a customer's contact (s3.2), approved by the review manager and
    reviewed quarterly or six-monthly (s3.4), never longer than six months (s3.5).

    Varying a restriction creates a new one that supersedes it, so a letter already issued
    keeps describing the restriction it was about.
    """

    __tablename__ = "restrictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The policy version in force when this was decided or issued (issue 17).
    policy_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("policy_versions.id"))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    status: Mapped[RestrictionStatus] = mapped_column(
        enum_type(RestrictionStatus, "restriction_status"), default=RestrictionStatus.PROPOSED
    )
    starts_on: Mapped[dt.date] = mapped_column(sa.Date)
    ends_on: Mapped[dt.date] = mapped_column(sa.Date)
    review_frequency: Mapped[ReviewFrequency] = mapped_column(
        enum_type(ReviewFrequency, "review_frequency")
    )
    next_review_on: Mapped[dt.date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.Text)  # in words the customer will read
    proposed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str] = mapped_column(sa.Text, default="")
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # The s6.1 record it was tailored to; required: no needs record, no restriction (DESIGN 4).
    needs_consideration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("needs_considerations.id"), index=True
    )
    # Why a measure that clashes with a recorded need is still right (DESIGN "Beyond" 2).
    needs_conflict_justification: Mapped[str] = mapped_column(sa.Text, default="")
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("restrictions.id"), unique=True)
    version_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    case: Mapped["Case"] = relationship(back_populates="restrictions")
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    needs_consideration: Mapped["NeedsConsideration"] = relationship(back_populates="restrictions")
    supersedes: Mapped["Restriction | None"] = relationship(
        remote_side="Restriction.id", back_populates="superseded_by"
    )
    superseded_by: Mapped["Restriction | None"] = relationship(back_populates="supersedes")
    measures: Mapped[list["RestrictionMeasure"]] = relationship(
        back_populates="restriction", cascade="all, delete-orphan", lazy="selectin"
    )
    incidents: Mapped[list["Incident"]] = relationship(
        secondary=restriction_incidents, back_populates="restrictions"
    )
    reviews: Mapped[list["Review"]] = relationship(
        back_populates="restriction", order_by="Review.due_on"
    )
    contact_log_entries: Mapped[list["ContactLogEntry"]] = relationship(
        back_populates="restriction"
    )
    appeals: Mapped[list["Appeal"]] = relationship(back_populates="restriction")
    reconsideration_requests: Mapped[list["ReconsiderationRequest"]] = relationship(
        back_populates="restriction"
    )
    letters: Mapped[list["Letter"]] = relationship(back_populates="restriction")

    __mapper_args__ = {"version_id_col": version_id}

    # s3.5's "not exceed a period of six months" is calendar months (31 Aug -> 28 Feb), which
    # no portable CHECK can compute: the restrictions service enforces it before saving.
    __table_args__ = (
        sa.CheckConstraint("ends_on > starts_on", name="ends_after_start"),
        sa.CheckConstraint(
            "next_review_on >= starts_on AND next_review_on <= ends_on", name="review_in_term"
        ),
        sa.CheckConstraint(
            "status NOT IN ('active', 'lifted', 'expired', 'overturned', 'superseded')"
            " OR (approved_by_id IS NOT NULL AND approved_at IS NOT NULL)",
            name="approved_before_in_force",
        ),
        # s3.4: the review manager approves; nobody approves their own proposal.
        # Four eyes: who proposes does not approve — except a change a review manager makes
        # at a review, which is their decision (s3.4; restrictions.services.vary_at_review).
        sa.CheckConstraint(
            "approved_by_id IS NULL OR approved_by_id <> proposed_by_id"
            " OR supersedes_id IS NOT NULL",
            name="approver_not_proposer",
        ),
        sa.CheckConstraint("status <> 'rejected' OR rejection_reason <> ''", name="rejected_why"),
        sa.CheckConstraint(
            "status NOT IN ('lifted', 'expired', 'overturned', 'superseded')"
            " OR ended_at IS NOT NULL",
            name="ended_when",
        ),
        sa.CheckConstraint("reason <> ''", name="reason_given"),
        sa.Index("ix_restrictions_status_next_review_on", "status", "next_review_on"),
        sa.Index("ix_restrictions_status_ends_on", "status", "ends_on"),
    )


class RestrictionMeasure(db.Model):
    """One s3.2 option of a restriction, with the parameters that make it checkable when a
    contact is logged (DESIGN rule 3, "Beyond" 1). Times are UK local wall-clock times."""

    __tablename__ = "restriction_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    restriction_id: Mapped[int] = mapped_column(sa.ForeignKey("restrictions.id"))
    option: Mapped[RestrictionOption] = mapped_column(
        enum_type(RestrictionOption, "restriction_option")
    )
    single_point_of_contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id"), index=True
    )
    permitted_channel: Mapped[ContactChannel | None] = mapped_column(
        enum_type(ContactChannel, "contact_channel")
    )
    permitted_weekdays: Mapped[str | None] = mapped_column(sa.String(13))  # "0,1,2,3,4", Mon=0
    permitted_from: Mapped[dt.time | None] = mapped_column(sa.Time)
    permitted_until: Mapped[dt.time | None] = mapped_column(sa.Time)
    contact_limit: Mapped[int | None]
    limit_period: Mapped[QuotaPeriod | None] = mapped_column(enum_type(QuotaPeriod, "quota_period"))
    declined_complaint_reference: Mapped[str | None] = mapped_column(sa.String(40))
    declined_complaint_reason: Mapped[str | None] = mapped_column(sa.Text)
    barred_premises: Mapped[str | None] = mapped_column(sa.Text)  # which offices, hubs, events
    advocate_offered_on: Mapped[dt.date | None] = mapped_column(sa.Date)

    restriction: Mapped[Restriction] = relationship(back_populates="measures")
    single_point_of_contact: Mapped[User | None] = relationship()

    # Each CHECK says "IS NOT NULL" outright: a CHECK that evaluates to NULL passes.
    __table_args__ = (
        sa.UniqueConstraint("restriction_id", "option"),
        sa.CheckConstraint(
            "option <> 'single_point_of_contact' OR single_point_of_contact_id IS NOT NULL",
            name="spoc_named",
        ),
        sa.CheckConstraint(
            "option <> 'advocate_offered' OR advocate_offered_on IS NOT NULL",
            name="advocate_offered_when",
        ),
        sa.CheckConstraint(
            "option <> 'single_channel' OR (permitted_channel IS NOT NULL"
            " AND permitted_channel IN ('writing', 'email', 'telephone'))",
            name="channel_restrictable",
        ),
        sa.CheckConstraint(
            "option <> 'set_times' OR (permitted_weekdays IS NOT NULL AND permitted_weekdays <> ''"
            " AND permitted_from IS NOT NULL AND permitted_until IS NOT NULL"
            " AND permitted_from < permitted_until)",
            name="set_times_given",
        ),
        sa.CheckConstraint(
            "option <> 'contact_limit' OR (contact_limit IS NOT NULL AND contact_limit >= 1"
            " AND limit_period IS NOT NULL)",
            name="limit_given",
        ),
        sa.CheckConstraint(
            "option <> 'complaint_declined' OR (declined_complaint_reference IS NOT NULL"
            " AND declined_complaint_reason IS NOT NULL AND declined_complaint_reason <> '')",
            name="declined_complaint_given",
        ),
        sa.CheckConstraint(
            "option <> 'premises_barred'"
            " OR (barred_premises IS NOT NULL AND barred_premises <> '')",
            name="premises_named",
        ),
    )


class Escalation(db.Model):
    """An extreme step of s3.3 (end direct contact, legal action, police), with an approver."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[EscalationKind] = mapped_column(enum_type(EscalationKind, "escalation_kind"))
    reason: Mapped[str] = mapped_column(sa.Text)
    proposed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped["Case"] = relationship(back_populates="escalations")
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    __table_args__ = (
        sa.CheckConstraint("reason <> ''", name="reason_given"),
        # Four eyes: who proposes does not approve — except a change a review manager makes
        # at a review, which is their decision (s3.4; restrictions.services.vary_at_review).
        sa.CheckConstraint(
            "approved_by_id IS NULL OR approved_by_id <> proposed_by_id"
            " OR supersedes_id IS NOT NULL",
            name="approver_not_proposer",
        ),
        sa.CheckConstraint(
            "(approved_by_id IS NULL) = (approved_at IS NULL)", name="approved_when"
        ),
    )


class Review(db.Model):
    """A scheduled review of a restriction by the review manager (s3.4; DESIGN rule 6).

    Keeping a restriction needs an explanation and a new end date: s3.4 "an explanation will
    be provided as to why the restriction will remain in place and for how long".
    """

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The policy version in force when this was decided or issued (issue 17).
    policy_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("policy_versions.id"))
    restriction_id: Mapped[int] = mapped_column(sa.ForeignKey("restrictions.id"), index=True)
    due_on: Mapped[dt.date] = mapped_column(sa.Date)
    held_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    behaviour_improved: Mapped[bool | None]
    outcome: Mapped[ReviewOutcome | None] = mapped_column(
        enum_type(ReviewOutcome, "review_outcome")
    )
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    new_ends_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    restriction: Mapped[Restriction] = relationship(back_populates="reviews")
    reviewer: Mapped[User | None] = relationship()
    letters: Mapped[list["Letter"]] = relationship(back_populates="review")

    __table_args__ = (
        # A review that decides "vary" is held when the change is written (s3.4).
        sa.CheckConstraint(
            "outcome IS NULL OR (reviewer_id IS NOT NULL AND behaviour_improved IS NOT NULL"
            " AND (held_on IS NOT NULL OR outcome = 'vary'))",
            name="decided_at_review",
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome <> 'keep'"
            " OR (explanation <> '' AND new_ends_on IS NOT NULL)",
            name="keep_explained",
        ),
        # The reviews not yet held: a few hundred, while held ones pile up for ever; the
        # reviews queue starts from them (issue 18).
        sa.Index(
            "ix_reviews_not_held",
            "restriction_id",
            sqlite_where=sa.text("held_on IS NULL"),
            postgresql_where=sa.text("held_on IS NULL"),
        ),
    )
