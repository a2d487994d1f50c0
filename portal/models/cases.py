"""A case and its evidence: incidents, informal steps, needs, contacts (s3.1–3.3, s6).

Children of a case have plain foreign keys, never ON DELETE CASCADE: evidence must outlive
any attempt to delete the case while an appeal or Ombudsman review may need it (s3.4).
"""

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.people import Customer, User
from portal.models.types import UTCDateTime, enum_type, utcnow
from portal.models.vocab import (
    BehaviourType,
    ContactChannel,
    ContactFinding,
    InformalStepKind,
    ReferralKind,
    ReferralStatus,
)

if TYPE_CHECKING:
    from portal.models.challenges import Appeal, ComplaintRefusal, ReconsiderationRequest
    from portal.models.letters import Letter
    from portal.models.restrictions import Escalation, Restriction


class Case(db.Model):
    """One customer's managed-behaviour case (s3), opened by staff, worked by a case officer."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)  # "MB-2026-00001"
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # An assignment, not evidence: losing the officer's account unassigns the case.
    case_officer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    staff_notes: Mapped[str] = mapped_column(sa.Text, default="")  # never shown to the customer

    customer: Mapped[Customer] = relationship()
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    case_officer: Mapped[User | None] = relationship(foreign_keys=[case_officer_id])
    incidents: Mapped[list["Incident"]] = relationship(
        back_populates="case", order_by="Incident.occurred_at"
    )
    informal_steps: Mapped[list["InformalStep"]] = relationship(
        back_populates="case", order_by="InformalStep.taken_on"
    )
    terminated_calls: Mapped[list["TerminatedCall"]] = relationship(back_populates="case")
    needs_considerations: Mapped[list["NeedsConsideration"]] = relationship(
        back_populates="case", order_by="NeedsConsideration.recorded_at"
    )
    contact_log_entries: Mapped[list["ContactLogEntry"]] = relationship(back_populates="case")
    referrals: Mapped[list["Referral"]] = relationship(back_populates="case")
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="case")
    restrictions: Mapped[list["Restriction"]] = relationship(
        back_populates="case", order_by="Restriction.starts_on"
    )
    escalations: Mapped[list["Escalation"]] = relationship(back_populates="case")
    complaint_refusals: Mapped[list["ComplaintRefusal"]] = relationship(back_populates="case")
    letters: Mapped[list["Letter"]] = relationship(back_populates="case")

    __table_args__ = (
        # An officer's open cases (their case list, its count, their letters to issue)
        # without reading the closed ones: 3.1 -> 0.2 ms to count 1,903 of an officer's
        # 9,986 cases (issue 18).
        sa.Index(
            "ix_cases_open_by_officer",
            "case_officer_id",
            sqlite_where=sa.text("closed_at IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL"),
        ),
    )


class Incident(db.Model):
    """Behaviour reported on a case: one or more of the eight s3.1 types (DESIGN rule 1)."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    channel: Mapped[ContactChannel] = mapped_column(enum_type(ContactChannel, "contact_channel"))
    description: Mapped[str] = mapped_column(sa.Text)
    reported_by: Mapped[str] = mapped_column(sa.Text, default="")
    logged_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    logged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="incidents")
    behaviour_rows: Mapped[list["IncidentBehaviour"]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", lazy="selectin"
    )
    restrictions: Mapped[list["Restriction"]] = relationship(
        secondary="restriction_incidents", back_populates="incidents"
    )
    terminated_calls: Mapped[list["TerminatedCall"]] = relationship(back_populates="incident")
    referrals: Mapped[list["Referral"]] = relationship(back_populates="incident")
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="incident")

    __table_args__ = (
        sa.CheckConstraint("description <> ''", name="description_given"),
        sa.Index("ix_incidents_case_id_occurred_at", "case_id", "occurred_at"),
    )

    @property
    def behaviours(self) -> frozenset[BehaviourType]:
        return frozenset(row.behaviour for row in self.behaviour_rows)

    @behaviours.setter
    def behaviours(self, wanted) -> None:
        # Keep existing rows: deleting and re-adding the same key in one flush collides.
        wanted = frozenset(BehaviourType(b) for b in wanted)
        self.behaviour_rows = [r for r in self.behaviour_rows if r.behaviour in wanted] + [
            IncidentBehaviour(behaviour=b) for b in sorted(wanted - self.behaviours)
        ]


class IncidentBehaviour(db.Model):
    """One s3.1 behaviour type recorded against an incident."""

    __tablename__ = "incident_behaviours"

    incident_id: Mapped[int] = mapped_column(sa.ForeignKey("incidents.id"), primary_key=True)
    behaviour: Mapped[BehaviourType] = mapped_column(
        enum_type(BehaviourType, "behaviour_type"), primary_key=True
    )

    incident: Mapped[Incident] = relationship(back_populates="behaviour_rows")

    # Monitoring counts cases by behaviour type (s5.1).
    __table_args__ = (sa.Index("ix_incident_behaviours_behaviour", "behaviour"),)


class TerminatedCall(db.Model):
    """A call ended by staff, and whether the customer was told why first (s3.2)."""

    __tablename__ = "terminated_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    ended_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    customer_warned_first: Mapped[bool]
    reason: Mapped[str] = mapped_column(sa.Text)
    incident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("incidents.id"))

    case: Mapped[Case] = relationship(back_populates="terminated_calls")
    incident: Mapped[Incident | None] = relationship(back_populates="terminated_calls")

    __table_args__ = (sa.CheckConstraint("reason <> ''", name="reason_given"),)


class InformalStep(db.Model):
    """An informal attempt at resolution and its outcome, required before any restriction
    (s3.2 "we will always seek to have a conversation", s3.3, EIA q7; DESIGN rule 2)."""

    __tablename__ = "informal_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[InformalStepKind] = mapped_column(
        enum_type(InformalStepKind, "informal_step_kind")
    )
    taken_on: Mapped[dt.date] = mapped_column(sa.Date)
    taken_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[str] = mapped_column(sa.Text)
    support_organisation: Mapped[str | None] = mapped_column(sa.String(200))  # s3.3

    case: Mapped[Case] = relationship(back_populates="informal_steps")
    letters: Mapped[list["Letter"]] = relationship(back_populates="informal_step")

    __table_args__ = (
        sa.CheckConstraint("outcome <> ''", name="outcome_given"),
        sa.CheckConstraint(
            "kind <> 'support_referral'"
            " OR (support_organisation IS NOT NULL AND support_organisation <> '')",
            name="referral_names_organisation",
        ),
    )


class NeedsConsideration(db.Model):
    """The needs and circumstances weighed before a restriction (s6.1, s6.2; DESIGN rule 4)."""

    __tablename__ = "needs_considerations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    needs_summary: Mapped[str] = mapped_column(sa.Text)
    medical_or_support_considerations: Mapped[str] = mapped_column(sa.Text, default="")
    advocate_considered: Mapped[bool] = mapped_column(default=False)  # s6.1 first bullet
    advocate_notes: Mapped[str] = mapped_column(sa.Text, default="")
    multi_agency_needed: Mapped[bool] = mapped_column(default=False)  # s6.2
    multi_agency_notes: Mapped[str] = mapped_column(sa.Text, default="")
    # DESIGN "Beyond" 2: could the behaviour be an unmet communication or support need?
    could_be_unmet_need: Mapped[bool] = mapped_column(default=False)
    unmet_need_notes: Mapped[str] = mapped_column(sa.Text, default="")
    adjustments_made: Mapped[str] = mapped_column(sa.Text, default="")

    case: Mapped[Case] = relationship(back_populates="needs_considerations")
    restrictions: Mapped[list["Restriction"]] = relationship(back_populates="needs_consideration")

    __table_args__ = (
        sa.CheckConstraint("needs_summary <> ''", name="summary_given"),
        sa.CheckConstraint(
            "NOT multi_agency_needed OR multi_agency_notes <> ''", name="multi_agency_explained"
        ),
        sa.CheckConstraint(
            "NOT could_be_unmet_need OR unmet_need_notes <> ''", name="unmet_need_explained"
        ),
    )


class ContactLogEntry(db.Model):
    """A contact from a customer and what the restriction check found (DESIGN "Beyond" 1).

    Emergencies and new complaints always get through; contact over a quota is routed to
    the single point of contact; correspondence placed on file is still read, and the
    reading is recorded.
    """

    __tablename__ = "contact_log_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    channel: Mapped[ContactChannel] = mapped_column(enum_type(ContactChannel, "contact_channel"))
    via_single_point_of_contact: Mapped[bool] = mapped_column(default=False)
    at_premises: Mapped[str | None] = mapped_column(sa.Text)
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    is_emergency: Mapped[bool] = mapped_column(default=False)
    is_new_complaint: Mapped[bool] = mapped_column(default=False)
    finding: Mapped[ContactFinding] = mapped_column(enum_type(ContactFinding, "contact_finding"))
    routed_to_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    restriction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("restrictions.id"), index=True)
    placed_on_file: Mapped[bool] = mapped_column(default=False)
    read_for_new_information_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    read_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    logged_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    logged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship()
    case: Mapped[Case | None] = relationship(back_populates="contact_log_entries")
    restriction: Mapped["Restriction | None"] = relationship(back_populates="contact_log_entries")
    routed_to: Mapped[User | None] = relationship(foreign_keys=[routed_to_user_id])

    __table_args__ = (
        # The quota check counts a customer's contacts in a week or month (s3.2).
        sa.Index("ix_contact_log_entries_customer_id_occurred_at", "customer_id", "occurred_at"),
        # A single point of contact's list of contacts routed to them, newest first
        # (portal.contacts.services.routed_to; issue 18: a scan of every contact before).
        sa.Index(
            "ix_contact_log_entries_routed_to_occurred_at",
            "routed_to_user_id",
            "occurred_at",
            "id",
        ),
        sa.CheckConstraint(
            "finding = 'no_restriction' OR restriction_id IS NOT NULL",
            name="finding_names_restriction",
        ),
        sa.CheckConstraint(
            "(read_for_new_information_at IS NULL) = (read_by_id IS NULL)", name="read_by_whom"
        ),
    )


class Referral(db.Model):
    """A referral out of the case: Community Safety (s3.2), support (s3.3), multi-agency (s6.2)."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[ReferralKind] = mapped_column(enum_type(ReferralKind, "referral_kind"))
    status: Mapped[ReferralStatus] = mapped_column(
        enum_type(ReferralStatus, "referral_status"), default=ReferralStatus.OPEN
    )
    reason: Mapped[str] = mapped_column(sa.Text)
    incident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("incidents.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(sa.Text, default="")

    case: Mapped[Case] = relationship(back_populates="referrals")
    incident: Mapped[Incident | None] = relationship(back_populates="referrals")
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])

    __table_args__ = (
        sa.Index("ix_referrals_kind_status", "kind", "status"),  # the Community Safety queue
        sa.CheckConstraint("reason <> ''", name="reason_given"),
        sa.CheckConstraint(
            "status <> 'accepted' OR accepted_by_id IS NOT NULL", name="accepted_by_whom"
        ),
        sa.CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="closed_when"),
    )


class Attachment(db.Model):
    """An uploaded file, stored outside the web root under a random name (SECURITY.md, ASVS
    5.3.2): ``storage_key`` is a UUID the server chose, never a path from the user."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_filename: Mapped[str] = mapped_column(sa.String(255))  # display only
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("incidents.id"), index=True)
    appeal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("appeals.id"), index=True)
    reconsideration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reconsideration_requests.id"), index=True
    )

    case: Mapped[Case | None] = relationship(back_populates="attachments")
    incident: Mapped[Incident | None] = relationship(back_populates="attachments")
    appeal: Mapped["Appeal | None"] = relationship(back_populates="attachments")
    reconsideration: Mapped["ReconsiderationRequest | None"] = relationship(
        back_populates="attachments"
    )

    __table_args__ = (
        sa.CheckConstraint(
            "case_id IS NOT NULL OR incident_id IS NOT NULL OR appeal_id IS NOT NULL"
            " OR reconsideration_id IS NOT NULL",
            name="has_owner",
        ),
        sa.CheckConstraint("size_bytes >= 0", name="size_not_negative"),
    )
