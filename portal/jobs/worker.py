"""The worker loop behind ``flask jobs work``."""

import logging
import os
import socket
import time

from portal import jobs
from portal.jobs import idle_child
from portal.models.types import utcnow

log = logging.getLogger(__name__)


class RunningJob:
    """What a handler gets besides its payload: the job's id and a heartbeat to call
    between steps."""

    def __init__(self, job_id: int):
        self.id = job_id

    def beat(self) -> None:
        jobs.heartbeat(self.id, utcnow())


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_one(job) -> None:
    """Run a claimed job to the end, recording success or the error."""
    function = jobs.load_handlers().get(job.kind)
    job_id = job.id
    try:
        if function is None:
            raise jobs.UnknownJobKind(job.kind)
        running = RunningJob(job_id)
        with idle_child.beating(running.beat):
            function(dict(job.payload), running)
    except Exception as error:  # any failure is recorded on the job, never lost
        log.exception("job %s (%s) failed", job_id, job.kind)
        jobs.fail(job_id, error, utcnow())
        return
    from portal.extensions import db
    from portal.models.jobs import Job

    jobs.finish(db.session.get(Job, job_id), utcnow())


def _next_job(name: str, burst: bool):
    """Recover stale claims and claim a job; a long-running worker rides out the database
    being briefly unreachable instead of dying."""
    from sqlalchemy.exc import OperationalError

    from portal.extensions import db

    try:
        jobs.recover_stale(utcnow())
        return jobs.claim(name, utcnow())
    except OperationalError:
        db.session.rollback()
        if burst:
            raise
        log.warning("job queue unreachable; trying again")
        return None


def work(*, name: str | None = None, burst: bool = False, poll_seconds: float = 1.0) -> int:
    """Claim and run jobs; with ``burst``, stop when none is due. Returns how many ran."""
    name = name or worker_name()
    done = 0
    while True:
        job = _next_job(name, burst)
        if job is None:
            if burst:
                return done
            time.sleep(poll_seconds)
            continue
        run_one(job)
        done += 1
