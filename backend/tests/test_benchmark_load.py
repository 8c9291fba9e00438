"""The benchmark's burst client: browser-shaped form POSTs, sent at once, each answer timed."""

from __future__ import annotations

from flask import Flask, request

from backend.benchmarks.load import raw_post, simultaneous
from backend.tests.support import ServedApp


def test_simultaneous_posts_reach_the_server_as_forms_and_report_each_status() -> None:
    app = Flask(__name__)

    @app.post("/auth/two-factor")
    def step():
        good = request.form.get("token") == "123456" and request.cookies.get("session") == "abc"
        return ("", 302, {"Location": "/next"}) if good else ("wrong", 401)

    served = ServedApp(app)
    try:
        url = f"{served.url}/auth/two-factor?client_id=web&state=a%20b"
        prepared = [
            raw_post(url, {"csrf_token": "t", "token": "123456"}, {"session": "abc"}),
            raw_post(url, {"csrf_token": "t", "token": "000000"}, {"session": "abc"}),
            raw_post(url, {"csrf_token": "t", "token": "123456"}, {"session": "other"}),
        ]
        results = simultaneous(prepared)
    finally:
        served.close()
    assert [status for _, status in results] == [302, 401, 401]
    assert all(0 < latency < 30 for latency, _ in results)
