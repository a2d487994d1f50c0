"""Reading an export into staging rows: the preview (issue 13 item 1), run as a job.

The upload request only stores the file (files.py) after the cheap checks of its first
chunk (:func:`check_start`); the ``customer_import.preview`` job then streams it back (csv
module over an incremental UTF-8 decoder), classifies the rows against existing customers
loaded by reference, one query per chunk, and writes ``import_rows`` with bulk inserts,
committing the progress after each chunk. ``customers`` is not touched. A problem with the
file as a whole refuses the run and removes what was staged. A worker that dies part-way
leaves a run still "checking"; the job, queued again, starts over from the first line.
"""

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from itertools import islice

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from portal import audit
from portal.customer_imports import bulk, files
from portal.customer_records import import_rules as rules
from portal.extensions import db
from portal.models import Customer, ImportRow, ImportRun
from portal.models.imports import ImportStatus, RowAction
from portal.models.types import utcnow

CHUNK_ROWS = 2000
IN_LIST = 500  # references per IN (...) list


class FileRefused(ValueError):
    """The file as a whole cannot be imported; ``code`` names why (see FILE_REASONS)."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


class _Stopped(Exception):
    """The run stopped being checked (abandoned) while its job was reading it."""


def lock_run(run_id: int) -> ImportRun | None:
    """The run, locked for this transaction (PostgreSQL; SQLite's BEGIN IMMEDIATE already
    serialises writers), so an abandon and a job's step never interleave."""
    statement = sa.select(ImportRun).where(ImportRun.id == run_id).with_for_update()
    return db.session.scalars(statement.execution_options(populate_existing=True)).first()


def _header(reader) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise FileRefused("empty") from None
    return header_names(header)


def header_names(header: list[str]) -> list[str]:
    """The column names of a header line, or :class:`FileRefused` naming those missing."""
    names = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in header]
    missing = [name for name in rules.REQUIRED_COLUMNS if name not in names]
    if missing:
        raise FileRefused("missing_columns", columns=", ".join(missing))
    return names


def _records(reader, names: list[str], today) -> Iterator[tuple[int, rules.Checked]]:
    """(line number, checked record) for each non-blank record after the header; the
    number is the record's first line (a quoted address may span several)."""
    next_line = reader.line_num + 1
    for cells in reader:
        line, next_line = next_line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(names):
            yield line, rules.Checked(problems=[("", "wrong_columns")])
            continue
        yield line, rules.check(dict(zip(names, cells, strict=True)), today=today)


def _select_by_reference(columns, references: list[str]):
    """The customers with these references. On PostgreSQL a join with ``unnest(array)``:
    one parameter however many references, and a hash join whatever the table's
    statistics (a prepared ``= ANY($1)`` compares every row with every reference)."""
    table = Customer.__table__
    if db.engine.dialect.name != "postgresql":
        return sa.select(*columns).where(table.c.reference.in_(references))
    array = sa.bindparam("references", references, type_=postgresql.ARRAY(sa.String))
    wanted = sa.func.unnest(array).table_valued("reference").render_derived()
    return sa.select(*columns).join(wanted, table.c.reference == wanted.c.reference)


def existing_customers(references) -> dict[str, sa.Row]:
    """The imported fields of the customers with these references, in one query (SQLite:
    one per IN_LIST references)."""
    table = Customer.__table__
    names = ("id", "reference", "updated_at", *rules.CUSTOMER_FIELDS)
    columns = [table.c[name] for name in names]
    references = list(references)
    step = (len(references) or 1) if db.engine.dialect.name == "postgresql" else IN_LIST
    found = {}
    for start in range(0, len(references), step):
        statement = _select_by_reference(columns, references[start : start + step])
        for row in db.session.execute(statement):
            found[row.reference] = row
    return found


def classify(values: dict, current) -> tuple[RowAction, bool]:
    """What applying ``values`` does to ``current`` (None: no such customer), and whether
    it marks the customer as having left."""
    if current is None:
        return RowAction.ADD, False
    if all(rules.stored_values(current)[name] == values[name] for name in rules.CUSTOMER_FIELDS):
        return RowAction.UNCHANGED, False
    return RowAction.UPDATE, current.left_on is None and values["left_on"] is not None


class _Stager:
    """Writes one run's rows in chunks and remembers the references seen twice."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.seen: set[str] = set()
        self.duplicates: set[str] = set()

    def _note_reference(self, checked: rules.Checked) -> str | None:
        reference = checked.values.get("reference") or None
        if reference and not checked.problems:
            if reference in self.seen:
                self.duplicates.add(reference)
            self.seen.add(reference)
        return reference

    def _row(self, line: int, checked: rules.Checked, current) -> dict:
        reference = self._note_reference(checked)
        row = {"run_id": self.run_id, "line": line, "reference": reference, "values": None}
        if checked.problems:
            return row | {"action": RowAction.REFUSED, "reason": checked.reason}
        action, marks_former = classify(checked.values, current)
        values = None if action == RowAction.UNCHANGED else checked.values
        return row | {"action": action, "values": values, "marks_former": marks_former}

    def write(self, chunk: list[tuple[int, rules.Checked]]) -> None:
        references = {c.values["reference"] for _line, c in chunk if not c.problems}
        current = existing_customers(references)
        rows = [
            self._row(line, checked, current.get(checked.values.get("reference")))
            for line, checked in chunk
        ]
        defaults = {"reason": None, "marks_former": False, "applied": False}
        bulk.insert(ImportRow.__table__, [defaults | row for row in rows])

    def refuse_duplicates(self) -> None:
        """Every line whose reference appears more than once is refused: the file does not
        say which of them is right."""
        duplicates = sorted(self.duplicates)
        for start in range(0, len(duplicates), IN_LIST):
            db.session.execute(
                sa.update(ImportRow)
                .where(
                    ImportRow.run_id == self.run_id,
                    ImportRow.reference.in_(duplicates[start : start + IN_LIST]),
                    ImportRow.action != RowAction.REFUSED,
                )
                .values(
                    action=RowAction.REFUSED,
                    reason="duplicate_reference",
                    values=None,
                    marks_former=False,
                )
            )


def count_actions(run: ImportRun) -> None:
    """Set the run's counts from its rows."""
    counts = dict(
        db.session.execute(
            sa.select(ImportRow.action, sa.func.count())
            .where(ImportRow.run_id == run.id)
            .group_by(ImportRow.action)
        ).all()
    )
    run.added = counts.get(RowAction.ADD, 0)
    run.updated = counts.get(RowAction.UPDATE, 0)
    run.unchanged = counts.get(RowAction.UNCHANGED, 0)
    run.refused = counts.get(RowAction.REFUSED, 0)
    run.former = db.session.scalar(
        sa.select(sa.func.count()).where(ImportRow.run_id == run.id, ImportRow.marks_former)
    )


# The upload's cheap checks ------------------------------------------------------------


def check_start(first: bytes) -> None:
    """Refuse at once a file whose first chunk is not UTF-8 or whose header line does not
    name the columns; the rest is the job's to read."""
    if not first:
        raise FileRefused("empty")
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(first, final=False)
    except UnicodeDecodeError:
        raise FileRefused("encoding") from None
    line, newline, _rest = text.partition("\n")
    if not newline:
        return  # a header longer than a chunk, or no second line: the job decides
    try:
        header = next(csv.reader([line.rstrip("\r")], strict=True), [])
    except csv.Error:
        return
    header_names(header)


# The preview job ----------------------------------------------------------------------


def _stage(text, run_id: int, today: dt.date, after_chunk: Callable[[], None]) -> None:
    reader = csv.reader(text, strict=True)
    names = _header(reader)
    stager = _Stager(run_id)
    records = _records(reader, names, today)
    while chunk := list(islice(records, CHUNK_ROWS)):
        stager.write(chunk)
        after_chunk()
    stager.refuse_duplicates()


def _checking(run_id: int) -> ImportRun:
    """The run, locked, if it is still being checked; else :class:`_Stopped`."""
    run = lock_run(run_id)
    if run is None or run.status != ImportStatus.CHECKING:
        raise _Stopped
    return run


def _restart(run_id: int) -> None:
    """Remove what a worker that stopped part-way staged, so the check starts over."""
    run = _checking(run_id)
    db.session.execute(sa.delete(ImportRow).where(ImportRow.run_id == run_id))
    run.bytes_checked = 0
    db.session.commit()


def _save_progress(run_id: int, source: files.StoredFile, beat: Callable[[], None]) -> None:
    _checking(run_id).bytes_checked = source.position
    db.session.commit()
    beat()


def _uploader(run: ImportRun):
    from portal.models import User

    return db.session.get(User, run.uploaded_by_id)


def _previewed(run_id: int) -> None:
    run = _checking(run_id)
    count_actions(run)
    run.bytes_checked = run.file_size
    run.status = ImportStatus.PREVIEWED
    files.delete(run_id)
    audit.record(
        "customer_import_previewed",
        actor=_uploader(run),
        object_type="import_run",
        object_id=run.id,
        details=_counts(run),
    )


def _refused(run_id: int, refused: FileRefused, now: dt.datetime) -> None:
    run = _checking(run_id)
    db.session.execute(sa.delete(ImportRow).where(ImportRow.run_id == run_id))
    run.status = ImportStatus.REFUSED
    run.refusal, run.refusal_details = refused.code, refused.details
    run.finished_at = now
    files.delete(run_id)
    audit.record(
        "customer_import_refused",
        actor=_uploader(run),
        object_type="import_run",
        object_id=run.id,
        details={"reason": refused.code},
    )


def _as_refusal(error: Exception) -> FileRefused:
    if isinstance(error, UnicodeDecodeError):
        return FileRefused("encoding")
    if isinstance(error, csv.Error):
        return FileRefused("not_csv")
    return error


def check_run(run_id: int, *, today: dt.date, beat: Callable[[], None] = lambda: None) -> None:
    """Read a stored file into staging rows: the run ends "previewed", waiting for the
    data steward, or "refused" with the reason. Nothing is written to ``customers``."""
    try:
        _restart(run_id)
        source = files.StoredFile(run_id)
        text = io.TextIOWrapper(io.BufferedReader(source), encoding="utf-8-sig", newline="")
        try:
            _stage(text, run_id, today, lambda: _save_progress(run_id, source, beat))
        except (UnicodeDecodeError, csv.Error, FileRefused) as error:
            db.session.rollback()
            _refused(run_id, _as_refusal(error), utcnow())
            return
        _previewed(run_id)
    except _Stopped:
        db.session.rollback()  # abandoned meanwhile: whatever this step staged goes too


def _counts(run: ImportRun) -> dict:
    return {
        "added": run.added,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "refused": run.refused,
        "former": run.former,
    }
