"""Bytes that every app server must be able to read: evidence files and rendered letters
(issue 18 item 5). They live in the database beside the rows that own them, not on one
server's disk, so a file uploaded through one machine downloads through another, and a
letter rendered once is served from the cache by all of them.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow


class StoredFile(db.Model):
    """An uploaded file's bytes, under the random ``Attachment.storage_key`` the server
    chose (ASVS 5.3.2). Saved in the same transaction as its attachment row, so there is
    never a file without its row nor a row without its file."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)


class LetterRender(db.Model):
    """One letter in one language and format, rendered once from its frozen content.

    ``key`` is the hash of the content's hash, the locale, the format and the render
    version (portal.letters.render.cache_key). ``content_sha256`` is kept so that when
    retention removes a letter its renders go with it (UK GDPR Article 5(1)(e))."""

    __tablename__ = "letter_renders"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    content_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
