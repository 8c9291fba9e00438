"""``--workers N``: N processes serve one port, and stopping the server stops them all."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from backend.launcher import REPO, free_port, wait_for_port
from backend.serve import WORKERS_KILL_TIMEOUT


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _wait_for_children(pid: int, count: int, timeout: float = 30.0) -> list[int]:
    """The port opens before the workers are forked: on a loaded machine they come a moment later."""
    deadline = time.monotonic() + timeout
    while len(children := _children(pid)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return children


def _start(databases, tmp_path) -> tuple[subprocess.Popen, int, list[int]]:
    """The auth server with two workers on a free port: the server, the port and the workers' pids."""
    port = free_port()
    environ = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "AUTH_DATABASE_URL": databases.url("workers"),
        "AUTH_SECRET_KEY": "workers-key",
        "AUTH_ENCRYPTION_KEY": "workers-encryption-key-0123456789",
        "ADMIN_CLIENT_SECRET": "workers-admin",
        "DATA_DIR": str(tmp_path),
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "backend.authserver", "--port", str(port), "--workers", "2"],
        cwd=REPO,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port("127.0.0.1", port, server)
        workers = _wait_for_children(server.pid, 2)
        assert len(workers) == 2
    except BaseException:
        server.kill()
        raise
    return server, port, workers


def test_workers_share_the_port_and_stop_together(databases, tmp_path):
    server, port, workers = _start(databases, tmp_path)
    try:
        for _ in range(6):  # fresh connections: the kernel hands them to either worker
            answer = requests.get(
                f"http://127.0.0.1:{port}/AuthConfig/app", auth=("admin", "workers-admin"), timeout=10
            )
            assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=WORKERS_KILL_TIMEOUT + 10) == 0
    assert not any(Path(f"/proc/{worker}").exists() for worker in workers)


def test_a_worker_that_does_not_stop_is_killed(databases, tmp_path):
    """As a worker that missed the signal while it was starting: the server still stops, with it."""
    server, _, workers = _start(databases, tmp_path)
    os.kill(workers[0], signal.SIGSTOP)  # a stopped process acts on no signal but SIGKILL
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=WORKERS_KILL_TIMEOUT + 10)
    finally:
        server.kill()
        with contextlib.suppress(ProcessLookupError):
            os.kill(workers[0], signal.SIGKILL)
    assert not any(Path(f"/proc/{worker}").exists() for worker in workers)
