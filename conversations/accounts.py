"""Chat accounts that stop listening: a user who blocked the bot (Telegram) or unfollowed it (LINE)."""

from __future__ import annotations

from models.enums import Platform
from models.org import ChatAccount


async def deactivate(platform: Platform, external_id: str) -> None:
    """Stop sending to this chat account until the person writes again (a turn marks it active)."""
    await ChatAccount.filter(platform=platform, external_id=external_id).update(active=False)
