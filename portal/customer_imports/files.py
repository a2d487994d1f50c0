"""The uploaded export, kept in the database while a job checks it (issue 13 item 1).

The upload request streams the file into ``import_file_chunks`` a megabyte at a time (never
the whole file in memory, nothing on one server's disk: any worker on any machine reads it
back), hashing and measuring it as it goes. The job reads it back the same way.
"""

import hashlib
import io

import sqlalchemy as sa

from portal.extensions import db
from portal.models import ImportFileChunk

CHUNK_BYTES = 2**20
_chunks = ImportFileChunk.__table__


class TooLarge(ValueError):
    """The file grew past the maximum while it was being stored."""


def store(stream, run_id: int, max_bytes: int) -> tuple[str, int, bytes]:
    """Save ``stream`` as the run's chunks in the caller's transaction; its SHA-256, its
    size and its first chunk (for the cheap checks). Raises :class:`TooLarge` as soon as
    the file passes ``max_bytes``."""
    digest, size, first = hashlib.sha256(), 0, b""
    position = 0
    while data := stream.read(CHUNK_BYTES):
        size += len(data)
        if size > max_bytes:
            raise TooLarge(size)
        digest.update(data)
        db.session.execute(sa.insert(_chunks).values(run_id=run_id, position=position, data=data))
        first = first or data
        position += 1
    return digest.hexdigest(), size, first


def delete(run_id: int) -> None:
    """Remove the stored file. Called as soon as the run no longer needs it (checked,
    refused, abandoned, finished): the export holds customers' personal data, kept no
    longer than necessary (UK GDPR Art. 5(1)(c), data minimisation; 5(1)(e))."""
    db.session.execute(sa.delete(_chunks).where(_chunks.c.run_id == run_id))


def stored_bytes(run_id: int) -> int:
    """How many bytes of the run's file are still stored."""
    total = sa.func.coalesce(sa.func.sum(sa.func.length(_chunks.c.data)), 0)
    return db.session.scalar(sa.select(total).where(_chunks.c.run_id == run_id))


class StoredFile(io.RawIOBase):
    """Reads a run's stored file back, one chunk in memory at a time; ``position`` is how
    many bytes have been handed on (the check's progress)."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.position = 0
        self._next = 0
        self._chunk = memoryview(b"")

    def readable(self) -> bool:
        return True

    def _fetch(self) -> None:
        data = db.session.scalar(
            sa.select(_chunks.c.data).where(
                _chunks.c.run_id == self.run_id, _chunks.c.position == self._next
            )
        )
        self._chunk = memoryview(bytes(data or b""))
        self._next += 1

    def readinto(self, buffer) -> int:
        if not self._chunk:
            self._fetch()
        size = min(len(buffer), len(self._chunk))
        buffer[:size] = self._chunk[:size]
        self._chunk = self._chunk[size:]
        self.position += size
        return size
