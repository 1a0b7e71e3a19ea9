"""Files served by link: stored with an unguessable token, fetched until they expire, then forgotten."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from models.runtime import SharedFile

KEPT_FOR = timedelta(days=7)


async def share(filename: str, mime_type: str, content: bytes, now: datetime) -> str:
    """Store a file; return its token (the only way to fetch it)."""
    token = secrets.token_urlsafe(32)
    await SharedFile.create(token=token, filename=filename, mime_type=mime_type, content=content, created_at=now,
                            expires_at=now + KEPT_FOR)
    return token


async def fetch(token: str, now: datetime) -> SharedFile | None:
    """The file of a token that has not expired."""
    if len(token) > 64:
        return None
    return await SharedFile.get_or_none(token=token, expires_at__gt=now)


async def forget_expired(now: datetime) -> int:
    """Delete expired files (the reminder loop does it hourly)."""
    return await SharedFile.filter(expires_at__lte=now).delete()
