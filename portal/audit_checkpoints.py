"""Signed checkpoints of the audit chain's head, kept outside the database (SECURITY.md §5,
ASVS 16.4.3).

A keyed chain still verifies after its newest rows are deleted: it is only shorter. A
checkpoint records the head (last row id, its hash, the number of rows) signed with the
audit key; ``flask audit checkpoint`` appends one to a log file and emails it off the
box, and ``flask audit verify`` checks that every checkpoint it is given is still a
prefix of the chain. Rows added after the last checkpoint can still be removed unseen:
the checkpoint interval (a day, by the README's cron list) bounds what can be lost.
"""

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from portal.audit import CHAINS, audit_key, lock_chain
from portal.extensions import db
from portal.models.audit import AuditEvent

PREFIX = "AUDIT-CHECKPOINT "
_SIGNING_CONTEXT = b"portal audit checkpoint\n"  # never the same input as a row's hash


@dataclass(frozen=True)
class Checkpoint:
    last_id: int  # 0 when the trail was empty
    head_hash: str
    count: int
    taken_at: str  # ISO 8601, UTC
    signature: str = ""

    def payload(self) -> str:
        return json.dumps(
            {
                "last_id": self.last_id,
                "head_hash": self.head_hash,
                "count": self.count,
                "taken_at": self.taken_at,
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    def line(self) -> str:
        """One line for a log file or an email, parsed back by :func:`parse`."""
        fields = json.loads(self.payload()) | {"signature": self.signature}
        return PREFIX + json.dumps(fields, sort_keys=True, separators=(",", ":"))


def _signature(checkpoint: Checkpoint, key: bytes) -> str:
    message = _SIGNING_CONTEXT + checkpoint.payload().encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def take(now: dt.datetime, key: bytes | None = None) -> Checkpoint:
    """The current head of the trail, signed.

    Every chain's lock is taken first (in order; an append only ever takes one), so no
    event is being appended meanwhile: one still uncommitted could otherwise get an id
    below the head and later change the count of rows up to it.
    """
    for chain in range(CHAINS):
        lock_chain(chain)
    head = db.session.execute(
        select(AuditEvent.id, AuditEvent.entry_hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    count = db.session.scalar(select(func.count(AuditEvent.id)))
    unsigned = Checkpoint(
        last_id=head.id if head else 0,
        head_hash=head.entry_hash if head else "",
        count=count,
        taken_at=now.astimezone(dt.UTC).replace(microsecond=0).isoformat(),
    )
    return Checkpoint(**(vars(unsigned) | {"signature": _signature(unsigned, key or audit_key())}))


def parse(line: str) -> Checkpoint | None:
    """The checkpoint in a line of a log or an email (anything before the marker, such as
    a log's timestamp, is ignored), or None if the line holds none."""
    _, marker, rest = line.partition(PREFIX)
    if not marker:
        return None
    try:
        fields = json.loads(rest)
        return Checkpoint(
            last_id=int(fields["last_id"]),
            head_hash=str(fields["head_hash"]),
            count=int(fields["count"]),
            taken_at=str(fields["taken_at"]),
            signature=str(fields["signature"]),
        )
    except (ValueError, KeyError, TypeError):
        return Checkpoint(last_id=-1, head_hash="", count=-1, taken_at=rest.strip()[:40])


def read(path: Path) -> list[Checkpoint]:
    text = path.read_text(encoding="utf-8")
    return [cp for cp in map(parse, text.splitlines()) if cp is not None]


def append(checkpoint: Checkpoint, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(checkpoint.line() + "\n")


def problem_with(checkpoint: Checkpoint, key: bytes | None = None) -> str | None:
    """Why the chain no longer matches this checkpoint, or None if it still does."""
    expected = _signature(checkpoint, key or audit_key())
    if not hmac.compare_digest(checkpoint.signature, expected):
        return f"checkpoint {checkpoint.taken_at}: not signed with this AUDIT_KEY (altered?)"
    if checkpoint.count == 0:
        return None
    row = db.session.get(AuditEvent, checkpoint.last_id)
    if row is None:
        return (
            f"checkpoint {checkpoint.taken_at}: row {checkpoint.last_id} is missing "
            "(rows were deleted from the end of the trail)"
        )
    if not hmac.compare_digest(row.entry_hash, checkpoint.head_hash):
        return f"checkpoint {checkpoint.taken_at}: row {checkpoint.last_id} has changed"
    count = db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.id <= checkpoint.last_id)
    )
    if count != checkpoint.count:
        return (
            f"checkpoint {checkpoint.taken_at}: {count} rows up to {checkpoint.last_id}, "
            f"the checkpoint counted {checkpoint.count}"
        )
    return None
