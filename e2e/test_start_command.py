"""The start command: serves the demo (with its dev outbox), stops every process on Ctrl-C, keeps data."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import requests

from backend.launcher import REPO, free_port


def _start(environ: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """The running start command and what it printed up to "Press Ctrl-C to stop."."""
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.launcher"],
        cwd=REPO,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed = []
    for line in process.stdout:
        printed.append(line)
        if "Press Ctrl-C to stop." in line:
            return process, "".join(printed)
    raise AssertionError(f"the start command exited with {process.wait()} before it was running")


def _stop_with_ctrl_c(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)


def _listening_processes(ports: list[int]) -> list[str]:
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    return [line for line in listing.splitlines() if any(f"--port {port}" in line for port in ports)]


def test_ctrl_c_leaves_nothing_behind_and_data_survives_a_restart(tmp_path: Path):
    ports = [free_port() for _ in range(3)]
    environ = {
        **{k: v for k, v in os.environ.items() if not k.endswith("_URL") and k != "APP_MODE"},
        "DATA_DIR": str(tmp_path),
        "AUTH_SERVER_URL": f"http://127.0.0.1:{ports[0]}",
        "APP_URL": f"http://127.0.0.1:{ports[1]}",
        "FRONTEND_URL": f"http://127.0.0.1:{ports[2]}",
    }
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
