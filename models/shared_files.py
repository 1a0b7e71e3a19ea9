"""Files served by link: stored under the hash of an unguessable token, fetched until they expire, then forgotten."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from models.runtime import SharedFile

KEPT_FOR = timedelta(days=7)
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what token_urlsafe makes (43 characters today), with room


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256 in hex (the token itself is only in the link)."""
    return hashlib.sha256(token.encode()).hexdigest()


async def share(filename: str, mime_type: str, content: bytes, now: datetime) -> str:
    """Store a file; return its token (the only way to fetch it, never stored)."""
    token = secrets.token_urlsafe(32)
    await SharedFile.create(token_hash=token_hash(token), filename=filename, mime_type=mime_type, content=content,
                            created_at=now, expires_at=now + KEPT_FOR)
    return token


def could_be_token(text: str) -> bool:
    """Whether ``text`` has the shape of a token (anything else is no link: nothing to look up)."""
    return TOKEN_SHAPE.fullmatch(text) is not None


async def fetch(token: str, now: datetime) -> SharedFile | None:
    """The file of a token that has not expired."""
    if not could_be_token(token):
        return None
    return await SharedFile.get_or_none(token_hash=token_hash(token), expires_at__gt=now)


async def forget_expired(now: datetime) -> int:
    """Delete expired files (the reminder loop does it hourly)."""
    return await SharedFile.filter(expires_at__lte=now).delete()
