"""Long polling: ask getUpdates again and again, store what comes, and never stop until cancelled.

The offset moves past updates only once they are stored (the next getUpdates confirms them to Telegram), so an
update that could not be stored is asked for again; one Telegram sends twice (after a restart before the offset
was confirmed) is dropped by the inbox, which keeps every ``update_id`` it stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Bot, Update
from telegram.error import Conflict, EndPointNotFound, InvalidToken, NetworkError, RetryAfter

from bot.telegram_limits import MAX_UPDATES_PER_POLL
from bot.telegram_send import READ_TIMEOUT, Backoff, retry_seconds

log = logging.getLogger(__name__)
POLL_SECONDS = 30  # how long Telegram may hold one getUpdates open when there is nothing new
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")


async def get_updates(bot: Bot, offset: int | None, poll_seconds: int) -> tuple[list[Update], list[dict[str, Any]]]:
    """One getUpdates: the updates, and each as the JSON Telegram sent (stored as it is, not written out again from
    the update: ``to_dict`` cost more than reading it). As ``Bot.get_updates`` asks, but through
    ``do_api_request`` (see ``bot/telegram_send.py``): a token Telegram no longer knows comes as ``EndPointNotFound``.
    """
    params = {"offset": offset, "limit": MAX_UPDATES_PER_POLL, "timeout": poll_seconds,
              "allowed_updates": ALLOWED_UPDATES}
    payloads: list[dict[str, Any]] = await bot.do_api_request(
        "getUpdates", api_kwargs=params, read_timeout=READ_TIMEOUT + poll_seconds)  # the poll may take its time
    return [Update.de_json(payload, bot) for payload in payloads], payloads


async def poll_updates(bot: Bot, store: Callable[[Sequence[Update], Sequence[dict[str, Any]]], Awaitable[bool]], *,
                       poll_seconds: int = POLL_SECONDS, backoff: Backoff | None = None) -> None:
    """Fetch updates forever and ``store`` them with their JSON (True once stored); errors are logged and waited
    out, never raised."""
    backoff = backoff or Backoff()
    offset: int | None = None
    while True:
        try:
            updates, payloads = await get_updates(bot, offset, poll_seconds)
        except RetryAfter as flood:
            pause = retry_seconds(flood)
            log.warning("telegram getUpdates: flood control, waiting %.0fs", pause)
        except (InvalidToken, EndPointNotFound):
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
            if not updates or await store(updates, payloads):
                offset = updates[-1].update_id + 1 if updates else offset
                continue
            pause = backoff.next()
            log.warning("telegram: %d update(s) could not be stored; asking for them again in %.1fs", len(updates),
                        pause)
        await asyncio.sleep(pause)
