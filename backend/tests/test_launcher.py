"""The launcher's local secrets survive restarts and are readable by the owner only."""

import stat

from backend.launcher import SECRET_NAMES, Stack, local_secrets


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
