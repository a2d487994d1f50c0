"""Report exports made by a job worker (issue 8 item 4): the board-pack PDF is kept in the
database, not on one server's disk, so whichever app server answers the polling can send
it. Each is kept for an hour."""

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import UTCDateTime, enum_type, utcnow


class ReportExportStatus(enum.StrEnum):
    RUNNING = "running"  # queued or being built: the reader sees the same thing
    DONE = "done"
    FAILED = "failed"


class ReportExport(db.Model):
    __tablename__ = "report_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The URL's unguessable name for the export; only its owner may use it.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    owner_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ReportExportStatus] = mapped_column(
        enum_type(ReportExportStatus, "report_export_status"), default=ReportExportStatus.RUNNING
    )
    file_name: Mapped[str] = mapped_column(sa.String(200))
    # Which export (the job kind that builds it): its status page says what is being made
    # and leads back to where it was asked for (reports/exports.py, ``describe``).
    kind: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    # The case it is about (the evidence pack): its page leads back there, it is shown only
    # while its owner may still make packs, and it goes when the case goes or is anonymised.
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Loaded only for the download, not for every poll of the status page.
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    # The exception's type and message only (the report holds aggregates, no names).
    error: Mapped[str] = mapped_column(sa.Text, default="")


class KeptReportFigures(db.Model):
    """A closed period's annual-report figures as first worked out after it ended (issue
    18: the report recomputed about forty aggregates over all history on every view).
    Aggregates only: no one can be identified from them."""

    __tablename__ = "kept_report_figures"

    # Which figures, for which days, by which version of their definitions.
    key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    figures: Mapped[dict] = mapped_column(sa.JSON)
    worked_out_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
