"""The import's background work, run by ``flask jobs work`` (portal/jobs)."""

import datetime as dt

from portal.customer_imports import apply, preview
from portal.jobs import handler
from portal.models.types import utcnow

PREVIEW = "customer_import.preview"
APPLY = "customer_import.apply"
REVERT = "customer_import.revert"


@handler(PREVIEW)
def preview_run(payload: dict, job) -> None:
    """Check an uploaded file into staging rows, from its first line (a job queued again
    after its worker died starts over), beating the heartbeat between chunks."""
    today = dt.date.fromisoformat(payload["today"])
    preview.check_run(payload["run_id"], today=today, beat=job.beat)


@handler(APPLY)
def apply_run(payload: dict, job) -> None:
    """Apply a confirmed run chunk by chunk, beating the heartbeat between chunks."""
    while apply.apply_chunk(payload["run_id"], utcnow()):
        job.beat()


@handler(REVERT)
def revert_run(payload: dict, job) -> None:
    """Undo an abandoned run's applied chunks, newest first."""
    while apply.revert_chunk(payload["run_id"], utcnow()):
        job.beat()
