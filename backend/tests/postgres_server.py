"""A throwaway local PostgreSQL server (Debian's postgresql package) in a temporary directory.

initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` system user the
package creates. For tests durability is switched off: the data is thrown away with the directory.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_bin_dir() -> Path | None:
    """The directory with initdb and pg_ctl (on PATH, or Debian's /usr/lib/postgresql/<v>/bin)."""
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """``with PostgresServer() as server: server.url`` — a superuser URL on 127.0.0.1 and a free port."""

    def __init__(self, bin_dir: Path | None = None, durable: bool = False) -> None:
        self.durable = durable
        found = bin_dir or find_bin_dir()
        if found is None:
            raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql).")
        self.bin_dir = found
        self.port = _free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="pg-test-"))
        self.data = self.directory / "data"
        self.user = "postgres" if os.geteuid() == 0 else None
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, timeout=120)  # noqa: S603

    def start(self) -> PostgresServer:
        if self.user:
            shutil.chown(self.directory, self.user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.directory}"
            " -c max_connections=300"
        )
        if not self.durable:  # tests throw the data away; a benchmark keeps PostgreSQL's defaults
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        log = self.directory / "server.log"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
        return self

    def pid(self) -> int:
        """The postmaster's process id (its children are the connections' backends)."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
