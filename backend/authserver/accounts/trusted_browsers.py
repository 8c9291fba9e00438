"""Trusted browsers: "Don't ask again on this browser" skips the second factor after the password.

The browser keeps a random token in an HttpOnly, SameSite=Lax cookie of the auth server; the database
keeps only its SHA-256 (as for OAuth tokens, see oauth/token_hash.py: 256 random bits leave nothing to
guess from a hash, and the lookup by hash never compares the token itself). The token is checked only
after the password is right, and only for the user who gave it, so the cookie alone signs no one in, and
another user on the same browser is still asked for a code.

Trust ends ``AuthConfig.twoFactor.trustBrowserDays`` after it was given (30 by default; 0 turns the
checkbox off), or sooner through ``end_trust``: two-factor turned off, a recovery code used, a password
change, an admin reset, or the user signing out of all trusted browsers.
"""

from __future__ import annotations

import re
import secrets

from flask import Response, current_app, request
from sqlalchemy import delete, select

from .. import audit, store
from ..extensions import db
from ..models import TrustedBrowser, User, now
from ..oauth.token_hash import token_hash

COOKIE = "authserver_trusted_browser"
DEFAULT_DAYS = 30
_DAY_SECONDS = 24 * 60 * 60

# Checked in order: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"))
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def trust_days() -> int:
    """How long a browser stays trusted; 0: the checkbox is not offered."""
    settings = store.auth_config().get("twoFactor") or {}
    days = settings.get("trustBrowserDays")
    return DEFAULT_DAYS if days is None else days


def label(user_agent: str) -> str:
    """A name a person recognises in a list ("Chrome on Linux"), not the whole User-Agent."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    if browser is None and re.search(r"Version/[0-9.]+ .*Safari/", user_agent):
        browser = "Safari"
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    return f"{browser or 'A browser'} on {system or 'an unknown system'}"


def trust(response: Response, user: User) -> None:
    """Remember this browser for ``user``: a new token in the cookie, its hash in the database."""
    days = trust_days()
    if days <= 0:
        return
    token = secrets.token_urlsafe(32)
    stamp = now()
    db.session.add(
        TrustedBrowser(
            user_id=user.id,
            token_hash=token_hash(token),
            label=label(request.headers.get("User-Agent", "")),
            created_at=stamp,
            last_used_at=stamp,
            expires_at=stamp + days * _DAY_SECONDS,
        )
    )
    audit.record(audit.BROWSER_TRUSTED, user.id)  # commits the row with the event
    response.set_cookie(
        COOKIE,
        token,
        max_age=days * _DAY_SECONDS,
        path="/",
        secure=current_app.config["AUTH_SERVER_URL"].startswith("https://"),
        httponly=True,
        samesite="Lax",
    )


def is_trusted(user: User) -> bool:
    """Whether this browser's cookie names a live trust of ``user`` (who has just given the password);
    a use is noted on the row and in the audit log."""
    token = request.cookies.get(COOKIE)
    if not token:
        return False
    browser = db.session.scalar(
        select(TrustedBrowser).where(
            TrustedBrowser.token_hash == token_hash(token), TrustedBrowser.user_id == user.id
        )
    )
    if browser is None:
        return False
    if now() >= browser.expires_at:
        db.session.delete(browser)
        db.session.commit()
        return False
    browser.last_used_at = now()
    audit.record(audit.TRUSTED_BROWSER_USED, user.id)
    return True


def end_trust(user_id: str) -> None:
    """Every browser ``user_id`` trusted asks for the second factor again (committed)."""
    ended = db.session.execute(delete(TrustedBrowser).where(TrustedBrowser.user_id == user_id)).rowcount
    if ended:
        audit.record(audit.TRUSTED_BROWSERS_REVOKED, user_id)
    else:
        db.session.commit()


def live_browsers(user_id: str) -> list[TrustedBrowser]:
    """The browsers ``user_id`` trusts now, most recently used first."""
    query = (
        select(TrustedBrowser)
        .where(TrustedBrowser.user_id == user_id, TrustedBrowser.expires_at > now())
        .order_by(TrustedBrowser.last_used_at.desc(), TrustedBrowser.id.desc())
    )
    return list(db.session.scalars(query))


def revoke(user_id: str, browser_id: int) -> bool:
    """One of ``user_id``'s browsers asks for the second factor again; False when it is not theirs."""
    query = delete(TrustedBrowser).where(TrustedBrowser.id == browser_id, TrustedBrowser.user_id == user_id)
    if db.session.execute(query).rowcount != 1:
        db.session.rollback()
        return False
    audit.record(audit.TRUSTED_BROWSERS_REVOKED, user_id)
    return True
