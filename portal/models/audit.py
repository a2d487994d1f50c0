"""The append-only audit trail (DESIGN.md rule 12; SECURITY.md §5, ASVS 16.4.2)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """Who did what, to which record, when. Rows are never updated or deleted.

    Each row carries the SHA-256 of the previous row's hash and its own canonical content,
    so a changed or removed row breaks the chain (``portal.audit.verify_chain``). The
    database refuses UPDATE and DELETE with triggers installed by the migration.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    remote_addr: Mapped[str | None] = mapped_column(sa.String(45))
    previous_hash: Mapped[str] = mapped_column(sa.String(64))
    entry_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Which of the trail's chains the row links into (portal.audit.CHAINS): set by
    # portal.audit.record; a server default only, so rows written by code that predates
    # it (a migration's, a test's) land in chain 0.
    chain: Mapped[int] = mapped_column(sa.SmallInteger, server_default=sa.text("0"))

    __table_args__ = (
        sa.Index("ix_audit_events_object", "object_type", "object_id"),
        sa.Index("ix_audit_events_chain_id", "chain", "id"),
    )
