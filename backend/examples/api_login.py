"""Log in to the auth server from a terminal with the JSON login API, asking for the code when needed.

    python -m backend.examples.api_login --server http://localhost:8080 --application web

It sends the email and password to POST /api/login; on 242 it asks for the code (from the
authenticator app, or the email/SMS the server just sent) and completes with POST /api/two-factor/login.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

import requests

TWO_FACTOR_REQUIRED = 242
INVALID_CODE = 421
CODE_TRIES = 5
METHOD_HINTS = {
    "authenticator": "Code from your authenticator app: ",
    "email": "Code from the email we just sent: ",
    "sms": "Code from the text message we just sent: ",
}


class LoginFailed(Exception):
    """The server refused the login; the message says why, in words for the terminal."""


def _message(response: requests.Response) -> str:
    try:
        return response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}"


def _ask_code(started: dict[str, Any]) -> str:
    methods = started.get("methods") or [{}]
    prompt = METHOD_HINTS.get(methods[0].get("method"), "Code: ")
    if started.get("codeSent") is False:
        print("The server could not send the code; ask for help or try again later.")
    return input(prompt).strip()


def log_in(server: str, application: str, email: str, password: str, timeout: float = 10) -> dict[str, Any]:
    """Tokens and user (the 200 body of the API); raises LoginFailed with the server's reason."""
    http = requests.Session()
    credentials = {"loginId": email, "password": password, "applicationId": application}
    response = http.post(f"{server}/api/login", json=credentials, timeout=timeout)
    if response.status_code == 200:
        return response.json()
    if response.status_code != TWO_FACTOR_REQUIRED:
        raise LoginFailed(_message(response))
    started = response.json()
    for _ in range(CODE_TRIES):
        body = {
            "twoFactorId": started["twoFactorId"],
            "code": _ask_code(started),
            "applicationId": application,
        }
        response = http.post(f"{server}/api/two-factor/login", json=body, timeout=timeout)
        if response.status_code == 200:
            return response.json()
        if response.status_code != INVALID_CODE:
            raise LoginFailed(_message(response))
        print("That code is not valid. Try again.")
    raise LoginFailed("Too many wrong codes. Log in again.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://localhost:8080", help="the auth server's base URL")
    parser.add_argument("--application", default="web", help="the Client id to log in to")
    parser.add_argument("--email", help="asked for when not given")
    parser.add_argument("--print-token", action="store_true", help="print the access token (for curl)")
    args = parser.parse_args(argv)

    email = args.email or input("Email: ").strip()
    password = getpass.getpass("Password: ")
    try:
        result = log_in(args.server.rstrip("/"), args.application, email, password)
    except LoginFailed as error:
        print(f"Login failed: {error}", file=sys.stderr)
        return 1
    except requests.RequestException as error:
        print(f"Cannot reach {args.server}: {type(error).__name__}", file=sys.stderr)
        return 2
    state = "on" if result["user"]["twoFactor"]["enabled"] else "off"
    print(f"Signed in as {result['user']['email']} (two-factor {state}).")
    if args.print_token:
        print(result["token"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
