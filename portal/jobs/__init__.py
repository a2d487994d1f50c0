"""A small job queue in the database (issue 13 item 1): web servers enqueue, workers
(``flask jobs work``) claim and run. Nothing lives in one process's memory or on one
server's disk, so any number of app servers and workers can share it.

Claiming is safe with several workers: ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL,
and on SQLite every transaction already takes the write lock at ``BEGIN IMMEDIATE``
(portal/database.py). A running job beats a heartbeat; one whose heartbeat stops (its
worker died with the server) is queued again by :func:`recover_stale`.
"""

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa

from portal.extensions import db
from portal.models.jobs import Job, JobStatus
from portal.models.types import utcnow

STALE_AFTER = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 3
# Modules whose handlers register themselves when imported (a worker imports them all).
HANDLER_MODULES = (
    "portal.customer_imports.jobs",
    "portal.gdpr.jobs",
    "portal.letters.print_batch",
    "portal.letters.render_queue",
    "portal.notices.emails",
    "portal.policy.files",
    "portal.policy.review_pack",
    "portal.reports.evidence_pack.export",
    "portal.reports.jobs",
)
HANDLERS: dict[str, Callable] = {}


class UnknownJobKind(LookupError):
    pass


def handler(kind: str):
    """Register ``function(payload, job)`` as the handler for jobs of ``kind``."""

    def register(function):
        HANDLERS[kind] = function
        return function

    return register


def load_handlers() -> dict[str, Callable]:
    import importlib

    for module in HANDLER_MODULES:
        importlib.import_module(module)
    return HANDLERS


def enqueue(kind: str, payload: dict, *, run_after: dt.datetime | None = None) -> Job:
    """Add a job in the caller's transaction (the caller commits, with the change that
    needs the job, so neither is saved without the other)."""
    job = Job(kind=kind, payload=payload, run_after=run_after or utcnow())
    db.session.add(job)
    db.session.flush()
    return job


def claim(worker: str, now: dt.datetime) -> Job | None:
    """Take the oldest job that is due, or None; committed before it is returned."""
    statement = (
        sa.select(Job)
        .where(Job.status == JobStatus.QUEUED, Job.run_after <= now)
        .order_by(Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    job = db.session.scalars(statement).first()
    if job is None:
        db.session.commit()
        return None
    job.status = JobStatus.RUNNING
    job.claimed_by = worker[:100]
    job.claimed_at = job.heartbeat_at = now
    job.attempts += 1
    db.session.commit()
    return job


def heartbeat(job_id: int, now: dt.datetime) -> None:
    """Say the job's worker is alive (committed at once, in its own statement)."""
    db.session.execute(sa.update(Job).where(Job.id == job_id).values(heartbeat_at=now))
    db.session.commit()


def recover_stale(now: dt.datetime, stale_after: dt.timedelta = STALE_AFTER) -> int:
    """Queue again every running job whose heartbeat is older than ``stale_after``: its
    worker stopped (a restart, a crash). Handlers resume from their last committed step."""
    result = db.session.execute(
        sa.update(Job)
        .where(Job.status == JobStatus.RUNNING, Job.heartbeat_at < now - stale_after)
        .values(status=JobStatus.QUEUED, claimed_by=None, run_after=now)
    )
    db.session.commit()
    return result.rowcount


def finish(job: Job, now: dt.datetime) -> None:
    job.status = JobStatus.DONE
    job.finished_at = now
    db.session.commit()


def fail(job_id: int, error: BaseException, now: dt.datetime) -> None:
    """Record the error; try again later unless the job has used its attempts."""
    db.session.rollback()
    job = db.session.get(Job, job_id)
    job.error = f"{type(error).__name__}: {error}"[:2000]
    if job.attempts < MAX_ATTEMPTS:
        job.status = JobStatus.QUEUED
        job.run_after = now + dt.timedelta(seconds=30 * job.attempts)
    else:
        job.status = JobStatus.FAILED
        job.finished_at = now
    job.claimed_by = None
    db.session.commit()
