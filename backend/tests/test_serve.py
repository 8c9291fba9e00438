"""Every process is served the same way: granian on --host/--port, --workers processes of --threads."""

from backend import serve


class _Server:
    def __init__(self, served: dict) -> None:
        self.served = served

    def serve(self) -> None:
        self.served["serving"] = True


def _serve_main(monkeypatch, argv: list[str]) -> dict:
    served: dict = {}
    built: list[str] = []

    def server(create_app, host, port, workers, threads):
        served.update(create_app=create_app, host=host, port=port, workers=workers, threads=threads)
        return _Server(served)

    monkeypatch.setattr(serve, "server", server)

    def create_app():
        built.append("app")
        return serve.Flask("the-app")

    serve.serve_main(create_app, "app", 8081, argv)
    served["built"] = built
    return served


def test_serve_main_parses_host_port_workers_and_threads(monkeypatch):
    served = _serve_main(
        monkeypatch, ["--host", "0.0.0.0", "--port", "9999", "--workers", "3", "--threads", "2"]
    )
    assert (served["host"], served["port"], served["workers"], served["threads"]) == ("0.0.0.0", 9999, 3, 2)
    assert served["serving"]


def test_serve_main_defaults_and_builds_the_app_once_before_the_workers(monkeypatch):
    served = _serve_main(monkeypatch, [])
    assert (served["host"], served["port"], served["workers"], served["threads"]) == ("127.0.0.1", 8081, 1, 4)
    # Tables are created by this one build, not by the workers at the same moment.
    assert served["built"] == ["app"]


def test_granian_gets_an_importable_factory():
    from backend.authserver import create_app

    granian = serve.server(create_app, "127.0.0.1", 8080, 2, 1)
    assert granian.target == "backend.authserver:create_app"
    assert granian.factory and granian.workers == 2 and granian.blocking_threads == 1
