"""``python -m backend.authserver --host 127.0.0.1 --port 8080``: serve the auth server with granian."""

from backend.serve import serve_main

from . import create_app

if __name__ == "__main__":
    serve_main(create_app, "authserver", default_port=8080)
