"""``python -m backend.app --host 127.0.0.1 --port 8081``: serve the backend app with granian."""

from backend.serve import serve_main

from . import create_app

if __name__ == "__main__":
    serve_main(create_app, "app", default_port=8081)
