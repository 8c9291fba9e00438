"""Every process is served the same way: waitress on --host/--port."""

from backend import serve


def test_serve_main_parses_host_and_port(monkeypatch):
    served = {}
    monkeypatch.setattr(serve, "serve", lambda app, **kw: served.update(app=app, **kw))
    serve.serve_main(lambda: "the app", "app", 8081, ["--host", "0.0.0.0", "--port", "9999"])
    assert served["app"] == "the app"
    assert (served["host"], served["port"]) == ("0.0.0.0", 9999)


def test_serve_main_defaults(monkeypatch):
    served = {}
    monkeypatch.setattr(serve, "serve", lambda app, **kw: served.update(**kw))
    serve.serve_main(lambda: "the app", "authserver", 8080, [])
    assert (served["host"], served["port"]) == ("127.0.0.1", 8080)
