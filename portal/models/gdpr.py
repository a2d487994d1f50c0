"""UK GDPR duties as data: legal holds that stop retention, and subject access requests
with the export they produced (issue 13 items 6 and 7)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow


class LegalHold(db.Model):
    """While a hold is in place nothing of the customer's (or of one case) is anonymised or
    deleted by the retention run: litigation, an Ombudsman investigation, a police request."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    # Empty: the hold covers everything held about the customer.
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    placed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    placed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    lift_reason: Mapped[str] = mapped_column(sa.Text, default="")

    customer = relationship("Customer")
    case = relationship("Case")
    placed_by = relationship("User", foreign_keys=[placed_by_id])
    lifted_by = relationship("User", foreign_keys=[lifted_by_id])

    __table_args__ = (
        sa.CheckConstraint("reason <> ''", name="has_reason"),
        sa.CheckConstraint(
            "lifted_at IS NULL OR (lifted_by_id IS NOT NULL AND lift_reason <> '')",
            name="lift_has_reason",
        ),
    )

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class SubjectAccessRequest(db.Model):
    """A subject access request (UK GDPR Art. 15) and the ZIP made for it. The export is
    kept in the database, not on one server's disk, so any app server can deliver it."""

    __tablename__ = "subject_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    received_on: Mapped[dt.date] = mapped_column(sa.Date)  # the one-month clock starts here
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    export_zip: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    export_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    redaction_count: Mapped[int] = mapped_column(default=0)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    delivered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    customer = relationship("Customer")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
