"""Customer imports from the housing management system (issue 13 item 1, "Customers in").

An upload is stored in the database (``import_file_chunks``) and a job parses it into
staging rows (``import_rows``) for the preview; nothing touches ``customers`` until the
data steward confirms. A job then applies the rows in chunks,
keeping each updated customer's pre-image and each inserted customer's id, so a stopped
run can be resumed from its last chunk or abandoned and reverted.
"""

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import UTCDateTime, enum_type, utcnow


class ImportStatus(enum.StrEnum):
    CHECKING = "checking"  # stored, queued or being read into staging rows by a worker
    REFUSED = "refused"  # the file as a whole could not be read; nothing kept from it
    PREVIEWED = "previewed"
    RUNNING = "running"  # queued or being applied by a worker
    FINISHED = "finished"
    ABANDONING = "abandoning"  # being reverted by a worker
    ABANDONED = "abandoned"


class RowAction(enum.StrEnum):
    ADD = "add"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


class ImportRun(db.Model):
    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    file_name: Mapped[str] = mapped_column(sa.String(200))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[ImportStatus] = mapped_column(
        enum_type(ImportStatus, "import_status"), default=ImportStatus.PREVIEWED
    )
    # Counts by action, as previewed and then as applied; former = customers newly marked
    # as having left the landlord.
    added: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    former: Mapped[int] = mapped_column(default=0)
    # Progress of the job: rows to write (added + updated at confirmation) and rows done.
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    # Progress of the check (the preview job): bytes of the stored file read so far.
    file_size: Mapped[int] = mapped_column(default=0)
    bytes_checked: Mapped[int] = mapped_column(default=0)
    # Why a refused file was refused: a code of FILE_REASONS and its placeholders.
    refusal: Mapped[str | None] = mapped_column(sa.String(30))
    refusal_details: Mapped[dict | None] = mapped_column(sa.JSON)
    # Inserted customers an abandoned run could not remove, because something uses them.
    kept_in_use: Mapped[int] = mapped_column(default=0)
    job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("jobs.id", ondelete="SET NULL"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    abandoned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    job = relationship("Job")


class ImportFileChunk(db.Model):
    """Part of an uploaded file, kept in the database (not on one server's disk) so that
    any worker can read it; deleted as soon as the run no longer needs it."""

    __tablename__ = "import_file_chunks"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("import_runs.id", ondelete="CASCADE"))
    position: Mapped[int]
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)

    __table_args__ = (
        sa.Index("ix_import_file_chunks_run_id_position", "run_id", "position", unique=True),
    )


class ImportRow(db.Model):
    """One line of the file: its parsed values, what the import does with it, and what it
    needs to undo that (the updated customer's pre-image, the inserted customer's id)."""

    __tablename__ = "import_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("import_runs.id", ondelete="CASCADE"))
    line: Mapped[int]
    reference: Mapped[str | None] = mapped_column(sa.String(20))
    values: Mapped[dict | None] = mapped_column(sa.JSON)
    action: Mapped[RowAction] = mapped_column(enum_type(RowAction, "import_row_action"))
    reason: Mapped[str | None] = mapped_column(sa.String(30))
    applied: Mapped[bool] = mapped_column(default=False)
    marks_former: Mapped[bool] = mapped_column(default=False)
    # No foreign key: an inserted customer is deleted again when a run is abandoned.
    customer_id: Mapped[int | None]
    before: Mapped[dict | None] = mapped_column(sa.JSON)

    __table_args__ = (
        sa.Index("ix_import_rows_run_id_line", "run_id", "line", unique=True),
        sa.Index("ix_import_rows_run_id_applied", "run_id", "applied", "id"),
    )
