"""A private, throwaway PostgreSQL 15 cluster for the test run (TOOLCHAIN.md §7).

Started in a temporary folder on a free port, with fsync off for speed, and stopped and
deleted at the end. ``initdb`` refuses to run as root, so as root it runs as ``postgres``.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class PostgresUnavailable(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateCluster:
    def __init__(self):
        if not (PG_BIN / "initdb").exists():
            raise PostgresUnavailable(
                f"PostgreSQL binaries not found in {PG_BIN} (install postgresql-15, "
                "as `make test` does)"
            )
        self.root = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0
        self.running = False

    def _run(self, *args: str) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> "PrivateCluster":
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o700)
        self._run(
            "initdb",
            "-D",
            str(self.root / "data"),
            "-U",
            "portal",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "-N",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.root / "data"),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-o",
            options,
            "start",
        )
        self.running = True
        return self

    def url(self, database: str = "postgres", user: str = "portal") -> str:
        """``portal`` is the cluster's superuser, which owns what migrations create."""
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.running:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)
