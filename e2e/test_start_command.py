"""The start command: serves the demo (with its dev outbox), keeps data, and however it is stopped
(Ctrl-C, SIGTERM to make, a closed terminal, even SIGKILL) leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from backend.launcher import REPO, free_port

LAUNCHER = [sys.executable, "-m", "backend.launcher"]
# make's own signal handling is under test here, not the build: `make test` has already done the
# prerequisites (install, the frontend build), so the tests run only the start recipe.
MAKE_START = ["make", "--assume-old=install", "--assume-old=frontend", "start"]
# The process-tree tests read /proc, and only Linux stops a server whose launcher was killed outright.
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc; PR_SET_PDEATHSIG is Linux's")
START_WITHIN = 120
# Seconds a stop may take on a loaded machine; the tests poll, so they end as soon as it is done.
STOP_WITHIN = 60


def _environ(data_dir: Path, ports: list[int]) -> dict[str, str]:
    """The demo on free ports; no outer make's jobserver flags for the make we start."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith("_URL") and key not in ("APP_MODE", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    return {
        **inherited,
        "DATA_DIR": str(data_dir),
        "AUTH_SERVER_URL": f"http://127.0.0.1:{ports[0]}",
        "APP_URL": f"http://127.0.0.1:{ports[1]}",
        "FRONTEND_URL": f"http://127.0.0.1:{ports[2]}",
    }


def _start(environ: dict[str, str], command: list[str] = LAUNCHER) -> tuple[subprocess.Popen, str]:
    """The running start command and what it printed up to "Press Ctrl-C to stop.".

    It gets a process group of its own, as a terminal gives a command: Ctrl-C is SIGINT to that group.
    Its output goes to a file, not a pipe: a pipe would stay open while any server holds it, and
    waiting for its end would wait for the servers, hiding a command that returned before them.
    """
    log = Path(environ["DATA_DIR"]) / "start.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=REPO, env=environ, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + START_WITHIN
    while "Press Ctrl-C to stop." not in (printed := log.read_text()):
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the start command was not running (exit {process.poll()}):\n{printed}")
        time.sleep(0.1)
    return process, printed


def _stop_with_ctrl_c(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=STOP_WITHIN)


def _listening_processes(ports: list[int]) -> list[str]:
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    return [line for line in listing.splitlines() if any(f"--port {port}" in line for port in ports)]


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat from the state field on (state, ppid, ..., start time at [19]); None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text.rsplit(")", 1)[1].split()


def _process_tree(root: int) -> set[tuple[int, str]]:
    """``root`` and all its descendants, each as (pid, start time) so that a reused pid is not them."""
    children = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            children[int(fields[1])].append((int(entry.name), fields[19]))
    tree, parents = {(root, _stat(root)[19])}, [root]
    while parents:
        for child in children[parents.pop()]:
            tree.add(child)
            parents.append(child[0])
    return tree


def _running(tree: set[tuple[int, str]]) -> list[int]:
    """The processes of ``tree`` still running (a zombie has exited; it only waits to be reaped)."""
    return sorted(
        pid for pid, started in tree if (fields := _stat(pid)) and fields[19] == started and fields[0] != "Z"
    )


def _wait_until_gone(tree: set[tuple[int, str]]) -> list[int]:
    """Poll until no process of ``tree`` runs or STOP_WITHIN passes; those still running."""
    deadline = time.monotonic() + STOP_WITHIN
    while (running := _running(tree)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return running


def _command_line(pid: int) -> bytes:
    """What ``pid`` runs (empty if it has exited since the tree was read)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return b""


def _whole_tree(root: int) -> set[tuple[int, str]]:
    """``root``'s process tree once each of the three servers runs as granian's main process and its
    worker (a server's port answers just before granian forks the worker)."""
    deadline = time.monotonic() + START_WITHIN
    while True:
        tree = _process_tree(root)
        servers = [pid for pid, _ in tree if b"--port" in _command_line(pid)]
        if len(servers) == 6 or time.monotonic() > deadline:
            assert len(servers) == 6, f"expected 3 servers with a worker each: {servers}"
            return tree
        time.sleep(0.1)


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    return _environ(tmp_path, [free_port() for _ in range(3)])


@pytest.fixture
def started() -> Iterator[list[set[tuple[int, str]]]]:
    """Process trees a test started; whatever of them is still running afterwards is killed, so that
    a failing test leaves no server behind on the machine."""
    trees: list[set[tuple[int, str]]] = []
    yield trees
    for tree in trees:
        for pid in _running(tree):
            os.kill(pid, signal.SIGKILL)


def test_ctrl_c_leaves_nothing_behind_and_data_survives_a_restart(tmp_path: Path):
    ports = [free_port() for _ in range(3)]
    environ = _environ(tmp_path, ports)
    auth = environ["AUTH_SERVER_URL"]
    user_id = str(uuid.uuid4())

    process, printed = _start(environ)
    outbox_url = f"{environ['APP_URL']}/dev/outbox"
    assert f"Emails and text messages with codes: {outbox_url}" in printed
    assert "Dev outbox" in requests.get(outbox_url, timeout=5).text
    admin = ("admin", json.loads((tmp_path / "secrets.json").read_text())["ADMIN_CLIENT_SECRET"])
    user = {
        "resourceType": "User",
        "id": user_id,
        "email": f"{user_id}@example.com",
        "password": "a long password",
    }
    assert requests.put(f"{auth}/User/{user_id}", json=user, auth=admin, timeout=5).status_code in (200, 201)
    assert requests.get(environ["FRONTEND_URL"], timeout=5).status_code == 200
    _stop_with_ctrl_c(process)
    assert process.returncode == 0
    assert _listening_processes(ports) == []

    process, _ = _start(environ)
    try:
        stored = requests.get(f"{auth}/User/{user_id}", auth=admin, timeout=5).json()
        assert stored["email"] == f"{user_id}@example.com"
        client = requests.get(f"{auth}/Client/web", auth=admin, timeout=5).json()
        assert client["auth"]["implicit"]["redirect_uri"] == f"{environ['FRONTEND_URL']}/auth"
    finally:
        _stop_with_ctrl_c(process)
    assert _listening_processes(ports) == []


@linux_only
@pytest.mark.parametrize(
    "stop",
    [
        pytest.param(lambda make: os.kill(make.pid, signal.SIGTERM), id="SIGTERM to make"),
        pytest.param(lambda make: os.killpg(make.pid, signal.SIGINT), id="Ctrl-C"),
    ],
)
def test_make_start_returns_only_when_every_process_has_stopped(environ, started, stop):
    make, _ = _start(environ, MAKE_START)
    started.append(tree := _whole_tree(make.pid))

    stop(make)
    make.wait(timeout=STOP_WITHIN)

    assert _running(tree) == []


@linux_only
def test_a_second_signal_does_not_cut_the_stopping_short(environ, started):
    """A closed terminal (SIGHUP), then more signals while the servers stop, as an impatient person
    or a supervisor sends them: the launcher still waits for every server before it exits."""
    launcher, _ = _start(environ)
    started.append(tree := _whole_tree(launcher.pid))

    launcher.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + STOP_WITHIN
    while launcher.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        launcher.send_signal(signal.SIGTERM)

    assert launcher.poll() is not None
    assert _running(tree) == []


@linux_only
def test_the_servers_stop_when_the_launcher_is_killed(environ, started):
    launcher, _ = _start(environ)
    started.append(tree := _whole_tree(launcher.pid))

    launcher.kill()
    launcher.wait()

    assert _wait_until_gone(tree) == []


@linux_only
def test_the_launcher_stops_when_make_is_killed(environ, started):
    make, _ = _start(environ, MAKE_START)
    started.append(tree := _whole_tree(make.pid))

    make.kill()
    make.wait()

    assert _wait_until_gone(tree) == []
