"""Issuing and checking HTTP API bearer tokens: random, shown once, stored as a hash, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from models.enums import Role
from models.org import ApiToken, Office, User

PREFIX = "tdt_"  # recognisable in a leaked-secret scan


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(*, user: User | None = None, role: Role | None = None, office: Office | None = None,
                      name: str = "") -> tuple[ApiToken, str]:
    """A new token acting as ``user``, or as ``role`` over ``office`` (directors) or everything (admins).

    The token text is returned once and never stored.
    """
    if (user is None) == (role is None):
        raise ValueError("a token acts as a person or as a role, not both")
    if role is Role.OWNER:
        raise ValueError("an owner's token acts as that owner: give the person")
    if role is Role.DIRECTOR and office is None:
        raise ValueError("a director's token needs an office")
    token = PREFIX + secrets.token_urlsafe(32)
    row = await ApiToken.create(token_hash=_hash(token), name=name, user=user, role=role,
                                office=office if role is Role.DIRECTOR else None)
    return row, token


async def user_of(token: str, now: datetime) -> User | None:
    """Who a valid, unrevoked token acts as (a role token: an unsaved person with that role); None otherwise."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    digest = _hash(token)
    row = await ApiToken.get_or_none(token_hash=digest, revoked_at__isnull=True).prefetch_related("user")
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    if row.user is not None and not row.user.active:
        return None
    await ApiToken.filter(id=row.id).update(last_used_at=now)
    if row.user is not None:
        return row.user
    assert row.role is not None
    return User(name=row.name or f"API {row.role}", role=row.role, office_id=row.office_id)  # never saved
