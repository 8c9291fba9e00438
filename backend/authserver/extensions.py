"""Extension objects, created here and bound to the app in ``create_app`` with ``init_app``."""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import OAuth2Request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class OrderedAuthorizationServer(AuthorizationServer):
    """Puts ``access_token`` first, so the implicit redirect reads ``#access_token=..&token_type=..``.

    Also takes an ``OAuth2Request`` the caller built (``flow.authorize_request``: the query string only).
    """

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        return super().create_oauth2_request(request)

    def generate_token(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        token = super().generate_token(*args, **kwargs)
        return {"access_token": token.pop("access_token"), **token}


#: Rows stay loaded after a commit: SQLAlchemy's default re-reads each one with a query of its own, and
#: a request never needs a row another process changed since it read it.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
authorization = OrderedAuthorizationServer()
require_oauth = ResourceProtector()
