"""Complaint refusals and the customer's two ways to challenge a decision: appeal (s3.4)
and reconsideration (s4).

Independence (DESIGN "Beyond" 4: the decider did not propose, approve or review what is
challenged) spans several tables, so the appeals service checks it, not a constraint.
"""

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.people import Customer, User
from portal.models.types import UTCDateTime, enum_type, utcnow
from portal.models.vocab import (
    AppealDecision,
    ChallengeStatus,
    ReconsiderationDecision,
    ReconsiderationGround,
)

if TYPE_CHECKING:
    from portal.models.cases import Attachment, Case
    from portal.models.letters import Letter
    from portal.models.restrictions import Restriction

OPEN_CHALLENGE = "status IN ('received', 'being_considered')"


def _challenge_rules(table: str, text_column: str) -> tuple:
    """Constraints shared by appeals and reconsideration requests."""
    return (
        sa.CheckConstraint(
            "(restriction_id IS NOT NULL AND complaint_refusal_id IS NULL)"
            " OR (restriction_id IS NULL AND complaint_refusal_id IS NOT NULL)",
            name="one_target",
        ),
        sa.CheckConstraint(f"{text_column} <> ''", name=f"{text_column}_given"),
        sa.CheckConstraint(
            "(status = 'decided' AND decision IS NOT NULL AND decided_by_id IS NOT NULL"
            " AND decided_at IS NOT NULL AND decision_reasons <> '')"
            " OR (status <> 'decided' AND decision IS NULL)",
            name="decided_with_reasons",
        ),
        # One open challenge per decision: a double submit or a second tab makes one row.
        *(
            sa.Index(
                f"uq_{table}_open_{column}",
                column,
                unique=True,
                sqlite_where=sa.text(OPEN_CHALLENGE),
                postgresql_where=sa.text(OPEN_CHALLENGE),
            )
            for column in ("restriction_id", "complaint_refusal_id")
        ),
        sa.Index(f"ix_{table}_status_submitted_at", "status", "submitted_at"),
    )


class ComplaintRefusal(db.Model):
    """A decision to decline to further consider a complaint (s3.2), appealable (s3.4) and
    open to reconsideration (s4)."""

    __tablename__ = "complaint_refusals"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The policy version in force when this was decided or issued (issue 17).
    policy_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("policy_versions.id"))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    complaint_reference: Mapped[str] = mapped_column(sa.String(40))
    reason: Mapped[str] = mapped_column(sa.Text)
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    decided_on: Mapped[dt.date] = mapped_column(sa.Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped["Case"] = relationship(back_populates="complaint_refusals")
    decided_by: Mapped[User] = relationship()
    appeals: Mapped[list["Appeal"]] = relationship(back_populates="complaint_refusal")
    reconsideration_requests: Mapped[list["ReconsiderationRequest"]] = relationship(
        back_populates="complaint_refusal"
    )
    letters: Mapped[list["Letter"]] = relationship(back_populates="complaint_refusal")

    __table_args__ = (sa.CheckConstraint("reason <> ''", name="reason_given"),)


class Appeal(db.Model):
    """An appeal against a restriction or a complaint refusal, decided by the Service
    Director – Customer Operations: uphold, vary or overturn, with reasons (s3.4)."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The policy version in force when this was decided or issued (issue 17).
    policy_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("policy_versions.id"))
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)  # "AP-7K3M9Q"
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    restriction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("restrictions.id"))
    complaint_refusal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complaint_refusals.id"))
    grounds: Mapped[str] = mapped_column(sa.Text)
    submitted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))  # customer or advocate
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[ChallengeStatus] = mapped_column(
        enum_type(ChallengeStatus, "challenge_status"), default=ChallengeStatus.RECEIVED
    )
    due_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    decision: Mapped[AppealDecision | None] = mapped_column(
        enum_type(AppealDecision, "appeal_decision")
    )
    decision_reasons: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Decided by the due date? Recorded when decided (issue 6: the SLA, met or missed).
    sla_met: Mapped[bool | None]

    customer: Mapped[Customer] = relationship()
    restriction: Mapped["Restriction | None"] = relationship(back_populates="appeals")
    complaint_refusal: Mapped[ComplaintRefusal | None] = relationship(back_populates="appeals")
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="appeal")
    letters: Mapped[list["Letter"]] = relationship(back_populates="appeal")

    __table_args__ = _challenge_rules("appeals", "grounds")


class ReconsiderationRequest(db.Model):
    """A request to reconsider a restriction or complaint refusal on a change in
    circumstances or a factual error, answered within 10 working days (s4; DESIGN rule 9).

    ``answer_due_on`` is computed by a service (England & Wales bank holidays excluded) and
    stored, so the date the customer was shown never shifts.
    """

    __tablename__ = "reconsideration_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The policy version in force when this was decided or issued (issue 17).
    policy_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("policy_versions.id"))
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    restriction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("restrictions.id"))
    # Named by hand: the naming convention's name is over PostgreSQL's 63-character limit.
    complaint_refusal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("complaint_refusals.id", name="fk_reconsideration_requests_refusal_id")
    )
    ground: Mapped[ReconsiderationGround] = mapped_column(
        enum_type(ReconsiderationGround, "reconsideration_ground")
    )
    details: Mapped[str] = mapped_column(sa.Text)
    submitted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer_due_on: Mapped[dt.date] = mapped_column(sa.Date)
    status: Mapped[ChallengeStatus] = mapped_column(
        enum_type(ChallengeStatus, "challenge_status"), default=ChallengeStatus.RECEIVED
    )
    decision: Mapped[ReconsiderationDecision | None] = mapped_column(
        enum_type(ReconsiderationDecision, "reconsideration_decision")
    )
    decision_reasons: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    sla_met: Mapped[bool | None]  # answered within 10 working days (s4)?

    customer: Mapped[Customer] = relationship()
    restriction: Mapped["Restriction | None"] = relationship(
        back_populates="reconsideration_requests"
    )
    complaint_refusal: Mapped[ComplaintRefusal | None] = relationship(
        back_populates="reconsideration_requests"
    )
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="reconsideration")
    letters: Mapped[list["Letter"]] = relationship(back_populates="reconsideration")

    __table_args__ = (
        *_challenge_rules("reconsideration_requests", "details"),
        # The 10-working-day SLA (s4): open requests by due date.
        sa.Index("ix_reconsideration_requests_status_answer_due_on", "status", "answer_due_on"),
    )


class ChallengeDraft(db.Model):
    """A half-written appeal or reconsideration request, kept on the server so it survives
    sign-out, session expiry and validation errors (issue 6: save and come back). Removed
    when submitted; the submission's idempotency key is derived from its id, author and
    start time, so a double submit makes one appeal."""

    __tablename__ = "challenge_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # "appeal" or "reconsideration"
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    restriction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("restrictions.id"))
    complaint_refusal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complaint_refusals.id"))
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship()
    restriction: Mapped["Restriction | None"] = relationship()
    complaint_refusal: Mapped[ComplaintRefusal | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("kind IN ('appeal', 'reconsideration')", name="known_kind"),
        sa.CheckConstraint(
            "(restriction_id IS NOT NULL AND complaint_refusal_id IS NULL)"
            " OR (restriction_id IS NULL AND complaint_refusal_id IS NOT NULL)",
            name="one_target",
        ),
    )
