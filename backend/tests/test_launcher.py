"""The launcher's local secrets survive restarts and are readable by the owner only; a server it
started does not outlive it."""

import os
import stat
import subprocess
import sys

import pytest

from backend.launcher import REPO, SECRET_NAMES, Stack, local_secrets
from backend.stop_with_launcher import LAUNCHER_PID


def test_secrets_generated_once_and_kept(tmp_path):
    first = local_secrets(tmp_path)
    assert set(first) == set(SECRET_NAMES) and all(len(v) >= 32 for v in first.values())
    assert local_secrets(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600


def test_environment_overrides_generated_secrets(tmp_path):
    stack = Stack.configure({"DATA_DIR": str(tmp_path), "APP_CLIENT_SECRET": "mine"}, APP_URL="http://x:1")
    assert stack.environ["APP_CLIENT_SECRET"] == "mine"
    assert stack.environ["APP_URL"] == "http://x:1"
    assert stack.environ["ADMIN_CLIENT_SECRET"] == local_secrets(tmp_path)["ADMIN_CLIENT_SECRET"]


@pytest.mark.parametrize(("name", "default"), [("WORKERS", 1), ("THREADS", 4)])
def test_workers_and_threads_per_server_come_from_the_environment(tmp_path, name, default):
    attribute = name.lower()
    assert getattr(Stack.configure({"DATA_DIR": str(tmp_path)}), attribute) == default
    assert getattr(Stack.configure({"DATA_DIR": str(tmp_path), name: "3"}), attribute) == 3
    for wrong in ("0", "two", "-1"):
        with pytest.raises(RuntimeError, match=name):
            Stack.configure({"DATA_DIR": str(tmp_path), name: wrong})


SERVER = "from backend.stop_with_launcher import stop_with_launcher; stop_with_launcher(); print('serving')"


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_a_server_whose_launcher_is_already_gone_does_not_start():
    """The launcher died between starting the server and the server asking to stop with it."""
    gone = subprocess.run(
        [sys.executable, "-c", SERVER],
        cwd=REPO,
        env={**os.environ, LAUNCHER_PID: str(os.getpid() + 999_999)},
        capture_output=True,
        text=True,
    )
    assert gone.returncode != 0 and "serving" not in gone.stdout
    assert "the launcher that started this server is gone" in gone.stderr

    alive = subprocess.run(
        [sys.executable, "-c", SERVER],
        cwd=REPO,
        env={**os.environ, LAUNCHER_PID: str(os.getpid())},
        capture_output=True,
        text=True,
    )
    assert alive.returncode == 0 and alive.stdout == "serving\n"
