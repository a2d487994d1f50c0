"""Applying a confirmed run to ``customers`` in chunks, and reverting one (issue 13 item 1).

Each chunk is one transaction that first locks the run's row: it applies up to CHUNK_ROWS
staged rows with bulk statements, marks them applied with what undoes them (the updated
customer's pre-image, the inserted customer's id) and moves the progress on. A worker that
dies loses at most the chunk it had not committed; the next worker carries on from there.
Abandoning reverts the applied chunks the same way, newest first.
"""

import datetime as dt

import sqlalchemy as sa

from portal.customer_imports import bulk, files
from portal.customer_imports.preview import (
    classify,
    count_actions,
    existing_customers,
    lock_run,
)
from portal.customer_records import import_rules as rules
from portal.extensions import db
from portal.models import Customer, ImportRow, ImportRun
from portal.models.imports import ImportStatus, RowAction

CHUNK_ROWS = 2000
_customers = Customer.__table__
_rows = ImportRow.__table__


def column_values(values: dict) -> dict:
    """Staged JSON values as column values (dates back to dates)."""
    columns = {name: values[name] for name in rules.CUSTOMER_FIELDS}
    for name in ("date_of_birth", "left_on"):
        if columns[name] is not None:
            columns[name] = dt.date.fromisoformat(columns[name])
    return columns


def _pending(run_id: int) -> list:
    return db.session.execute(
        sa.select(_rows.c.id, _rows.c.reference, _rows.c["values"].label("staged"))
        .where(
            _rows.c.run_id == run_id,
            _rows.c.applied.is_(False),
            _rows.c.action.in_([RowAction.ADD.value, RowAction.UPDATE.value]),
        )
        .order_by(_rows.c.id)
        .limit(CHUNK_ROWS)
    ).all()


def _insert(adds: list, now: dt.datetime) -> dict[str, int]:
    """Insert the new customers; their ids by reference."""
    if not adds:
        return {}
    rows = [{"reference": row.reference, **column_values(row.staged)} for row in adds]
    returned = (_customers.c.id, _customers.c.reference)
    found = bulk.insert(_customers, rows, {"created_at": now}, returning=returned)
    return {row.reference: row.id for row in found}


def _update(updates: list) -> None:
    """Set the imported fields of many customers in one statement."""
    if updates:
        bulk.update(_customers, updates)


def _pre_image(current) -> dict:
    before = rules.stored_values(current)
    before["updated_at"] = current.updated_at.isoformat() if current.updated_at else None
    return before


def _mark(row, action, customer_id=None, before=None, former=False) -> dict:
    return {
        "id": row.id,
        "applied": True,
        "action": action.value,
        "customer_id": customer_id,
        "before": before,
        "marks_former": former,
    }


def _apply_rows(pending: list, now: dt.datetime) -> None:
    """Classify again against the customers as they are now (a data steward may have
    added or corrected one since the preview), then write."""
    current = existing_customers(row.reference for row in pending)
    adds, updates, marks = [], [], []
    for row in pending:
        found = current.get(row.reference)
        action, former = classify(row.staged, found)
        if action == RowAction.ADD:
            adds.append(row)
        elif action == RowAction.UPDATE:
            columns = column_values(row.staged)
            updates.append({"id": found.id, **columns, "updated_at": now})
            marks.append(_mark(row, action, found.id, _pre_image(found), former))
        else:
            marks.append(_mark(row, action))
    _update(updates)
    inserted = _insert(adds, now)
    marks.extend(_mark(row, RowAction.ADD, inserted[row.reference]) for row in adds)
    bulk.update(_rows, marks)


def apply_chunk(run_id: int, now: dt.datetime) -> bool:
    """Apply the next chunk of a running import; False when there is nothing more to do
    (finished, or no longer running because it is being abandoned)."""
    run = lock_run(run_id)
    if run is None or run.status != ImportStatus.RUNNING:
        db.session.commit()
        return False
    pending = _pending(run_id)
    if not pending:
        _finish(run, now)
        return False
    _apply_rows(pending, now)
    run.rows_done = min(run.rows_total, run.rows_done + len(pending))
    db.session.commit()
    return True


def _finish(run: ImportRun, now: dt.datetime) -> None:
    from portal import audit

    count_actions(run)
    run.rows_done = run.rows_total
    run.status = ImportStatus.FINISHED
    run.finished_at = now
    files.delete(run.id)  # gone since the check; made sure of here (data minimisation)
    audit.record(
        "customer_import_finished",
        actor=_actor(run),
        object_type="import_run",
        object_id=run.id,
        details=summary_counts(run),
    )


def _actor(run: ImportRun):
    from portal.models import User

    return db.session.get(User, run.confirmed_by_id) if run.confirmed_by_id else None


def summary_counts(run: ImportRun) -> dict:
    return {
        "added": run.added,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "refused": run.refused,
        "former": run.former,
        "kept_in_use": run.kept_in_use,
    }


# Reverting -----------------------------------------------------------------------------


def _unreferenced():
    """Conditions true for a customer that no other table refers to yet."""
    conditions = []
    for table in db.metadata.tables.values():
        for key in table.foreign_keys:
            if key.column is _customers.c.id:
                conditions.append(
                    ~sa.exists().where(key.parent == _customers.c.id).correlate(_customers)
                )
    return conditions


def _delete_inserted(customer_ids: list[int]) -> int:
    """Delete the inserted customers nothing uses yet; the number kept because in use."""
    if not customer_ids:
        return 0
    statement = sa.delete(_customers).where(_customers.c.id.in_(customer_ids), *_unreferenced())
    deleted = db.session.execute(statement).rowcount
    return len(customer_ids) - deleted


def _restore(updated: list) -> None:
    if not updated:
        return
    parameters = []
    for row in updated:
        before = dict(row.before)
        stamp = before.pop("updated_at")
        columns = column_values(before)
        columns["updated_at"] = dt.datetime.fromisoformat(stamp) if stamp else None
        parameters.append({"id": row.customer_id, **columns})
    _update(parameters)


def _applied(run_id: int) -> list:
    return db.session.execute(
        sa.select(_rows.c.id, _rows.c.action, _rows.c.customer_id, _rows.c.before)
        .where(_rows.c.run_id == run_id, _rows.c.applied.is_(True))
        .order_by(_rows.c.id.desc())
        .limit(CHUNK_ROWS)
    ).all()


def revert_chunk(run_id: int, now: dt.datetime) -> bool:
    """Undo the newest chunk of an abandoned run; False when nothing applied is left."""
    run = lock_run(run_id)
    if run is None or run.status != ImportStatus.ABANDONING:
        db.session.commit()
        return False
    applied = _applied(run_id)
    if not applied:
        _abandoned(run, now)
        return False
    adds = [row.customer_id for row in applied if row.action == RowAction.ADD]
    run.kept_in_use += _delete_inserted(adds)
    _restore([row for row in applied if row.action == RowAction.UPDATE])
    ids = [row.id for row in applied]
    db.session.execute(sa.update(_rows).where(_rows.c.id.in_(ids)).values(applied=False))
    run.rows_done = max(0, run.rows_done - len(applied))
    db.session.commit()
    return True


def _abandoned(run: ImportRun, now: dt.datetime) -> None:
    from portal import audit

    run.status = ImportStatus.ABANDONED
    run.abandoned_at = now
    run.rows_done = 0
    files.delete(run.id)
    audit.record(
        "customer_import_reverted",
        actor=None,
        object_type="import_run",
        object_id=run.id,
        details={"reverted": True, "kept_in_use": run.kept_in_use},
    )
