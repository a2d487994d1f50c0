"""Confirming, abandoning and resuming imports, and customers added or corrected by hand,
each step in the audit trail with ids and counts only (issue 13 item 1)."""

import datetime as dt

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal import audit, jobs
from portal.customer_imports import apply
from portal.customer_imports.jobs import APPLY, REVERT
from portal.customer_records import import_rules as rules
from portal.extensions import db
from portal.models import Customer, ImportRow, ImportRun, Job
from portal.models.imports import ImportStatus, RowAction
from portal.models.jobs import JobStatus
from portal.refusals import Refusal

REFUSED_ROWS_SHOWN = 200


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


def _busy() -> bool:
    busy = (ImportStatus.RUNNING, ImportStatus.ABANDONING)
    return db.session.scalar(sa.select(sa.func.count()).where(ImportRun.status.in_(busy))) > 0


def confirm(run: ImportRun, *, actor, now: dt.datetime) -> None:
    """Queue the previewed rows to be applied."""
    run = apply.lock_run(run.id)
    if run.status != ImportStatus.PREVIEWED:
        raise NotAwaitingConfirmation
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


def abandon(run: ImportRun, *, actor, now: dt.datetime) -> None:
    """Discard a preview, or stop a run and queue the revert of what it applied."""
    run = apply.lock_run(run.id)
    if run.status not in (ImportStatus.PREVIEWED, ImportStatus.RUNNING):
        raise CannotAbandon
    if run.status == ImportStatus.PREVIEWED:
        run.status = ImportStatus.ABANDONED
        run.abandoned_at = now
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
    """Queue a new job for a run whose job failed (its applied chunks stay applied)."""
    run = apply.lock_run(run.id)
    kinds = {ImportStatus.RUNNING: APPLY, ImportStatus.ABANDONING: REVERT}
    if run.status not in kinds or job_state(run) != "stopped":
        raise NothingToResume
    run.job_id = jobs.enqueue(kinds[run.status], {"run_id": run.id}).id
    audit.record(
        "customer_import_resumed",
        actor=actor,
        object_type="import_run",
        object_id=run.id,
        details={"rows_done": run.rows_done},
    )


def job_state(run: ImportRun) -> str | None:
    """ "waiting" (queued), "working", "stopped" (failed) or None (no job, or done)."""
    if run.status not in (ImportStatus.RUNNING, ImportStatus.ABANDONING):
        return None
    job = db.session.get(Job, run.job_id) if run.job_id else None
    if job is None or job.status == JobStatus.FAILED:
        return "stopped"
    return {JobStatus.QUEUED: "waiting", JobStatus.RUNNING: "working"}.get(job.status)


def recent_runs(limit: int = 10) -> list[ImportRun]:
    return list(db.session.scalars(sa.select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)))


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
    ImportStatus.PREVIEWED: _l("Checked, waiting for confirmation"),
    ImportStatus.RUNNING: _l("Being applied"),
    ImportStatus.FINISHED: _l("Finished"),
    ImportStatus.ABANDONING: _l("Being abandoned"),
    ImportStatus.ABANDONED: _l("Abandoned"),
}
