"""``python -m backend.spa --host 127.0.0.1 --port 3000``: serve the built frontend with granian."""

from backend.serve import serve_main

from . import create_app

if __name__ == "__main__":
    serve_main(create_app, "spa", default_port=3000)
