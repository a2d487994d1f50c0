"""The database-backed job queue (portal/jobs) on both databases: several workers never
claim the same job, a failing job is retried then failed, a stale claim is queued again."""

import datetime as dt
import threading

import sqlalchemy as sa

from portal import jobs
from portal.extensions import db
from portal.jobs.worker import work
from portal.models import Job
from portal.models.jobs import JobStatus
from portal.models.types import utcnow

WORKERS = 4
JOBS = 24


def test_two_workers_never_claim_the_same_job(app):
    for number in range(JOBS):
        jobs.enqueue("test.nothing", {"n": number})
    db.session.commit()
    claimed: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def worker(name):
        try:
            with app.app_context():
                mine = claimed.setdefault(name, [])
                while (job := jobs.claim(name, utcnow())) is not None:
                    mine.append(job.id)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    every = [job_id for ids in claimed.values() for job_id in ids]
    assert len(every) == JOBS and len(set(every)) == JOBS
    statuses = db.session.scalars(sa.select(Job.status)).all()
    assert set(statuses) == {JobStatus.RUNNING}


def test_a_failing_job_is_retried_then_failed(app, monkeypatch):
    calls = []

    def fails(payload, job):
        calls.append(payload)
        raise RuntimeError("boom")

    monkeypatch.setitem(jobs.HANDLERS, "test.fails", fails)

    job_id = jobs.enqueue("test.fails", {"n": 1}).id
    db.session.commit()
    assert work(burst=True) == 1
    job = db.session.get(Job, job_id)
    assert job.status == JobStatus.QUEUED and job.run_after > utcnow()
    assert job.error == "RuntimeError: boom"
    for _ in range(jobs.MAX_ATTEMPTS - 1):
        db.session.execute(sa.update(Job).where(Job.id == job_id).values(run_after=utcnow()))
        db.session.commit()
        work(burst=True)
    db.session.expire_all()
    assert db.session.get(Job, job_id).status == JobStatus.FAILED
    assert len(calls) == jobs.MAX_ATTEMPTS


def test_a_job_of_an_unknown_kind_fails_without_stopping_the_worker(app):
    job_id = jobs.enqueue("test.no-such-kind", {}).id
    db.session.commit()
    assert work(burst=True) == 1
    assert "UnknownJobKind" in db.session.get(Job, job_id).error


def test_a_stale_claim_is_queued_again_and_a_live_one_is_not(app):
    stale = jobs.enqueue("test.nothing", {}).id
    live = jobs.enqueue("test.nothing", {}).id
    db.session.commit()
    jobs.claim("a", utcnow())
    jobs.claim("b", utcnow())
    old = utcnow() - jobs.STALE_AFTER - dt.timedelta(seconds=1)
    db.session.execute(sa.update(Job).where(Job.id == stale).values(heartbeat_at=old))
    db.session.commit()
    assert jobs.recover_stale(utcnow()) == 1
    assert db.session.get(Job, stale).status == JobStatus.QUEUED
    assert db.session.get(Job, live).status == JobStatus.RUNNING
