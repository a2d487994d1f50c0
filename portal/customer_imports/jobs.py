"""The import's background work, run by ``flask jobs work`` (portal/jobs)."""

from portal.customer_imports import apply
from portal.jobs import handler
from portal.models.types import utcnow

APPLY = "customer_import.apply"
REVERT = "customer_import.revert"


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
