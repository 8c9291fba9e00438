"""The dev outbox: in demo mode every code the app sends is also kept here and shown at /dev/outbox.

So a person trying the demo in a browser reads the email or text message on a page instead of in the
server log. The page only exists when APP_MODE is "demo"; in production the route is not registered.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, render_template
from sqlalchemy import String, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.wrappers import Response

from .db import db

#: Only the newest messages are kept.
CAPACITY = 100

bp = Blueprint("outbox", __name__, template_folder="templates")


class OutboxMessage(db.Model):
    """A copy of one email or text message the app sent (or printed to the console)."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created: Mapped[float]
    channel: Mapped[str] = mapped_column(String(16))
    to: Mapped[str] = mapped_column(String(320))
    body: Mapped[str] = mapped_column(Text)


def keep(channel: str, to: str, body: str) -> None:
    """Store a copy of a sent message and drop all but the newest CAPACITY."""
    db.session.add(OutboxMessage(created=current_app.config["CLOCK"](), channel=channel, to=to, body=body))
    db.session.flush()
    newest = select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(CAPACITY)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.not_in(newest)))
    db.session.commit()


def _time(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@bp.get("/dev/outbox")
def page() -> Response:
    """Every message the demo sent, newest first (demo mode only)."""
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).all()
    messages = [
        {"channel": row.channel, "to": row.to, "time": _time(row.created), "body": row.body} for row in rows
    ]
    response = current_app.make_response(render_template("outbox.html", messages=messages, capacity=CAPACITY))
    response.headers["Cache-Control"] = "no-store"
    return response
