"""Real local servers for tests: a WSGI app on a free port, a recording HTTP endpoint, an SMTP sink."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

#: argon2id at the lowest cost it allows, so that a suite that hashes hundreds of passwords stays fast
#: (the default's cost is tested in test_passwords.py).
CHEAP_PASSWORD_HASH = {
    "AUTH_PASSWORD_HASH_TIME_COST": 1,
    "AUTH_PASSWORD_HASH_MEMORY_KIB": 8,
    "AUTH_PASSWORD_HASH_PARALLELISM": 1,
}

#: How often a test server checks whether it was asked to stop: ``shutdown()`` waits up to this long,
#: and socketserver's default (half a second) would add that to every test that starts one.
SHUTDOWN_POLL = 0.05


class FakeClock:
    """A clock tests move by hand; pass it as the app's CLOCK."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class ServedApp:
    """A WSGI app served by werkzeug on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, wsgi_app) -> None:
        self._server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": SHUTDOWN_POLL}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class HttpRecorder:
    """An HTTP server that records every request and answers with ``status``/``body``.

    ``delay`` seconds of wait before answering lets a test play a slow webhook receiver.
    """

    status: int = 200
    body: bytes = b"{}"
    delay: float = 0.0
    requests: list[RecordedRequest] = field(default_factory=list)

    def start(self) -> HttpRecorder:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                recorder.requests.append(
                    RecordedRequest(self.command, self.path, dict(self.headers), self.rfile.read(length))
                )
                if recorder.delay:
                    time.sleep(recorder.delay)
                try:
                    self.send_response(recorder.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(recorder.body)))
                    self.end_headers()
                    self.wfile.write(recorder.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = _answer

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": SHUTDOWN_POLL}, daemon=True
        ).start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Collect:
    def __init__(self, messages: list[Message]) -> None:
        self.messages = messages

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a free port that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.host = "127.0.0.1"
        # aiosmtpd's start-up check connects to the port it was given, so port 0 cannot be used.
        with socket.socket() as probe:
            probe.bind((self.host, 0))
            self.port = probe.getsockname()[1]
        self._controller = Controller(_Collect(self.messages), hostname=self.host, port=self.port)
        self._controller.start()

    def close(self) -> None:
        self._controller.stop()

    def bodies(self) -> list[str]:
        texts = []
        for message in self.messages:
            part = message.get_body(("plain",)) if hasattr(message, "get_body") else None
            payload = (part or message).get_payload(decode=True) or b""
            texts.append(payload.decode("utf-8", "replace"))
        return texts
