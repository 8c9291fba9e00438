from types import SimpleNamespace

import limits.storage.memory
import pytest

from .databases import Databases
from .support import FakeClock, HttpRecorder, SmtpSink


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    # The throttle's in-memory storage (limits) reads time.time(): it follows the same fake clock.
    monkeypatch.setattr(limits.storage.memory, "time", SimpleNamespace(time=fake))
    return fake


@pytest.fixture
def http_recorder():
    recorder = HttpRecorder().start()
    yield recorder
    recorder.close()


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    yield sink
    sink.close()


@pytest.fixture
def databases(tmp_path):
    """``databases.url(name)``: a fresh SQLite file, or a fresh PostgreSQL schema under TEST_DATABASE_URL."""
    made = Databases(tmp_path)
    yield made
    made.drop_all()
