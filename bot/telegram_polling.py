"""Long polling: ask getUpdates again and again, store what comes, and never stop until cancelled.

The offset moves past updates only once they are stored (the next getUpdates confirms them to Telegram), so an
update that could not be stored is asked for again; one Telegram sends twice (after a restart before the offset
was confirmed) is dropped by the inbox, which keeps every ``update_id`` it stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter

from bot.telegram_limits import MAX_UPDATES_PER_POLL
from bot.telegram_send import Backoff, retry_seconds

log = logging.getLogger(__name__)
POLL_SECONDS = 30  # how long Telegram may hold one getUpdates open when there is nothing new
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")


async def poll_updates(bot: Bot, store: Callable[[Sequence[Update]], Awaitable[bool]], *,
                       poll_seconds: int = POLL_SECONDS, backoff: Backoff | None = None) -> None:
    """Fetch updates forever and ``store`` them (True once stored); errors are logged and waited out, never
    raised."""
    backoff = backoff or Backoff()
    offset: int | None = None
    while True:
        try:
            updates = await bot.get_updates(offset=offset, limit=MAX_UPDATES_PER_POLL, timeout=poll_seconds,
                                            allowed_updates=ALLOWED_UPDATES)
        except RetryAfter as flood:
            pause = retry_seconds(flood)
            log.warning("telegram getUpdates: flood control, waiting %.0fs", pause)
        except InvalidToken:
            pause = backoff.next()
            log.error(  # noqa: TRY400 - the traceback would say nothing more
                "telegram getUpdates: the bot token was rejected (check TELEGRAM_BOT_TOKEN); retry in %.0fs", pause)
        except Conflict as conflict:
            pause = backoff.next()
            log.warning("telegram getUpdates: %s (another process polls, or a webhook is set); retry in %.0fs",
                        conflict, pause)
        except NetworkError as error:
            pause = backoff.next()
            log.warning("telegram getUpdates failed (%s); retry in %.1fs", error, pause)
        except Exception:  # whatever it is, the loop must survive it
            pause = backoff.next()
            log.exception("telegram getUpdates failed unexpectedly; retry in %.1fs", pause)
        else:
            backoff.reset()
            if not updates or await store(updates):
                offset = updates[-1].update_id + 1 if updates else offset
                continue
            pause = backoff.next()
            log.warning("telegram: %d update(s) could not be stored; asking for them again in %.1fs", len(updates),
                        pause)
        await asyncio.sleep(pause)
