"""`make start` runs the demo mode: it prints the dev outbox URL, and that page is served."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import requests

from backend.launcher import REPO, free_port

URL_NAMES = ("AUTH_SERVER_URL", "APP_URL", "FRONTEND_URL")


def test_start_prints_the_outbox_url_and_serves_it(tmp_path: Path):
    environ = {
        **{k: v for k, v in os.environ.items() if not k.endswith("_URL") and k != "APP_MODE"},
        "DATA_DIR": str(tmp_path),
        **{name: f"http://127.0.0.1:{free_port()}" for name in URL_NAMES},
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.launcher"],
        cwd=REPO,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        printed = []
        for line in process.stdout:
            printed.append(line)
            if "Press Ctrl-C to stop." in line:
                break
        outbox_url = f"{environ['APP_URL']}/dev/outbox"
        assert f"Emails and text messages with codes: {outbox_url}" in "".join(printed)
        page = requests.get(outbox_url, timeout=5)
        assert page.status_code == 200 and "Dev outbox" in page.text
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
