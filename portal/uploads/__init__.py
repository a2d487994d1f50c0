"""Evidence files: checked by their content, stored in the database under a key the
server chose (SECURITY.md, ASVS 5.2.2 / 5.2.3 / 5.3.1 / 5.3.2 / 5.4.3).

Used for incident attachments (issue 4) and for appeal and reconsideration evidence (s3.4, s4).
Each file is first recognised by its bytes (:func:`sniff`), then opened by a parser for
its type (portal.uploads.images, .pdf, .office), then scanned by ClamAV where there is one
(portal.uploads.virus_scan). The name a user gave a file is kept for display only, cleaned
(portal.uploads.names); it never reaches the file system.
"""

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, request, send_file
from wtforms.validators import ValidationError

from portal.extensions import db
from portal.models import Attachment, StoredFile
from portal.translations import lazy_gettext as _l
from portal.uploads import images, office, pdf, virus_scan
from portal.uploads.names import display_name, name_for_type
from portal.uploads.refusals import (
    FilesTooLarge,
    NotAllowedType,
    TooManyFiles,
    UploadRefused,
)

__all__ = ["FilesTooLarge", "TooManyFiles", "UploadRefused", "display_name"]

MAX_FILES = 5
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    DOCX: ".docx",
}
EXTENSION_ALIASES = {"image/jpeg": (".jpeg", ".jpe", ".jfif")}


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    media_type: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """The media type the bytes really are, or None if not one we accept.

    Decided by content, never by the file name or the browser's claim: a renamed program
    is refused, a correctly typed file with an odd name is accepted.
    """
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return DOCX
    return None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    # Any other zip (or a macro-enabled .docm) is refused.
    return (
        "[Content_Types].xml" in names
        and "word/document.xml" in names
        and not any(name.lower().endswith("vbaproject.bin") for name in names)
    )


def parsed(media_type: str, data: bytes) -> bytes:
    """The bytes to keep, once the parser for ``media_type`` has accepted them: pictures
    re-encoded without metadata, PDFs and DOCX unchanged."""
    if media_type in images.FORMATS:
        return images.reencoded(media_type, data)
    if media_type == "application/pdf":
        pdf.check(data)
    elif media_type == DOCX:
        office.check(data)
    return data


# Room for the rest of a form beside a large file (CSRF token, multipart headers).
FORM_ALLOWANCE = 1024 * 1024


def large_upload(setting: str):
    """Let one view take a body up to the named setting instead of MAX_CONTENT_LENGTH
    (a customer import is far larger than evidence files); anything bigger is refused
    with 413 before it is read."""

    def decorate(view):
        view.upload_limit_setting = setting
        return view

    return decorate


def apply_upload_limit() -> None:
    """``before_request``, before the CSRF check reads the form: the view's own limit."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    setting = getattr(view, "upload_limit_setting", None)
    if setting:
        request.max_content_length = current_app.config[setting] + FORM_ALLOWANCE


def max_bytes() -> int:
    return current_app.config["MAX_UPLOAD_BYTES"]


def check(storage) -> CheckedFile:
    """Read one uploaded file and refuse it unless it is a small, safe PDF, JPEG, PNG or
    DOCX that no virus scanner objects to."""
    limit = max_bytes()
    data = storage.read(limit + 1)
    if not data:
        raise UploadRefused(_l("The selected file is empty"))
    if len(data) > limit:
        raise UploadRefused(
            _l("The selected file must be smaller than %(size)s MB", size=limit // (1024 * 1024))
        )
    media_type = sniff(data)
    if media_type is None:
        raise NotAllowedType
    kept = parsed(media_type, data)
    virus_scan.scan(data)  # what was sent, including anything the re-encoding dropped
    name = name_for_type(
        storage.filename, ALLOWED_TYPES[media_type], EXTENSION_ALIASES.get(media_type, ())
    )
    return CheckedFile(name, media_type, kept)


def check_room(adding: list[CheckedFile], *, held_count: int = 0, held_bytes: int = 0) -> None:
    """Refuse ``adding`` if, with the files a draft or incident already holds, it would
    pass ``MAX_FILES`` or ``MAX_UPLOAD_BYTES_PER_DRAFT`` (s3.4 evidence; ASVS 5.2.1).

    The caller counts what is held inside the transaction that stores the new files, with
    the owning row locked, so two requests at once cannot both fit under the limit.
    """
    if held_count + len(adding) > MAX_FILES:
        raise TooManyFiles(MAX_FILES, max(MAX_FILES - held_count, 0))
    limit = current_app.config["MAX_UPLOAD_BYTES_PER_DRAFT"]
    if held_bytes + sum(len(item.data) for item in adding) > limit:
        raise FilesTooLarge(-(-limit // (1024 * 1024)))  # whole MB, rounded up


def chosen(files) -> list:
    """The file inputs the user actually filled in (an empty input sends a nameless part)."""
    return [f for f in (files or []) if getattr(f, "filename", "")]


class EvidenceFiles:
    """WTForms validator: at most MAX_FILES, each passing :func:`check`. The checked files
    are kept on the field as ``field.checked`` for the service to store."""

    def __call__(self, form, field):
        files = chosen(field.data)
        if len(files) > MAX_FILES:
            raise ValidationError(_l("Select up to %(count)d files", count=MAX_FILES))
        checked = []
        for storage in files:
            try:
                checked.append(check(storage))
            except UploadRefused as refused:
                raise ValidationError(
                    _l(
                        "%(name)s: %(reason)s",
                        name=display_name(storage.filename),
                        reason=refused.message,
                    )
                ) from refused
        field.checked = checked


def store(checked: CheckedFile, *, uploaded_by_id: int, **owner) -> Attachment:
    """Add the bytes under a random key, and return the (unsaved) Attachment row.

    Both go into the caller's transaction (issue 18 item 5: in the database, so every app
    server can read the file): if the commit fails neither is kept.
    """
    key = uuid.uuid4().hex
    db.session.add(StoredFile(key=key, data=checked.data))
    return Attachment(
        storage_key=key,
        original_filename=checked.filename,
        media_type=checked.media_type,
        size_bytes=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        uploaded_by_id=uploaded_by_id,
        **owner,
    )


def discard(storage_keys) -> None:
    """Delete the bytes of these attachments (retention), in the caller's transaction."""
    db.session.execute(sa.delete(StoredFile).where(StoredFile.key.in_(storage_keys)))


def content_of(attachment: Attachment) -> bytes:
    stored = db.session.get(StoredFile, attachment.storage_key)
    if stored is None:  # the row says a file was kept: losing it is a fault, not a 404
        raise LookupError(f"no stored bytes for attachment {attachment.id}")
    return stored.data


def send(attachment: Attachment):
    """The file as a download, named for what it really is; never shown inline."""
    return send_file(
        io.BytesIO(content_of(attachment)),
        mimetype=attachment.media_type,
        as_attachment=True,
        download_name=download_name(attachment),
        max_age=0,
    )


def download_name(attachment: Attachment) -> str:
    """The name offered on download, with the extension of what the file really is
    (cleaned again: rows kept before names were cleaned may hold direction controls)."""
    extension = ALLOWED_TYPES.get(attachment.media_type, "")
    return name_for_type(
        attachment.original_filename, extension, EXTENSION_ALIASES.get(attachment.media_type, ())
    )
