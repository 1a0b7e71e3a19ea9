"""Recording an event finished together with a write its channel asked for once the replies were out (a Telegram
chat's live question): one commit for both rather than one each (:func:`conversations.service.inbox.finish_with`).

The channel's write goes in whether or not the claim still held: it describes the chat as its replies left it. A
write that fails other than by an outage is logged and the event recorded without it: it is the channel's
convenience, never worth the event.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Protocol

from conversations.service import inbox
from conversations.service.inbox import Claimed
from models.db import is_outage

log = logging.getLogger(__name__)


class Alongside(Protocol):
    """A write a channel has to make once an event's replies are out, made with the record that it is finished."""

    def statement(self, postgres: bool, first: int) -> tuple[str, list[Any]]:
        """The write as one statement and its values, for PostgreSQL or SQLite, its marks numbered from ``first``."""
        ...


async def finish(item: Claimed, now: datetime, alongside: Alongside | None = None) -> bool:
    """:func:`conversations.service.inbox.finish`, with ``alongside`` in the same commit; False when the claim
    was lost."""
    if alongside is None:
        return await inbox.finish(item, now)
    try:
        return await inbox.finish_with(item, now, alongside.statement)
    except Exception as error:
        if is_outage(error):
            raise
        log.warning("inbox: event %s recorded without its channel's write, which failed", item.id, exc_info=True)
        return await inbox.finish(item, now)
