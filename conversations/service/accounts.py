"""People's chat accounts as the senders need them: which ones are listening, and which stopped (a user who blocked
the bot on Telegram or unfollowed it on LINE)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from models.enums import Platform
from models.org import ChatAccount

USERS_PER_QUERY = 500


@dataclass(frozen=True, slots=True)
class ListeningAccount:
    """An active chat account of a person, and when they last wrote from it (None: never)."""

    user_id: int
    platform: Platform
    external_id: str
    last_seen_at: datetime | None


async def listening_accounts(user_ids: Iterable[int], platforms: Collection[Platform]) -> list[ListeningAccount]:
    """The active chat accounts of these people on these platforms, read a few hundred people at a time."""
    ids = sorted(set(user_ids))
    found: list[ListeningAccount] = []
    for start in range(0, len(ids), USERS_PER_QUERY):
        rows = await ChatAccount.filter(user_id__in=ids[start:start + USERS_PER_QUERY], active=True,
                                        platform__in=list(platforms)).values("user_id", "platform", "external_id",
                                                                             "last_seen_at")
        found += [ListeningAccount(row["user_id"], Platform(row["platform"]), row["external_id"], row["last_seen_at"])
                  for row in rows]
    return found


async def deactivate(platform: Platform, external_id: str) -> None:
    """Stop sending to this chat account until the person writes again (a turn marks it active)."""
    await ChatAccount.filter(platform=platform, external_id=external_id).update(active=False)
