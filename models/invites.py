"""One-time invite codes: issued by admins, stored only as a hash, typed (or deep-linked) by new users."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from models.enums import Role
from models.org import Invite, Office, User

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on phones
CODE_LENGTH = 10
DEFAULT_VALIDITY = timedelta(days=14)


def new_invite_code() -> str:
    """A random code such as ``K7QM3-XPA9T`` (about 50 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalize_code(text: str) -> str:
    """Uppercase, without spaces and dashes, so that ``k7qm3 xpa9t`` matches ``K7QM3-XPA9T``."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    """The stored form of a code."""
    return hashlib.sha256(normalize_code(code).encode("ascii", "ignore")).hexdigest()


def looks_like_code(text: str) -> bool:
    """Whether a message could be an invite code at all (worth a lookup)."""
    normalized = normalize_code(text)
    return len(normalized) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in normalized)


async def issue_invite(
    *,
    role: Role,
    now: datetime,
    office: Office | None = None,
    user: User | None = None,
    created_by: User | None = None,
    valid_for: timedelta = DEFAULT_VALIDITY,
) -> tuple[Invite, str]:
    """Create an invite and return it with its plain code, which is shown once and never stored."""
    if role is not Role.ADMIN and office is None and (user is None or user.office_id is None):
        raise ValueError("owners and directors need an office")
    code = new_invite_code()
    invite = await Invite.create(
        code_hash=hash_code(code),
        role=role,
        office_id=office.id if office else (user.office_id if user else None),
        user=user,
        created_by=created_by,
        expires_at=now + valid_for,
    )
    return invite, code
