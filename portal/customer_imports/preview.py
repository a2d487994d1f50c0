"""Reading an export into staging rows: the preview (issue 13 item 1).

The file is streamed (csv module over an incremental UTF-8 decoder), hashed as it is read
and classified against existing customers loaded by reference, one query per chunk. Rows go
to ``import_rows`` with bulk inserts; ``customers`` is not touched. Any problem with the file
as a whole rolls the transaction back, so a refused file leaves nothing behind.
"""

import csv
import hashlib
import io
from collections.abc import Iterator
from itertools import islice

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from portal import audit
from portal.customer_imports import bulk
from portal.customer_records import import_rules as rules
from portal.extensions import db
from portal.models import Customer, ImportRow, ImportRun
from portal.models.imports import RowAction

CHUNK_ROWS = 2000
IN_LIST = 500  # references per IN (...) list


class FileRefused(ValueError):
    """The file as a whole cannot be imported; ``code`` names why (see FILE_REASONS)."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


class _HashingReader(io.RawIOBase):
    """Passes the upload's bytes through, hashing and counting them, and refuses a file
    larger than the configured maximum as soon as it gets there."""

    def __init__(self, source, max_bytes: int):
        self.source = source
        self.max_bytes = max_bytes
        self.size = 0
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.source.read(len(buffer))
        self.size += len(data)
        if self.size > self.max_bytes:
            raise FileRefused("too_large", size=self.max_bytes // 2**20)
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _header(reader) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise FileRefused("empty") from None
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


def _stage(text, run: ImportRun, today) -> None:
    reader = csv.reader(text, strict=True)
    names = _header(reader)
    stager = _Stager(run.id)
    records = _records(reader, names, today)
    while chunk := list(islice(records, CHUNK_ROWS)):
        stager.write(chunk)
    stager.refuse_duplicates()


def read_upload(stream, *, file_name: str, actor, today, max_bytes: int) -> ImportRun:
    """Stage an uploaded export for preview and return its run (committed), or raise
    :class:`FileRefused` having written nothing."""
    source = _HashingReader(stream, max_bytes)
    text = io.TextIOWrapper(io.BufferedReader(source), encoding="utf-8-sig", newline="")
    run = ImportRun(uploaded_by_id=actor.id, file_name=file_name[:200], sha256="")
    db.session.add(run)
    db.session.flush()
    try:
        _stage(text, run, today)
    except UnicodeDecodeError:
        db.session.rollback()
        raise FileRefused("encoding") from None
    except csv.Error:
        db.session.rollback()
        raise FileRefused("not_csv") from None
    except FileRefused:
        db.session.rollback()
        raise
    run.sha256 = source.digest.hexdigest()
    count_actions(run)
    audit.record(
        "customer_import_uploaded",
        actor=actor,
        object_type="import_run",
        object_id=run.id,
        details=_counts(run),
    )
    return run


def _counts(run: ImportRun) -> dict:
    return {
        "added": run.added,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "refused": run.refused,
        "former": run.former,
    }
