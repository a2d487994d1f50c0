"""Word (DOCX) files are ZIP archives: each part is unpacked and counted before the file is
kept (ASVS 5.2.3, SECURITY.md row 27).

Refused: a file that unpacks to more than ``MAX_UNPACKED_BYTES`` or to more than
``MAX_RATIO`` times its own size (a zip bomb), one with more than ``MAX_PARTS`` parts, a
part that is itself an archive or an embedded program (another ZIP, a chart's workbook, an
OLE object, a macro project), and parts whose stored checksum or size does not match.
"""

import io
import zipfile

from portal.uploads.refusals import ActiveContent, DamagedFile, UnpacksTooLarge

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_PARTS = 1000
CHUNK = 64 * 1024
# First bytes of a ZIP, OLE compound file (old Office, embedded objects, vbaProject.bin),
# 7-Zip, RAR, gzip, bzip2, xz, CAB and a Windows program.
NESTED_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
    b"MSCF",
    b"MZ",
)
NESTED_SUFFIXES = (".zip", ".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".exe", ".jar")


def check(data: bytes) -> None:
    """Refuse the DOCX in ``data`` if it is a zip bomb or carries archives or programs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            _check_declared(parts, len(data))
            unpacked = sum(_unpacked_size(archive, part) for part in parts)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise DamagedFile from None
    _check_total(unpacked, len(data))


def _check_declared(parts: list[zipfile.ZipInfo], packed: int) -> None:
    """The sizes the archive admits to, before anything is unpacked."""
    if len(parts) > MAX_PARTS:
        raise UnpacksTooLarge
    _check_total(sum(part.file_size for part in parts), packed)
    if any(part.filename.lower().endswith(NESTED_SUFFIXES) for part in parts):
        raise ActiveContent


def _check_total(unpacked: int, packed: int) -> None:
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(packed, 1):
        raise UnpacksTooLarge


def _unpacked_size(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    """Unpack one part in chunks (zipfile stops at the declared size and checks the CRC,
    so a part that lies about its size fails here instead of filling memory)."""
    size = 0
    with archive.open(part) as stream:
        first = stream.read(CHUNK)
        if first.startswith(NESTED_MAGIC):
            raise ActiveContent
        size += len(first)
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > MAX_UNPACKED_BYTES:
                raise UnpacksTooLarge
    return size
