"""Customer imports on both databases (issue 13 item 1): the upload only stores the file and
a job checks it into a preview that writes nothing to customers; a check survives its
worker dying; the stored file is deleted once the run no longer needs it; applying adds,
updates and marks former customers, never deletes; the same file twice changes nothing; a
run survives its worker dying and an abandoned run is reverted."""

import contextlib
import datetime as dt
import io
import threading

import pytest
import sqlalchemy as sa

from portal import jobs
from portal.customer_imports import apply, files, preview, services
from portal.customer_imports.jobs import PREVIEW
from portal.extensions import db
from portal.jobs.worker import work
from portal.models import AuditEvent, Customer, ImportFileChunk, ImportRow, ImportRun, Job
from portal.models.imports import ImportStatus
from portal.models.jobs import JobStatus
from portal.models.types import utcnow
from portal.models.vocab import Role
from tests.factories import make_case, make_customer, make_user
from tests.import_files import export, line

TODAY = dt.date(2026, 12, 3)


def _store(data: bytes, steward, max_bytes=10 * 2**20) -> ImportRun:
    """What the upload request does: store the file and queue its check."""
    return services.upload(
        io.BytesIO(data), file_name="customers.csv", actor=steward, today=TODAY, max_bytes=max_bytes
    )


def _reloaded(run: ImportRun) -> ImportRun:
    db.session.expire_all()
    return db.session.get(ImportRun, run.id)


def _upload(data: bytes, steward) -> ImportRun:
    """Upload, then a worker checks the file: the run previewed (or refused)."""
    run = _store(data, steward)
    work(name="checker", burst=True)
    return _reloaded(run)


def _count(model, *conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def _snapshot() -> dict:
    columns = [Customer.reference, Customer.full_name, Customer.address, Customer.postcode]
    columns += [Customer.email, Customer.phone, Customer.date_of_birth, Customer.left_on]
    columns += [Customer.preferred_locale, Customer.updated_at]
    return {row[0]: tuple(row) for row in db.session.execute(sa.select(*columns))}


def _import(data: bytes, steward):
    run = _upload(data, steward)
    services.confirm(run, actor=steward, now=utcnow())
    work(name="test-worker", burst=True)
    db.session.expire_all()
    return db.session.get(type(run), run.id)


@pytest.fixture
def steward(app):
    return make_user(Role.DATA_STEWARD)


def _world():
    make_customer(
        reference="T-000001",
        full_name="Same Person",
        postcode="BS1 4DJ",
        address="1 High Street",
        date_of_birth=dt.date(1970, 2, 1),
    )
    make_customer(reference="T-000002", full_name="Old Name", postcode="BS1 4DJ")


FILE = [
    line("T-000001", "Same Person"),  # unchanged
    line("T-000002", "New Name"),  # updated
    line("T-000003", "Added Person", email="a@example.org", preferred_language="cy"),
    line("T-000004", "Bad Email", email="not-an-email"),
    line("T-000005", "Bad Language", preferred_language="Klingon"),
    line("T-000006", "Twice"),
    line("T-000006", "Twice Again"),
    line("", "No Reference"),
    line("T-000007", ""),
    line("T-000008", "Bad Birth", date_of_birth="32/1/1980"),
    line("T-000009", "Bad Postcode", postcode="NOWHERE"),
    line("T-000010", "=cmd|' /C calc'!A0"),
]


def test_the_upload_stores_the_file_and_queues_its_check(app, steward):
    data = export(FILE)
    run = _store(data, steward)
    assert run.status == ImportStatus.CHECKING and run.file_size == len(data)
    assert files.stored_bytes(run.id) == len(data)
    assert _count(ImportRow) == 0  # nothing read yet: that is the job's work
    job = db.session.get(Job, run.job_id)
    assert (job.kind, job.payload) == (PREVIEW, {"run_id": run.id, "today": "2026-12-03"})
    event = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.action == "customer_import_uploaded" and event.details == {"bytes": len(data)}


def test_the_preview_counts_and_refuses_and_writes_nothing_to_customers(app, steward):
    _world()
    before = _snapshot()
    run = _upload(export(FILE), steward)
    assert (run.added, run.updated, run.unchanged, run.refused) == (1, 1, 1, 9)
    assert run.status == ImportStatus.PREVIEWED and len(run.sha256) == 64
    assert run.bytes_checked == run.file_size
    assert db.session.get(Job, run.job_id).status == JobStatus.DONE
    refused = {row.line: row.reason for row in services.refused_rows(run)}
    assert refused == {
        5: "bad_email",
        6: "unknown_language",
        7: "duplicate_reference",
        8: "duplicate_reference",
        9: "missing_reference",
        10: "missing_name",
        11: "bad_date_of_birth",
        12: "bad_postcode",
        13: "formula",
    }
    assert _snapshot() == before
    event = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.action == "customer_import_previewed" and event.object_id == run.id
    assert event.actor_user_id == steward.id
    assert set(event.details) == {"added", "updated", "unchanged", "refused", "former"}


def test_confirming_applies_the_rows_in_the_background(app, steward):
    _world()
    run = _import(export(FILE), steward)
    assert run.status == ImportStatus.FINISHED
    assert (run.added, run.updated, run.unchanged, run.refused) == (1, 1, 1, 9)
    assert run.rows_done == run.rows_total == 2
    customers = {c.reference: c for c in db.session.scalars(sa.select(Customer))}
    assert customers["T-000002"].full_name == "New Name"
    added = customers["T-000003"]
    assert (added.full_name, added.email, added.preferred_locale) == (
        "Added Person",
        "a@example.org",
        "cy",
    )
    assert added.date_of_birth == dt.date(1970, 2, 1)
    assert not {"T-000004", "T-000006", "T-000010"} & set(customers)
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert {"customer_import_confirmed", "customer_import_finished"} <= set(actions)
    assert db.session.scalar(sa.select(Job.status).where(Job.id == run.job_id)) == JobStatus.DONE


def test_the_same_file_twice_changes_nothing(app, steward):
    _world()
    _import(export(FILE), steward)
    after_first = _snapshot()
    second = _upload(export(FILE), steward)
    assert (second.added, second.updated, second.unchanged, second.refused) == (0, 0, 3, 9)
    services.confirm(second, actor=steward, now=utcnow())
    work(burst=True)
    assert _snapshot() == after_first


def test_a_customer_who_left_is_marked_former_and_never_deleted(app, steward):
    officer = make_user(Role.CASE_OFFICER)
    leaver = make_customer(
        reference="T-000020",
        full_name="Leaver",
        postcode="BS1 4DJ",
        address="1 High Street",
        date_of_birth=dt.date(1970, 2, 1),
    )
    make_case(leaver, officer)
    stays = make_customer(reference="T-000021", full_name="Not In File")
    rows = [line("T-000020", "Leaver", left_on="30/11/2026")]
    run = _upload(export(rows), steward)
    assert (run.updated, run.former) == (1, 1)
    services.confirm(run, actor=steward, now=utcnow())
    work(burst=True)
    db.session.expire_all()
    assert db.session.get(Customer, leaver.id).left_on == dt.date(2026, 11, 30)
    assert db.session.get(Customer, stays.id) is not None  # absent from the file: kept
    assert db.session.get(type(run), run.id).former == 1


def test_a_run_survives_its_worker_dying_and_finishes_once(app, steward, monkeypatch):
    monkeypatch.setattr(apply, "CHUNK_ROWS", 3)
    rows = [line(f"T-1{n:05d}", f"Person {n}") for n in range(10)]
    run = _upload(export(rows), steward)
    services.confirm(run, actor=steward, now=utcnow())
    # A worker claims the job, applies one chunk, then its server stops.
    job = jobs.claim("dying-worker", utcnow())
    assert apply.apply_chunk(run.id, utcnow()) is True
    db.session.execute(
        sa.update(Job)
        .where(Job.id == job.id)
        .values(heartbeat_at=utcnow() - dt.timedelta(minutes=30))
    )
    db.session.commit()
    assert jobs.claim("other-worker", utcnow()) is None  # still "running": not taken
    assert jobs.recover_stale(utcnow()) == 1
    assert work(name="new-worker", burst=True) == 1
    db.session.expire_all()
    run = db.session.get(type(run), run.id)
    assert run.status == ImportStatus.FINISHED and run.added == 10
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 10
    assert db.session.get(Job, job.id).attempts == 2


def test_abandoning_a_half_applied_run_reverts_it(app, steward, monkeypatch):
    monkeypatch.setattr(apply, "CHUNK_ROWS", 2)
    existing = make_customer(reference="T-200000", full_name="Before", postcode="BS1 4DJ")
    before = _snapshot()
    rows = [line("T-200000", "After")] + [line(f"T-2{n:05d}", f"New {n}") for n in range(1, 6)]
    run = _upload(export(rows), steward)
    services.confirm(run, actor=steward, now=utcnow())
    jobs.claim("worker-1", utcnow())
    assert apply.apply_chunk(run.id, utcnow()) is True  # the update and one insert
    assert db.session.get(Customer, existing.id).full_name == "After"
    # Someone opens a case on the newly added customer before the abandon.
    added = db.session.scalar(sa.select(Customer).where(Customer.reference == "T-200001"))
    make_case(added, make_user(Role.CASE_OFFICER))
    services.abandon(run, actor=steward, now=utcnow())
    # The first worker's next chunk sees the run is abandoned and stops.
    assert apply.apply_chunk(run.id, utcnow()) is False
    work(burst=True)
    db.session.expire_all()
    run = db.session.get(type(run), run.id)
    assert run.status == ImportStatus.ABANDONED and run.kept_in_use == 1
    after = _snapshot()
    assert after.pop("T-200001")  # kept: a case uses it
    assert after == before
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(ImportRow.run_id == run.id, ImportRow.applied)
    )


def test_discarding_a_preview_writes_nothing(app, steward):
    run = _upload(export([line("T-300000", "Never")]), steward)
    services.abandon(run, actor=steward, now=utcnow())
    assert run.status == ImportStatus.ABANDONED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 0
    with pytest.raises(services.CannotAbandon):
        services.abandon(run, actor=steward, now=utcnow())


def test_only_one_import_runs_at_a_time(app, steward):
    first = _upload(export([line("T-400001", "One")]), steward)
    second = _upload(export([line("T-400002", "Two")]), steward)
    services.confirm(first, actor=steward, now=utcnow())
    with pytest.raises(services.AnotherImportInProgress):
        services.confirm(second, actor=steward, now=utcnow())


def test_two_imports_confirmed_at_the_same_moment_do_not_both_run(app, steward, monkeypatch):
    """The one-at-a-time rule holds under a race: each confirmation waits at a barrier just
    after checking for a busy run, so without the lock both would pass the check."""
    first = _upload(export([line("T-400011", "One")]), steward)
    second = _upload(export([line("T-400012", "Two")]), steward)
    checked = threading.Barrier(2, timeout=3)
    busy = services._busy

    def busy_then_wait():
        answer = busy()
        with contextlib.suppress(threading.BrokenBarrierError):
            checked.wait()
        return answer

    monkeypatch.setattr(services, "_busy", busy_then_wait)
    outcomes = {}

    def confirm(run_id):
        with app.app_context():
            run = db.session.get(ImportRun, run_id)
            try:
                actor = db.session.get(type(steward), steward_id)
                services.confirm(run, actor=actor, now=utcnow())
                db.session.commit()
                outcomes[run_id] = "confirmed"
            except services.AnotherImportInProgress:
                db.session.rollback()
                outcomes[run_id] = "refused"
            finally:
                db.session.remove()

    ids, steward_id = (first.id, second.id), steward.id
    db.session.commit()  # this thread's transaction would hold SQLite's write lock
    threads = [threading.Thread(target=confirm, args=(run_id,)) for run_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["confirmed", "refused"]
    db.session.expire_all()
    assert _count(ImportRun, ImportRun.status == ImportStatus.RUNNING) == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"reference,full_name\nT-1,A\n", "missing_columns"),
        ("reference,full_name,postcode".encode("utf-16"), "encoding"),
        (b"", "empty"),
        (b"\xff\xfe\x00garbage" * 1000, "encoding"),
    ],
)
def test_a_file_whose_start_is_wrong_is_refused_at_upload(app, steward, data, code):
    with pytest.raises(preview.FileRefused) as refused:
        _store(data, steward)
    assert refused.value.code == code
    assert _count(ImportRun) == _count(ImportFileChunk) == _count(Job) == 0


@pytest.mark.parametrize(
    ("later", "code", "details"),
    [
        ("T-1,Zoë".encode("latin-1"), "encoding", {}),
        (b'T-1,"Quoted"Name,x\n', "not_csv", {}),
    ],
)
def test_a_file_wrong_further_on_is_refused_whole_by_the_check(
    app, steward, monkeypatch, later, code, details
):
    monkeypatch.setattr(files, "CHUNK_BYTES", 256)  # the upload sees the first 256 bytes
    monkeypatch.setattr(preview, "CHUNK_ROWS", 3)  # some lines are staged before the problem
    data = export([line(f"T-0{n:05d}") for n in range(10)]) + later
    run = _upload(data, steward)
    assert (run.status, run.refusal, run.refusal_details) == (ImportStatus.REFUSED, code, details)
    assert _count(ImportRow) == _count(ImportFileChunk) == 0
    assert db.session.get(Job, run.job_id).status == JobStatus.DONE
    event = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert (event.action, event.details) == ("customer_import_refused", {"reason": code})
    with pytest.raises(services.NotAwaitingConfirmation):
        services.confirm(run, actor=steward, now=utcnow())


def test_a_header_longer_than_the_first_chunk_is_checked_by_the_job(app, steward, monkeypatch):
    monkeypatch.setattr(files, "CHUNK_BYTES", 16)
    run = _upload(b"reference,full_name,postcode,email\nT-1,A,BS1 4DJ,\n", steward)
    assert (run.status, run.refusal) == (ImportStatus.REFUSED, "missing_columns")
    assert run.refusal_details == {"columns": "date_of_birth, address, phone, preferred_language"}


def test_a_file_with_a_byte_order_mark_is_read(app, steward):
    run = _upload(export([line("T-500000", "Bom")], bom=True), steward)
    assert run.added == 1


def test_a_file_over_the_maximum_is_refused_as_it_is_read(app, steward):
    data = export([line(f"T-6{n:05d}") for n in range(2000)])
    with pytest.raises(preview.FileRefused) as refused:
        _store(data, steward, max_bytes=10_000)
    assert (refused.value.code, refused.value.details) == ("too_large", {"size": 0})
    assert _count(ImportRun) == _count(ImportFileChunk) == 0


def test_a_refused_line_is_numbered_from_where_its_record_starts(app, steward):
    rows = [line("T-700001", "Two Line", address="1 High Street\nBristol"), line("T-700002", "")]
    run = _upload(export(rows), steward)
    assert [(row.line, row.reason) for row in services.refused_rows(run)] == [(4, "missing_name")]


def test_a_run_whose_job_failed_is_resumed_from_its_last_chunk(app, steward, monkeypatch):
    monkeypatch.setattr(apply, "CHUNK_ROWS", 2)
    monkeypatch.setattr(jobs, "MAX_ATTEMPTS", 1)
    rows = [line(f"T-8{n:05d}", f"Person {n}") for n in range(5)]
    run = _upload(export(rows), steward)
    services.confirm(run, actor=steward, now=utcnow())
    real_apply_rows, calls = apply._apply_rows, []

    def second_chunk_fails(pending, now):
        calls.append(len(pending))
        if len(calls) == 2:
            raise RuntimeError("database went away")
        real_apply_rows(pending, now)

    monkeypatch.setattr(apply, "_apply_rows", second_chunk_fails)
    work(burst=True)
    db.session.expire_all()
    run = db.session.get(type(run), run.id)
    assert services.job_state(run) == "stopped" and run.rows_done == 2
    with pytest.raises(services.NothingToResume):
        services.resume(_upload(export(rows[:1]), steward), actor=steward, now=utcnow())
    services.resume(run, actor=steward, now=utcnow())
    work(burst=True)
    db.session.expire_all()
    run = db.session.get(type(run), run.id)
    assert run.status == ImportStatus.FINISHED and run.added == 5
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 5


class ServerStopped(BaseException):
    """The worker's server going away mid-job (not an error the job records)."""


def _die_after_first_chunk():
    raise ServerStopped


def test_a_check_interrupted_by_a_restart_starts_over_and_stages_each_line_once(
    app, steward, monkeypatch
):
    monkeypatch.setattr(preview, "CHUNK_ROWS", 3)
    monkeypatch.setattr(files, "CHUNK_BYTES", 256)
    rows = [line(f"T-9{n:05d}", f"Person {n}") for n in range(10)]
    rows.append(line("T-900001", "Twice"))  # a duplicate only seen on the last chunk
    run = _store(export(rows), steward)
    job = jobs.claim("dying-worker", utcnow())
    with pytest.raises(ServerStopped):  # it commits one chunk, beats, and its server stops
        preview.check_run(run.id, today=TODAY, beat=_die_after_first_chunk)
    db.session.rollback()
    run = _reloaded(run)
    assert run.status == ImportStatus.CHECKING and _count(ImportRow) == 3
    assert 0 < run.bytes_checked < run.file_size
    db.session.execute(
        sa.update(Job)
        .where(Job.id == job.id)
        .values(heartbeat_at=utcnow() - dt.timedelta(minutes=30))
    )
    db.session.commit()
    assert jobs.recover_stale(utcnow()) == 1
    assert work(name="new-worker", burst=True) == 1
    run = _reloaded(run)
    assert run.status == ImportStatus.PREVIEWED
    assert (run.added, run.refused) == (9, 2)
    assert _count(ImportRow, ImportRow.run_id == run.id) == 11
    assert db.session.get(Job, job.id).attempts == 2


def test_the_stored_file_is_deleted_once_checked_and_the_run_finishes(app, steward):
    run = _store(export([line("T-950001", "Kept Briefly")]), steward)
    assert files.stored_bytes(run.id) > 0
    work(burst=True)
    assert files.stored_bytes(run.id) == 0  # the staging rows hold all the apply needs
    services.confirm(_reloaded(run), actor=steward, now=utcnow())
    work(burst=True)
    run = _reloaded(run)
    assert run.status == ImportStatus.FINISHED and _count(ImportFileChunk) == 0


def test_abandoning_while_the_file_is_checked_stops_the_job_and_deletes_the_file(
    app, steward, monkeypatch
):
    monkeypatch.setattr(preview, "CHUNK_ROWS", 2)
    run = _store(export([line(f"T-96{n:04d}") for n in range(7)]), steward)
    jobs.claim("worker", utcnow())

    def steward_abandons():  # between the job's first and second chunk
        services.abandon(_reloaded(run), actor=steward, now=utcnow())
        db.session.commit()

    preview.check_run(run.id, today=TODAY, beat=steward_abandons)
    run = _reloaded(run)
    assert run.status == ImportStatus.ABANDONED and run.abandoned_at is not None
    assert _count(ImportRow) == _count(ImportFileChunk) == 0
    assert _count(Customer) == 0
    with pytest.raises(services.CannotAbandon):
        services.abandon(run, actor=steward, now=utcnow())


def test_a_run_abandoned_before_a_worker_came_is_left_alone_by_the_job(app, steward):
    run = _store(export([line("T-970001")]), steward)
    services.abandon(run, actor=steward, now=utcnow())
    db.session.commit()
    assert _count(ImportFileChunk) == 0
    assert work(burst=True) == 1
    run = _reloaded(run)
    assert run.status == ImportStatus.ABANDONED and _count(ImportRow) == 0
    assert db.session.get(Job, run.job_id).status == JobStatus.DONE


def test_a_check_that_failed_is_shown_stopped_and_can_be_run_again(app, steward, monkeypatch):
    monkeypatch.setattr(jobs, "MAX_ATTEMPTS", 1)
    real_write, calls = preview._Stager.write, []

    def first_write_fails(stager, chunk):
        calls.append(len(chunk))
        if len(calls) == 1:
            raise RuntimeError("database went away")
        real_write(stager, chunk)

    monkeypatch.setattr(preview._Stager, "write", first_write_fails)
    run = _upload(export([line("T-980001"), line("T-980002")]), steward)
    assert run.status == ImportStatus.CHECKING and services.job_state(run) == "stopped"
    services.resume(run, actor=steward, now=utcnow())
    db.session.commit()
    work(burst=True)
    run = _reloaded(run)
    assert run.status == ImportStatus.PREVIEWED and run.added == 2
    assert files.stored_bytes(run.id) == 0
