"""Evidence files: checked by their content, stored outside the web root under a name the
server chose (SECURITY.md, ASVS 5.2.2 / 5.3.1 / 5.3.2).

Used for incident attachments (issue 4) and for appeal and reconsideration evidence (s3.4, s4).
The name a user gave a file is kept for display only; it never reaches the file system.
"""

import hashlib
import io
import os
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from portal.models import Attachment
from portal.text_input import without_hidden_characters

MAX_FILES = 5
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    DOCX: ".docx",
}


class UploadRefused(ValueError):
    """A file the portal will not keep; ``message`` says why in the reader's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


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


def display_name(filename: str | None) -> str:
    """A safe name to show and to offer on download: no folders, no control characters,
    no direction overrides (which can make a name ending ".exe" read as ".pdf")."""
    name = Path((filename or "").replace("\\", "/")).name
    name = without_hidden_characters(name).strip()
    return name[:200] or "file"


def max_bytes() -> int:
    return current_app.config["MAX_UPLOAD_BYTES"]


def check(storage) -> CheckedFile:
    """Read one uploaded file and refuse it unless it is a small PDF, JPEG, PNG or DOCX."""
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
        raise UploadRefused(_l("The selected file must be a PDF, JPG, PNG or Word (DOCX) file"))
    return CheckedFile(display_name(storage.filename), media_type, data)


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


def _path_for(storage_key: str) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / storage_key[:2] / storage_key


def store(checked: CheckedFile, *, uploaded_by_id: int, **owner) -> Attachment:
    """Write the bytes under a random name and return the (unsaved) Attachment row.

    The caller commits; if that fails it calls :func:`discard` so no orphan file is left.
    """
    key = uuid.uuid4().hex
    path = _path_for(key)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(checked.data)
    return Attachment(
        storage_key=key,
        original_filename=checked.filename,
        media_type=checked.media_type,
        size_bytes=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        uploaded_by_id=uploaded_by_id,
        **owner,
    )


def discard(attachments) -> None:
    for attachment in attachments:
        _path_for(attachment.storage_key).unlink(missing_ok=True)


def path_of(attachment: Attachment) -> Path:
    return _path_for(attachment.storage_key)


def download_name(attachment: Attachment) -> str:
    """The name offered on download, with the extension of what the file really is."""
    stem = Path(attachment.original_filename).stem or "file"
    return stem + ALLOWED_TYPES.get(attachment.media_type, "")
