"""A ClamAV signature database for the test run: the EICAR test string only.

The real signatures come from ``freshclam``, which needs the internet; this file gives
``clamscan --database`` something to find, so the virus-scanning path is exercised offline
wherever ClamAV is installed (``make system-deps`` installs it).
"""

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from tests.upload_samples import EICAR


@functools.cache
def eicar_database() -> str:
    """The path of a signature folder holding one body signature (``.ndb``: name, any file
    type, any offset, the bytes in hex) that matches the EICAR string anywhere."""
    folder = Path(tempfile.mkdtemp(prefix="portal-clamav-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "portal-test.ndb").write_text(f"Eicar-Test-Signature:0:*:{EICAR.hex()}\n")
    return str(folder)


def clamscan_installed() -> bool:
    return shutil.which("clamscan") is not None
