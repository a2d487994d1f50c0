"""Evidence files are judged by their bytes, never their names (SECURITY.md, ASVS 5.2.2)."""

import io
import re
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from portal import uploads
from tests.upload_samples import pdf_bytes

PDF = pdf_bytes()  # a real one: PDFs are opened by a parser, not only sniffed
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx_bytes(extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, text in (extra or {}).items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (docx_bytes(), uploads.DOCX),
        (b"MZ\x90\x00 this is a Windows program", None),
        (b"<html><script>alert(1)</script>", None),
        (docx_bytes({"word/vbaProject.bin": "macro"}), None),  # a macro-enabled document
        (b"PK\x03\x04 not really a zip", None),
    ],
)
def test_sniff_decides_by_content(data, expected):
    assert uploads.sniff(data) == expected


def storage(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_a_renamed_program_is_refused_and_a_misnamed_pdf_is_accepted(app):
    with pytest.raises(uploads.UploadRefused):
        uploads.check(storage(b"MZ\x90\x00program", "letter.pdf"))
    checked = uploads.check(storage(PDF, "scan.exe"))
    assert checked.media_type == "application/pdf"


def test_empty_and_oversized_files_are_refused(app):
    with pytest.raises(uploads.UploadRefused, match="empty"):
        uploads.check(storage(b"", "nothing.pdf"))
    too_big = PDF + b"0" * app.config["MAX_UPLOAD_BYTES"]
    with pytest.raises(uploads.UploadRefused, match="smaller than 5 MB"):
        uploads.check(storage(too_big, "big.pdf"))


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\photo.png", "photo.png"),
        ("evil\x00name.pdf", "evilname.pdf"),
        ("", "file"),
    ],
)
def test_display_names_never_carry_a_path(given, shown):
    assert uploads.display_name(given) == shown


def test_stored_files_live_in_the_database_under_a_random_key(app):
    checked = uploads.check(storage(PDF, "../../static/evil.pdf"))
    attachment = uploads.store(checked, uploaded_by_id=1, case_id=1)
    assert re.fullmatch(r"[0-9a-f]{32}", attachment.storage_key)
    assert attachment.original_filename == "evil.pdf"
    assert uploads.content_of(attachment) == PDF
    uploads.discard([attachment.storage_key])
    with pytest.raises(LookupError):
        uploads.content_of(attachment)
