"""Uploading, confirming, abandoning and resuming imports, and customers added or
corrected by hand, each step in the audit trail with ids and counts only (issue 13
item 1)."""

import datetime as dt

import sqlalchemy as sa
from flask_babel import format_percent

from portal import audit, jobs
from portal.clock import day_of
from portal.customer_imports import apply, files, preview
from portal.customer_imports.jobs import APPLY, PREVIEW, REVERT
from portal.customer_records import import_rules as rules
from portal.extensions import db
from portal.models import Customer, ImportRow, ImportRun, Job
from portal.models.imports import ImportStatus, RowAction
from portal.models.jobs import JobStatus
from portal.refusals import Refusal
from portal.translations import lazy_gettext as _l

REFUSED_ROWS_SHOWN = 200


# States in which a job is at work on the run (its page polls until it is not).
WORKING = (ImportStatus.CHECKING, ImportStatus.RUNNING, ImportStatus.ABANDONING)


class ImportRefused(Refusal):
    """Base of the import's refusals."""


class AnotherImportInProgress(ImportRefused):
    """One import at a time: two runs writing the same customers would undo each other."""

    default_message = _l("Another import is being applied or abandoned. Wait for it to end.")


class NotAwaitingConfirmation(ImportRefused):
    """Only a previewed run can be confirmed."""

    default_message = _l("This import has already been confirmed or abandoned")


class CannotAbandon(ImportRefused):
    """A finished or abandoned run stays as it is."""

    default_message = _l("This import has finished or been abandoned, so it cannot be abandoned")


class NothingToResume(ImportRefused):
    """Only a run whose job stopped with an error can be resumed by hand; a worker that
    died is recovered by the queue itself."""

    default_message = _l("This import is not stopped, so there is nothing to resume")


def upload(stream, *, file_name: str, actor, today: dt.date, max_bytes: int) -> ImportRun:
    """Store an uploaded export and queue its check (the preview); or raise
    :class:`preview.FileRefused` having kept nothing, if even its start is wrong."""
    run = ImportRun(
        uploaded_by_id=actor.id,
        file_name=file_name[:200],
        sha256="",
        status=ImportStatus.CHECKING,
    )
    db.session.add(run)
    db.session.flush()
    try:
        run.sha256, run.file_size, first = files.store(stream, run.id, max_bytes)
        preview.check_start(first)
    except files.TooLarge:
        db.session.rollback()
        raise preview.FileRefused("too_large", size=max_bytes // 2**20) from None
    except preview.FileRefused:
        db.session.rollback()
        raise
    payload = {"run_id": run.id, "today": today.isoformat()}
    run.job_id = jobs.enqueue(PREVIEW, payload).id
    audit.record(
        "customer_import_uploaded",
        actor=actor,
        object_type="import_run",
        object_id=run.id,
        details={"bytes": run.file_size},
    )
    return run


# Confirmations queue behind this lock on PostgreSQL, so two confirmed at the same moment
# cannot both see no busy run (SQLite already runs one writing transaction at a time).
_PG_CONFIRM_LOCK_KEY = 7_400_114


def _busy() -> bool:
    busy = (ImportStatus.RUNNING, ImportStatus.ABANDONING)
    return db.session.scalar(sa.select(sa.func.count()).where(ImportRun.status.in_(busy))) > 0


def confirm(run: ImportRun, *, actor, now: dt.datetime) -> None:
    """Queue the previewed rows to be applied."""
    run = apply.lock_run(run.id)
    if run.status != ImportStatus.PREVIEWED:
        raise NotAwaitingConfirmation
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CONFIRM_LOCK_KEY})
    if _busy():
        raise AnotherImportInProgress
    run.status = ImportStatus.RUNNING
    run.confirmed_by_id = actor.id
    run.confirmed_at = now
    run.rows_total = run.added + run.updated
    run.rows_done = 0
    run.job_id = jobs.enqueue(APPLY, {"run_id": run.id}).id
    audit.record(
        "customer_import_confirmed",
        actor=actor,
        object_type="import_run",
        object_id=run.id,
        details={"rows_total": run.rows_total},
    )


def _discard(run: ImportRun, now: dt.datetime) -> None:
    """Nothing applied yet: the run ends here. Rows half-staged by a check go, and the
    file (the check's job, if still at work, stops at its next step)."""
    if run.status == ImportStatus.CHECKING:
        db.session.execute(sa.delete(ImportRow).where(ImportRow.run_id == run.id))
    files.delete(run.id)
    run.status = ImportStatus.ABANDONED
    run.abandoned_at = now


def abandon(run: ImportRun, *, actor, now: dt.datetime) -> None:
    """Discard a file being checked or previewed, or stop a run and queue the revert of
    what it applied."""
    run = apply.lock_run(run.id)
    discardable = (ImportStatus.CHECKING, ImportStatus.PREVIEWED)
    if run.status not in (*discardable, ImportStatus.RUNNING):
        raise CannotAbandon
    if run.status in discardable:
        _discard(run, now)
    else:
        run.status = ImportStatus.ABANDONING
        run.job_id = jobs.enqueue(REVERT, {"run_id": run.id}).id
    audit.record(
        "customer_import_abandoned",
        actor=actor,
        object_type="import_run",
        object_id=run.id,
        details={"rows_done": run.rows_done},
    )


def resume(run: ImportRun, *, actor, now: dt.datetime) -> None:
    """Queue a new job for a run whose job failed (its applied chunks stay applied; a
    check starts over)."""
    run = apply.lock_run(run.id)
    kinds = {
        ImportStatus.CHECKING: PREVIEW,
        ImportStatus.RUNNING: APPLY,
        ImportStatus.ABANDONING: REVERT,
    }
    if run.status not in kinds or job_state(run) != "stopped":
        raise NothingToResume
    payload = {"run_id": run.id}
    if run.status == ImportStatus.CHECKING:
        payload["today"] = day_of(now).isoformat()
    run.job_id = jobs.enqueue(kinds[run.status], payload).id
    audit.record(
        "customer_import_resumed",
        actor=actor,
        object_type="import_run",
        object_id=run.id,
        details={"rows_done": run.rows_done},
    )


def job_state(run: ImportRun) -> str | None:
    """ "waiting" (queued), "working", "stopped" (failed) or None (no job, or done)."""
    if run.status not in WORKING:
        return None
    job = db.session.get(Job, run.job_id) if run.job_id else None
    if job is None or job.status == JobStatus.FAILED:
        return "stopped"
    return {JobStatus.QUEUED: "waiting", JobStatus.RUNNING: "working"}.get(job.status)


def file_refusal(code: str, details: dict | None) -> str:
    """Why a file was refused, in the reader's language."""
    return str(rules.FILE_REASONS[code]) % (details or {})


def checked_share(run: ImportRun) -> str:
    """How much of the file the check has read, as a percentage for the locale."""
    return format_percent(run.bytes_checked / run.file_size if run.file_size else 0)


def build_run_context(run: ImportRun) -> dict:
    """What the run page shows besides the run: the preview's refused lines, the job's
    state, the check's progress and a refused file's reason."""
    return {
        "job_state": job_state(run),
        "refused_rows": refused_rows(run) if run.status == ImportStatus.PREVIEWED else [],
        "checked_share": checked_share(run) if run.status == ImportStatus.CHECKING else "",
        "refusal": file_refusal(run.refusal, run.refusal_details) if run.refusal else "",
    }


def recent_runs():
    """Every import, newest first, as a statement shown a page at a time
    (portal.pagination; issue 15 item 9: older imports are not hidden)."""
    return sa.select(ImportRun).order_by(ImportRun.id.desc())


def refused_rows(run: ImportRun, limit: int = REFUSED_ROWS_SHOWN) -> list[ImportRow]:
    return list(
        db.session.scalars(
            sa.select(ImportRow)
            .where(ImportRow.run_id == run.id, ImportRow.action == RowAction.REFUSED)
            .order_by(ImportRow.line)
            .limit(limit)
        )
    )


# By hand -------------------------------------------------------------------------------


def add_customer(raw: dict, *, actor, today: dt.date) -> tuple[Customer | None, list]:
    """Add one customer checked by the import's rules; (customer, []) or (None, problems)."""
    checked = rules.check(raw, today=today)
    reference = checked.values["reference"]
    if not checked.problems and apply.existing_customers([reference]):
        checked.problems.append(("reference", "reference_taken"))
    if checked.problems:
        return None, checked.problems
    customer = Customer(reference=reference, **apply.column_values(checked.values))
    db.session.add(customer)
    db.session.flush()
    audit.save_change(
        "customer_added_by_hand",
        customer,
        actor=actor,
        object_type="customer",
        customer_id=customer.id,
    )
    return customer, []


def correct_customer(customer: Customer, raw: dict, *, actor, today: dt.date, now) -> list:
    """Correct a customer's imported fields by the import's rules; the problems, if any.
    The reference is the key the export uses, so it is never changed here."""
    checked = rules.check({**raw, "reference": customer.reference}, today=today)
    if checked.problems:
        return checked.problems
    before = rules.stored_values(customer)
    changed = sorted(name for name in rules.CUSTOMER_FIELDS if before[name] != checked.values[name])
    for name, value in apply.column_values(checked.values).items():
        setattr(customer, name, value)
    if changed:
        customer.updated_at = now
    audit.save_change(
        "customer_corrected_by_hand",
        customer,
        actor=actor,
        object_type="customer",
        customer_id=customer.id,
        details={"fields": changed},
    )
    return []


STATUS_LABELS = {
    ImportStatus.CHECKING: _l("Being checked"),
    ImportStatus.REFUSED: _l("Refused"),
    ImportStatus.PREVIEWED: _l("Checked, waiting for confirmation"),
    ImportStatus.RUNNING: _l("Being applied"),
    ImportStatus.FINISHED: _l("Finished"),
    ImportStatus.ABANDONING: _l("Being abandoned"),
    ImportStatus.ABANDONED: _l("Abandoned"),
}
