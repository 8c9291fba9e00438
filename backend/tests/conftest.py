from types import SimpleNamespace

import limits.storage.memory
import pytest

from .databases import Databases, PostgresSchemas, postgres_base
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


@pytest.fixture(scope="session")
def postgres_schemas():
    """The run's schemas under TEST_DATABASE_URL (None: SQLite)."""
    base = postgres_base()
    if base is None:
        yield None
        return
    schemas = PostgresSchemas(base)
    yield schemas
    schemas.close()


@pytest.fixture
def databases(tmp_path, postgres_schemas):
    """``databases.url(name)``, ``databases.reused_url(server)``: SQLite files, or PostgreSQL schemas
    under TEST_DATABASE_URL (see databases.py)."""
    made = Databases(tmp_path, postgres_schemas)
    yield made
    made.release_all()
