"""Reading and writing resource documents and users (the only module that knows the tables' layout)."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from flask import current_app, g
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from backend.common.errors import ApiError

from . import audit
from .accounts import passwords, trusted_browsers
from .accounts.hash_pool import in_hash_pool
from .api import schemas
from .extensions import db
from .models import AuditEvent, Resource, User, now
from .resource_cache import resource_cache
from .two_factor import lock, policy, recovery_codes, throttle

RESOURCE_TYPES = ("AuthConfig", "Client", "AidboxConfig", "User")


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _documents_read() -> dict[tuple[str, str], dict[str, Any] | None]:
    """This request's resource documents: one page asks for the Client and AuthConfig several times,
    and the ORM's identity map forgets a row as soon as nothing holds it."""
    return g.setdefault("resource_documents", {})


def get_document(resource_type: str, resource_id: str) -> dict[str, Any] | None:
    if resource_type == "User":
        user = db.session.get(User, resource_id)
        return user.document if user else None
    read = _documents_read()
    key = (resource_type, resource_id)
    if key not in read:
        cache, current = resource_cache(), now()
        document = cache.get(key, current)
        if document is None:
            row = db.session.get(Resource, key)
            document = row.document if row else None
            cache.put(key, document, current)
        read[key] = document
    return read[key]


def all_documents(resource_type: str) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Resource).where(Resource.resource_type == resource_type))
    return [row.document for row in rows]


def put_document(
    resource_type: str, resource_id: str, body: dict[str, Any], *, create_only: bool = False
) -> tuple[dict[str, Any], bool]:
    """Validate and store a whole document; returns it and whether it was created. ``create_only``:
    409 already_exists when the id is taken, also by a request that stored it a moment before."""
    document = schemas.validate(resource_type, resource_id, body)
    if resource_type == "User":
        return _put_user(resource_id, document, create_only=create_only)
    row = db.session.get(Resource, (resource_type, resource_id))
    created = row is None
    if created:
        row = Resource(resource_type=resource_type, id=resource_id, document=document)
        db.session.add(row)
    elif create_only:
        raise _already_exists(resource_type, resource_id)
    else:
        row.document = document
    try:
        db.session.commit()
    except IntegrityError:
        # Another request inserted the same id between the look-up above and this commit.
        db.session.rollback()
        raise _already_exists(resource_type, resource_id) from None
    _documents_read()[(resource_type, resource_id)] = document
    resource_cache().put((resource_type, resource_id), document, now())
    return document, created


def create_document(resource_type: str, body: dict[str, Any]) -> dict[str, Any]:
    """Store a new document under its ``id`` (or a generated one); 409 when that id is taken."""
    resource_id = body.get("id") if isinstance(body.get("id"), str) else str(uuid.uuid4())
    schemas.check_id(resource_id)
    if get_document(resource_type, resource_id) is not None:
        raise _already_exists(resource_type, resource_id)
    document, _ = put_document(resource_type, resource_id, body, create_only=True)
    return document


def _already_exists(resource_type: str, resource_id: str) -> ApiError:
    return ApiError(409, "already_exists", f"There is already a {resource_type} '{resource_id}'.", field="id")


def delete_document(resource_type: str, resource_id: str) -> dict[str, Any] | None:
    """Remove a document and return it (None when there was none); a User takes all it owns with it."""
    if resource_type == "User":
        return _delete_user(resource_id)
    row = db.session.get(Resource, (resource_type, resource_id))
    if row is None:
        return None
    document = row.document
    db.session.delete(row)
    db.session.commit()
    _documents_read()[(resource_type, resource_id)] = None
    resource_cache().put((resource_type, resource_id), None, now())
    return document


def _tables_of_users() -> list[Any]:
    """Every table with a ``user_id`` column (sessions, tokens, codes, locks...), dependents first; not
    the audit log, which is the record of what happened."""
    tables = reversed(db.metadata.sorted_tables)
    return [table for table in tables if "user_id" in table.c and table is not AuditEvent.__table__]


def _delete_user(user_id: str) -> dict[str, Any] | None:
    user = db.session.get(User, user_id)
    if user is None:
        return None
    document = user.document
    # Every table, not a list of them: a table added later cannot keep a deleted user's credentials.
    for table in _tables_of_users():
        db.session.execute(delete(table).where(table.c.user_id == user_id))
    for kind in (throttle.CODE, throttle.CODE_DAY, throttle.RECOVERY):
        throttle.throttle().clear(kind, user_id)
    db.session.delete(user)
    audit.record(audit.USER_DELETED, user_id)  # commits the deletion with its record
    return document


def patch_user(user_id: str, patch: dict[str, Any]) -> dict[str, Any]:
    user = db.session.get(User, user_id)
    if user is None:
        raise ApiError(404, "not_found", f"There is no User '{user_id}'.")
    merged = merge_patch(user.document, patch)
    if "password" in patch and patch["password"] is None:
        raise ApiError(422, "invalid_field", "'password' cannot be removed.", field="password")
    document, _ = _put_user(user_id, schemas.validate("User", user_id, merged))
    return document


def _put_user(
    user_id: str, document: dict[str, Any], *, create_only: bool = False
) -> tuple[dict[str, Any], bool]:
    password = document.pop("password", None)
    taken = db.session.scalar(select(User).where(User.email == document["email"], User.id != user_id))
    if taken is not None:
        raise _email_taken()
    user = db.session.get(User, user_id)
    created = user is None
    was_enabled = False if created else user.two_factor_enabled
    if created:
        user = User(id=user_id, email=document["email"], document=document, created_at=now())
        db.session.add(user)
    elif create_only:
        raise _already_exists("User", user_id)
    else:
        if user.two_factor.get("secretKey") != (document.get("twoFactor") or {}).get("secretKey"):
            user.last_totp_step = None  # a new secret starts a new replay history
            recovery_codes.delete_all(user_id)  # and needs new recovery codes
        user.email, user.document = document["email"], document
    if user.two_factor_enabled:
        user.had_second_factor = True
    if password is not None:
        user.password_hash = hash_password(password)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request took the id or the email between the checks above and this commit (a
        # double-clicked form, two identical creates).
        db.session.rollback()
        if created and db.session.get(User, user_id) is not None:
            raise _already_exists("User", user_id) from None
        raise _email_taken() from None
    _audit_two_factor_change(user, was_enabled)
    return document, created


def _email_taken() -> ApiError:
    return ApiError(409, "email_taken", "Another user already has this email.", field="email")


def _audit_two_factor_change(user: User, was_enabled: bool) -> None:
    if user.two_factor_enabled and not was_enabled:
        audit.record(audit.TWO_FACTOR_ENABLED, user.id)
    elif was_enabled and not user.two_factor_enabled:
        recovery_codes.delete_all(user.id)
        lock.unlock(user.id)
        audit.record(audit.TWO_FACTOR_DISABLED, user.id)
        trusted_browsers.end_trust(user.id)


def find_users(email: str | None, ids: list[str] | None, count: int | None) -> tuple[list[User], int]:
    """The users matching every criterion given (by email), at most ``count`` of them, and how many match."""
    query = select(User)
    if email is not None:
        query = query.where(User.email == email.strip().lower())
    if ids is not None:
        query = query.where(User.id.in_(ids))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    return list(db.session.scalars(query.order_by(User.email).limit(count))), total


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def hash_password(password: str) -> str:
    return in_hash_pool(passwords.hash_password, password, current_app.config)


def password_matches(user: User | None, password: str) -> bool:
    """Whether ``password`` is the user's; a match on a hash of another method or cost is rehashed."""
    config = current_app.config
    if user is None or not user.password_hash:
        # Same work for unknown users, so timing does not reveal which emails exist.
        in_hash_pool(passwords.spend_one_check, password, config)
        return False
    if not in_hash_pool(passwords.verify, user.password_hash, password, config):
        return False
    if passwords.needs_rehash(user.password_hash, config):
        user.password_hash = hash_password(password)
        db.session.commit()
    return True


def claim_totp_step(user: User, step: int, *, commit: bool = True) -> bool:
    """Record ``step`` as the user's last used one, atomically; False when it was already used.

    ``commit=False``: the caller commits it with what it writes next (in one transaction). Until then the
    row stays locked, so a second claim of the step waits and then finds it used."""
    # One conditional UPDATE claims the step, so of two requests with the same code only one finds it free.
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.last_totp_step.is_(None), User.last_totp_step < step))
        .values(last_totp_step=step)
    )
    claimed = result.rowcount == 1
    if commit:
        db.session.commit()
    return claimed


def set_two_factor_enabled(user: User, enabled: bool) -> None:
    was_enabled = user.two_factor_enabled
    user.document = merge_patch(user.document, {"twoFactor": {"enabled": enabled}})
    if user.two_factor_enabled:
        user.had_second_factor = True
    db.session.commit()
    _audit_two_factor_change(user, was_enabled)


def public_user(user: User) -> dict[str, Any]:
    """What a user's own token may see: no secretKey, no password hash."""
    codes_on = user.two_factor_enabled
    info = schemas.PublicUser(
        id=user.id,
        twoFactorRequired=policy.enrolment_required(user) or None,
        email=user.email,
        phoneNumber=user.document.get("phoneNumber") or None,
        twoFactor=schemas.PublicTwoFactor(
            enabled=codes_on,
            transport=user.two_factor.get("transport"),
            passkey=(not codes_on and policy.second_factor_asked(user)) or None,
        ),
    )
    return info.model_dump(exclude_none=True)


def auth_config() -> dict[str, Any]:
    return get_document("AuthConfig", "app") or {}
