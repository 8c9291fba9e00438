import pytest

from .support import FakeClock, HttpRecorder, SmtpSink


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


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
