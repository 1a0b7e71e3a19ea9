"""When the people a change concerns will hear of it, said truthfully to the person who made the change.

A notification is a row written with the change; the reminder loop pushes it within the sending hours to a chat
it can reach, and otherwise it is shown at the top of the person's next message. ``PushOutlook`` is what the
service knows of that loop (from its settings); ``told`` turns it into the words the director or admin reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from conversations.copy import render
from conversations.formatting import format_date
from conversations.service.accounts import listening_accounts
from models.enums import Platform
from models.fiscal import BANGKOK


def _never_waits(moment: datetime) -> datetime:
    return moment


@dataclass(frozen=True, slots=True)
class PushOutlook:
    """The channels notifications are pushed on, whom each reaches, and the next moment pushes may go out."""

    reaches: Mapping[Platform, Callable[[str], bool]] = field(default_factory=dict)
    next_allowed: Callable[[datetime], datetime] = _never_waits


NO_PUSHES = PushOutlook()  # nothing is pushed: people see notifications at their next message


async def reachable(user_ids: Iterable[int], outlook: PushOutlook) -> set[int]:
    """Those of ``user_ids`` with an active chat account the outlook's channels can push to."""
    ids = set(user_ids)
    if not ids or not outlook.reaches:
        return set()
    return {account.user_id for account in await listening_accounts(ids, list(outlook.reaches))
            if outlook.reaches[account.platform](account.external_id)}


def _moment(at: datetime, now: datetime) -> str:
    local, today = at.astimezone(BANGKOK), now.astimezone(BANGKOK).date()
    day = render("tell.today") if local.date() == today else format_date(local.date())
    return render("tell.moment", day=day, time=f"{local:%H:%M}")


async def told(user_ids: Iterable[int], now: datetime, outlook: PushOutlook, who: str) -> str:
    """How and when ``who`` (the people of ``user_ids``) will hear of it: pushed now, pushed when the sending
    hours start, or seen at their next message (no chat the service can push to)."""
    ids = set(user_ids)
    pushed = await reachable(ids, outlook)
    parts = []
    if pushed:
        at = outlook.next_allowed(now)
        count = render("tell.count", count=len(pushed)) if len(ids) > 1 else ""
        parts.append(render("tell.now", who=who, count=count) if at <= now else
                     render("tell.later", who=who, count=count, when=_moment(at, now)))
    if ids - pushed:
        count = render("tell.count", count=len(ids - pushed)) if len(ids) > 1 else ""
        parts.append(render("tell.next_message", who=who, count=count))
    return " ".join(parts)
