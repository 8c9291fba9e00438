"""Start the whole demo: auth server, manifest, backend app and frontend, and stop them together.

``python -m backend.launcher`` is what ``make start`` runs; the e2e suite uses :class:`Stack` to run
the same three processes on free ports.

However the demo is stopped, no server outlives it: Ctrl-C, SIGTERM (make passes it on) or a closed
terminal make the launcher stop every server and wait for it; the launcher also stops when make is
killed outright, and on Linux each server stops by itself when the launcher is killed outright.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import manifest
from backend.serve import DEFAULT_THREADS
from backend.stop_with_launcher import LAUNCHER_PID

REPO = Path(__file__).resolve().parents[1]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
SECRET_NAMES = (
    "ADMIN_CLIENT_SECRET",
    "APP_CLIENT_SECRET",
    "WEBHOOK_CLIENT_SECRET",
    "AUTH_SECRET_KEY",
    "APP_SECRET_KEY",
    "AUTH_ENCRYPTION_KEY",
)


def local_secrets(data_dir: Path) -> dict[str, str]:
    """The demo's secrets, generated once and kept in DATA_DIR/secrets.json (owner-only)."""
    path = data_dir / "secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    missing = [name for name in SECRET_NAMES if name not in stored]
    if missing:
        stored.update({name: secrets.token_urlsafe(32) for name in missing})
        data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(json.dumps(stored, indent=2))
    return stored


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(host: str, port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listened on {host}:{port} within {timeout:.0f} s")


def _count(environ: Mapping[str, str], name: str, default: int) -> int:
    """``environ[name]`` as a positive whole number; ``default`` when unset."""
    value = environ.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise RuntimeError(f"{name} must be a positive whole number (got {value!r}).")
    return int(value)


@dataclass
class Stack:
    """The three processes of the demo, with one environment they all share."""

    environ: dict[str, str]
    host: str = "127.0.0.1"
    log: IO[str] | None = None
    #: Processes per server (``--workers``): WORKERS in the environment; the benchmark runs more than one.
    workers: int = 1
    #: Python threads per worker (``--threads``): THREADS in the environment.
    threads: int = DEFAULT_THREADS
    processes: list[subprocess.Popen] = field(default_factory=list)

    @classmethod
    def configure(cls, base: Mapping[str, str], **overrides: str) -> Stack:
        """Defaults, then ``base`` (the environment), then ``overrides``; secrets from DATA_DIR."""
        environ = {
            "DATA_DIR": str(REPO / "data"),
            "AUTH_SERVER_URL": "http://localhost:8080",
            "APP_URL": "http://localhost:8081",
            "FRONTEND_URL": "http://localhost:3000",
            **base,
            **overrides,
        }
        for name, value in local_secrets(Path(environ["DATA_DIR"])).items():
            environ.setdefault(name, value)
        environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), environ.get("PYTHONPATH")]))
        environ["PYTHONUNBUFFERED"] = "1"
        return cls(
            environ=environ,
            host=environ.get("BIND_HOST", "127.0.0.1"),
            workers=_count(environ, "WORKERS", 1),
            threads=_count(environ, "THREADS", DEFAULT_THREADS),
        )

    def url(self, name: str) -> str:
        return self.environ[name]

    def _port(self, name: str) -> int:
        return int(self.environ[name].rsplit(":", 1)[1].split("/")[0])

    def _spawn(self, module: str, url_name: str) -> None:
        """Start a server in a process group of its own (it and its granian workers stop together).

        It stops by itself when the thread that started it ends (``backend.stop_with_launcher``):
        start a stack from the main thread, or from a thread that outlives it.
        """
        port = self._port(url_name)
        command = [sys.executable, "-m", module, "--host", self.host, "--port", str(port)]
        command += ["--workers", str(self.workers), "--threads", str(self.threads)]
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module names
            command,
            cwd=REPO,
            env={**self.environ, LAUNCHER_PID: str(os.getpid())},
            stdout=self.log,
            stderr=subprocess.STDOUT if self.log else None,
            start_new_session=True,
        )
        self.processes.append(process)
        wait_for_port(self.host, port, process)

    def start(self, frontend: bool = True) -> None:
        """Auth server, then the manifest, then the backend app and (unless told not to) the frontend."""
        try:
            self._spawn("backend.authserver", "AUTH_SERVER_URL")
            settings = manifest.settings_from(self.environ)
            manifest.apply(manifest.resources(settings), settings)
            self._spawn("backend.app", "APP_URL")
            if frontend:
                self._spawn("backend.spa", "FRONTEND_URL")
        except BaseException:
            self.stop()
            raise

    def stop(self, grace: float = 10.0) -> None:
        """Stop every server with its granian workers: SIGTERM to each process group, SIGKILL to the
        groups left after ``grace`` seconds; return only when no process of them is left."""
        for process in reversed(self.processes):
            _signal_group(process, signal.SIGTERM)
        if not self._groups_gone(time.monotonic() + grace):
            for process in self.processes:
                _signal_group(process, signal.SIGKILL)
            self._groups_gone(deadline=math.inf)
        self.processes.clear()

    def _groups_gone(self, deadline: float) -> bool:
        """Poll until every process group is empty (True) or until ``deadline`` (False)."""
        while True:
            for process in self.processes:
                process.poll()  # reaps the group's leader once it has exited
            if not any(_group_running(process) for process in self.processes):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def wait(self, parent: int | None = None) -> int | None:
        """Block until a server exits (its exit code) or, given ``parent``, until that process is no
        longer our parent (None)."""
        while parent is None or os.getppid() == parent:
            for process in self.processes:
                if process.poll() is not None:
                    return process.returncode
            time.sleep(0.5)
        return None


def _signal_group(leader: subprocess.Popen, signum: int) -> None:
    """``signum`` to the process group ``leader`` started, if any process of it is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(leader.pid, signum)


def _group_running(leader: subprocess.Popen) -> bool:
    """Whether the group ``leader`` started still has a process (the leader counts until reaped)."""
    try:
        os.killpg(leader.pid, 0)
    except ProcessLookupError:
        return False
    return True


def outbox_line(stack: Stack) -> str:
    """Where a person reads the codes the demo sends (demo mode only)."""
    if stack.environ.get("APP_MODE", "").strip().lower() != "demo":
        return ""
    return f"  Emails and text messages with codes: {stack.url('APP_URL')}/dev/outbox\n"


def stop_on_signals() -> None:
    """Ctrl-C (SIGINT), SIGTERM (make passes it on) or a closed terminal (SIGHUP) end ``main``, which
    stops the servers. Explicit handlers, because a shell that starts us in the background leaves
    SIGINT ignored."""

    def stop(signum: int, frame: object) -> None:
        ignore_stop_signals()
        sys.exit(0)

    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)


def ignore_stop_signals() -> None:
    """From now on no signal ends the launcher before its servers: a second Ctrl-C, or SIGTERM sent
    again while they stop, would otherwise leave them stopping with nobody waiting for them."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def run(stack: Stack, make: int) -> int:
    """Start the demo and serve until a server exits (its exit code) or ``make`` is gone (0)."""
    try:
        stack.start()
    except (RuntimeError, manifest.ApplyError) as error:
        print(f"start: {error}", file=sys.stderr)
        return 1
    print(
        f"\n  Two-factor demo is running.\n"
        f"  Open {stack.url('FRONTEND_URL')} in a browser.\n"
        f"  Auth server {stack.url('AUTH_SERVER_URL')}, backend app {stack.url('APP_URL')}.\n"
        f"{outbox_line(stack)}"
        f"  Data in {stack.environ['DATA_DIR']}. Press Ctrl-C to stop.\n",
        flush=True,
    )
    code = stack.wait(parent=make)
    if code is None:
        print("start: the command that started the demo is gone; stopping.", file=sys.stderr)
        return 0
    print(f"start: a process exited with code {code}; stopping the others.", file=sys.stderr)
    return code or 1


def main() -> int:
    # `make start` is the demo: the backend app keeps what it sends in the dev outbox.
    stack = Stack.configure({"APP_MODE": "demo", **os.environ})
    # make passes SIGTERM and Ctrl-C on to us, but nothing tells us when make is killed outright.
    make = os.getppid()
    stop_on_signals()
    try:
        return run(stack, make)
    finally:
        ignore_stop_signals()
        stack.stop()
        print("start: stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
