"""Linking a new chat account to its person with a one-time invite code (typed, or ``/start CODE``).

Wrong codes are counted per chat account; after ``MAX_FAILURES`` in a row the account must wait
``BLOCK_FOR`` before trying again, so that codes cannot be guessed by brute force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from conversations.copy import render
from conversations.formatting import format_date
from conversations.names import address
from conversations.service.profile import ASKS, pending
from models.enums import Role
from models.fiscal import local_day
from models.invites import hash_code, looks_like_code, normalize_code
from models.org import ChatAccount, Invite, Office, User

MAX_FAILURES = 5
BLOCK_FOR = timedelta(minutes=15)
CODE_SHAPED = range(6, 15)  # lengths worth counting as an attempt (not "สวัสดี")


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    """What to tell the user, and the person now linked (None when still unlinked)."""

    messages: tuple[str, ...]
    user: User | None = None


def _code_candidate(text: str) -> str:
    stripped = text.strip()
    if stripped.lower().startswith("/start"):
        return stripped[len("/start"):].strip()
    return stripped


async def try_link(account: ChatAccount, text: str | None, now: datetime, *, first_contact: bool,
                   inactive: bool = False) -> LinkOutcome:
    """Read an invite code from the message and link the account, or say what went wrong.

    ``inactive``: the account's person was deactivated; without a new code they are told so.
    """
    if account.link_blocked_until is not None and account.link_blocked_until > now:
        minutes = max(1, int((account.link_blocked_until - now).total_seconds() // 60) + 1)
        return LinkOutcome((render("link.blocked", minutes=minutes),))
    candidate = _code_candidate(text or "")
    if not looks_like_code(candidate):
        if candidate and len(normalize_code(candidate)) in CODE_SHAPED and candidate.replace("-", "").isalnum():
            return await _failed(account, now)
        if inactive:
            return LinkOutcome((render("link.user_inactive"),))
        return LinkOutcome((render("link.welcome" if first_contact else "link.ask_code"),))
    invite = await Invite.get_or_none(code_hash=hash_code(candidate)).prefetch_related("user", "office")
    if invite is None:
        return await _failed(account, now)
    if invite.used_at is not None:
        return LinkOutcome((render("link.used"),))
    if invite.expires_at <= now:
        return LinkOutcome((render("link.expired", date=format_date(local_day(invite.expires_at))),))
    if invite.user is not None and not invite.user.active:
        return LinkOutcome((render("link.user_inactive"),))
    claimed = await Invite.filter(id=invite.id, used_at__isnull=True).update(used_at=now, used_by_id=account.id)
    if claimed != 1:  # another chat redeemed the same code a moment ago
        return LinkOutcome((render("link.used"),))
    user = invite.user or await User.create(name=account.display_name or render(f"role.{invite.role.value}"),
                                            role=invite.role, office_id=invite.office_id,
                                            profile_asks=list(ASKS))  # asked next: nobody is named by a role
    account.user = user
    account.failed_link_attempts = 0
    account.link_blocked_until = None
    await account.save()
    office: Office | None = invite.office or (await Office.get_or_none(id=user.office_id) if user.office_id else None)
    role: Role = user.role
    office_name = office.name if office else render("value.central")
    if pending(user):  # not greeted by a name that is not theirs yet
        return LinkOutcome((render("link.ok_unnamed", role=render(f"role.{role.value}"), office=office_name),), user)
    message = render("link.ok", person=address(user.name), role=render(f"role.{role.value}"), office=office_name)
    return LinkOutcome((message,), user)


async def _failed(account: ChatAccount, now: datetime) -> LinkOutcome:
    account.failed_link_attempts += 1
    if account.failed_link_attempts >= MAX_FAILURES:
        account.failed_link_attempts = 0
        account.link_blocked_until = now + BLOCK_FOR
        await account.save(update_fields=["failed_link_attempts", "link_blocked_until"])
        return LinkOutcome((render("link.blocked", minutes=int(BLOCK_FOR.total_seconds() // 60)),))
    await account.save(update_fields=["failed_link_attempts"])
    return LinkOutcome((render("link.wrong", left=MAX_FAILURES - account.failed_link_attempts),))
