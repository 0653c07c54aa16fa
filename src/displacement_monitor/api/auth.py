"""Token authentication with three roles: viewer < analyst < admin.

A token is shown once when its user is created; only its SHA-256 is stored, so a leaked database
does not leak working tokens.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from displacement_monitor.errors import ConfigError
from displacement_monitor.store import open_store
from displacement_monitor.store.auth_tables import ROLES, UserRow

ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
TOKEN_PREFIX = "dm_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def role_allows(role: str, needed: str) -> bool:
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[needed]


def create_user(session: Session, name: str, role: str) -> str:
    """Create (or re-key) user ``name`` with ``role``; returns the new plain token."""
    if role not in ROLE_RANK:
        raise ConfigError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if not name.strip():
        raise ConfigError("user name must not be empty")
    token = new_token()
    user = session.scalar(select(UserRow).where(UserRow.name == name))
    if user is None:
        session.add(UserRow(name=name, role=role, token_hash=hash_token(token), active=True))
    else:
        user.role, user.token_hash, user.active = role, hash_token(token), True
    return token


def find_user(session: Session, token: str) -> UserRow | None:
    """The active user holding ``token``, or None."""
    user = session.scalar(select(UserRow).where(UserRow.token_hash == hash_token(token)))
    return user if user is not None and user.active else None


def add_user(database_url: str | None, name: str, role: str) -> str:
    """``users add NAME --role ROLE``: create or re-key a user and return its token (print it once)."""
    store = open_store(database_url)
    try:
        with store.session() as session:
            return create_user(session, name, role)
    finally:
        store.close()
