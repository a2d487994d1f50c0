"""Virus scanning of uploads with ClamAV where it is installed (ASVS 5.4.3, SECURITY.md
row 30).

Settings (portal/config.py, or the environment variable of the same name):

``VIRUS_SCAN``
    ``auto`` (default): scan with clamd if ``CLAMD_SOCKET`` is set, else with ``clamscan``
    if it is installed and has a signature database; if neither, files are **not** virus
    scanned and only the format checks apply. ``required``: as ``auto``, but with no
    scanner every upload is refused. ``off``: never scan.
``CLAMD_SOCKET``
    The clamd daemon's Unix socket (fast: signatures stay loaded).
``CLAMAV_DATABASE``
    A signature folder or file for ``clamscan --database`` (the tests use one holding
    the EICAR test signature).

Once a scanner is in use, any answer other than "clean" refuses the file: a hit, an error,
a timeout (fail closed).
"""

import shutil
import socket
import struct
import subprocess  # noqa: S404 — clamscan is run with a fixed argument list, no shell
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from portal.uploads.refusals import VirusFound, VirusScanFailed

DEFAULT_DATABASE = Path("/var/lib/clamav")
SIGNATURE_SUFFIXES = {".cvd", ".cld", ".cud", ".ndb", ".hdb", ".hsb", ".ldb", ".mdb", ".msb"}
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Clamscan:
    """``clamscan`` on a private temporary file: loads the signatures on every call."""

    program: str
    database: str | None
    timeout: float

    def scan(self, data: bytes) -> str | None:
        """The name of the signature found in ``data``, or None if it is clean."""
        with tempfile.TemporaryDirectory(prefix="portal-scan-") as folder:  # mode 0700
            path = Path(folder) / "upload"
            path.write_bytes(data)
            command = [self.program, "--no-summary", "--stdout", "--infected"]
            if self.database:
                command.append(f"--database={self.database}")
            try:
                result = subprocess.run(  # noqa: S603 — fixed program and arguments
                    [*command, "--", str(path)],
                    capture_output=True,
                    text=True,
                    timeout=self.timeout,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as error:
                raise VirusScanFailed(str(error)) from None
        if result.returncode == 0:
            return None
        if result.returncode == 1 and result.stdout.rstrip().endswith("FOUND"):
            return result.stdout.rstrip().rsplit(":", 1)[-1].removesuffix("FOUND").strip()
        raise VirusScanFailed(result.stderr.strip() or f"clamscan exit {result.returncode}")


@dataclass(frozen=True)
class Clamd:
    """The clamd daemon over its Unix socket, with the INSTREAM command."""

    socket_path: str
    timeout: float

    def scan(self, data: bytes) -> str | None:
        try:
            reply = self._ask(data)
        except OSError as error:
            raise VirusScanFailed(str(error)) from None
        if reply.endswith(" OK"):
            return None
        if reply.endswith(" FOUND"):
            return reply.removesuffix(" FOUND").split(":", 1)[-1].strip()
        raise VirusScanFailed(reply)

    def _ask(self, data: bytes) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(self.timeout)
            connection.connect(self.socket_path)
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                received = connection.recv(4096)
                if not received:
                    break
                reply += received
        return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def _has_signatures(database: Path) -> bool:
    if database.is_file():
        return True
    return database.is_dir() and any(
        path.suffix in SIGNATURE_SUFFIXES for path in database.iterdir()
    )


def scanner(config=None) -> Clamd | Clamscan | None:
    """The scanner the settings and this machine give, or None if files go unscanned."""
    config = current_app.config if config is None else config
    mode = config.get("VIRUS_SCAN", "auto")
    timeout = float(config.get("VIRUS_SCAN_TIMEOUT", 60))
    if mode == "off":
        return None
    if config.get("CLAMD_SOCKET"):
        return Clamd(config["CLAMD_SOCKET"], timeout)
    program = shutil.which("clamscan")
    database = config.get("CLAMAV_DATABASE") or None
    if program and _has_signatures(Path(database or DEFAULT_DATABASE)):
        return Clamscan(program, database, timeout)
    return None


def in_use() -> bool:
    """Whether uploads are virus scanned now: the staff pages that list evidence say
    plainly when they are not."""
    return scanner() is not None


def scan(data: bytes) -> None:
    """Refuse ``data`` if the scanner finds a virus or cannot answer; with no scanner,
    refuse only when the settings require one."""
    found = scanner()
    if found is None:
        if current_app.config.get("VIRUS_SCAN") == "required":
            raise VirusScanFailed("VIRUS_SCAN is 'required' but no ClamAV scanner is available")
        return
    signature = found.scan(data)
    if signature is not None:
        current_app.logger.warning("upload refused: ClamAV found %s", signature)
        raise VirusFound(signature)
