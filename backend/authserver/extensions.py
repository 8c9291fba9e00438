"""Extension objects, created here and bound to the app in ``create_app`` with ``init_app``."""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class OrderedAuthorizationServer(AuthorizationServer):
    """Puts ``access_token`` first, so the implicit redirect reads ``#access_token=..&token_type=..``."""

    def generate_token(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        token = super().generate_token(*args, **kwargs)
        return {"access_token": token.pop("access_token"), **token}


db = SQLAlchemy(model_class=Base)
authorization = OrderedAuthorizationServer()
require_oauth = ResourceProtector()
