"""Sending a message nobody asked for (a reminder) on each channel, with failures sorted into three kinds.

A pusher says what happened in terms the reminder loop can act on: :class:`Unreachable` (the person
blocked or unfollowed us: mark the chat account inactive, skip), :class:`Refused` (the platform will never
take this message: record it, do not retry) and :class:`SendFailed` (rate limit or outage outlasting the
sender's own retries: try again later). Only LINE sends one message to many people in one request.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Protocol

import aiohttp
from linebot.v3.messaging import ApiException
from telegram.error import BadRequest, TelegramError

from bot.line_delivery import DeliveryError, LineSender
from bot.line_limits import MAX_MULTICAST_RECIPIENTS
from bot.line_menus import with_next_steps
from bot.line_render import render as render_line
from bot.line_render import render_plain
from bot.telegram_render import render as render_telegram
from bot.telegram_send import Blocked, TelegramSender
from conversations.messages import Reply
from models.enums import Platform

log = logging.getLogger(__name__)
CREDENTIALS_REFUSED = (401, 403)
GONE_CHAT = ("chat not found", "user is deactivated", "bot was blocked")


class Unreachable(Exception):
    """The person blocked or unfollowed us: nothing more is sent to this chat account."""


class Refused(Exception):
    """The platform refuses this message for good (malformed, too long): retrying would not help."""


class SendFailed(Exception):
    """Not delivered this time (rate limit, outage): the reminder loop tries again later."""


class Pusher(Protocol):
    """One channel's way of sending outside a conversation turn."""

    platform: Platform
    batch_size: int  # recipients of one identical message per request; 1 where the platform has no multicast

    def reaches(self, external_id: str) -> bool:
        """Whether this process can send to that chat account."""
        ...

    async def push(self, external_id: str, replies: Sequence[Reply]) -> None:
        """Send to one person."""
        ...

    async def multicast(self, external_ids: Sequence[str], replies: Sequence[Reply]) -> None:
        """Send the same to up to ``batch_size`` people in one request."""
        ...


class TelegramPusher:
    """Telegram: one chat at a time, 1 message a second per chat, the bot's rate limiter over all chats."""

    platform = Platform.TELEGRAM
    batch_size = 1

    def __init__(self, sender: TelegramSender, today: Callable[[], date]) -> None:
        self.sender = sender
        self.today = today

    @staticmethod
    def reaches(external_id: str) -> bool:
        """Every Telegram account has a numeric chat id."""
        return external_id.lstrip("-").isdigit()

    async def push(self, external_id: str, replies: Sequence[Reply]) -> None:
        """Send, translating Telegram's answers into the three outcomes."""
        outs = [out for reply in replies for out in render_telegram(reply, today=self.today())]
        try:
            await self.sender.push(int(external_id), outs)
        except Blocked as error:
            raise Unreachable(str(error)) from error
        except BadRequest as error:
            if any(reason in str(error).lower() for reason in GONE_CHAT):
                raise Unreachable(str(error)) from error
            raise Refused(str(error)) from error
        except TelegramError as error:  # RetryAfter or network errors that outlasted the sender's retries
            raise SendFailed(f"{type(error).__name__}: {error}") from error

    async def multicast(self, external_ids: Sequence[str], replies: Sequence[Reply]) -> None:
        """Telegram has no multicast."""
        raise NotImplementedError("Telegram sends to one chat at a time")


class LinePusher:
    """LINE: push to one user, or multicast one message to up to 500 users in a request."""

    platform = Platform.LINE
    batch_size = MAX_MULTICAST_RECIPIENTS

    def __init__(self, sender: LineSender) -> None:
        self.sender = sender

    @staticmethod
    def reaches(external_id: str) -> bool:
        """LINE user ids start with U."""
        return external_id.startswith("U")

    async def push(self, external_id: str, replies: Sequence[Reply]) -> None:
        """Push one user's message (as plain text if LINE refuses the rich version)."""
        await _line(self.sender.push(external_id, with_next_steps(render_line(replies), replies),
                                     fallback=render_plain(replies)))

    async def multicast(self, external_ids: Sequence[str], replies: Sequence[Reply]) -> None:
        """One request for up to 500 users (LINE skips those who blocked the account)."""
        await _line(self.sender.multicast(external_ids, with_next_steps(render_line(replies), replies)))


async def _line(sending: Awaitable[None]) -> None:
    try:
        await sending
    except DeliveryError as error:
        cause = error.__cause__
        status = cause.status if isinstance(cause, ApiException) else None
        if status in CREDENTIALS_REFUSED:  # a token expired or rotated: every message would fail alike
            log.warning("LINE refused our credentials (%s): reminders wait until they are fixed", status)
        elif status is not None and status < 500 and status != 429:
            raise Refused(str(error)) from error
        raise SendFailed(str(error)) from error
    except (aiohttp.ClientError, TimeoutError) as error:
        raise SendFailed(f"{type(error).__name__}: {error}") from error


class ConsolePusher:
    """The terminal: shows the message for the account the terminal is attached to (or, from
    ``tidtam reminders run-once``, for every console account, each under its name)."""

    platform = Platform.CONSOLE
    batch_size = 1

    def __init__(self, show: Callable[[Sequence[Reply], str | None], None], *, only: str | None = None) -> None:
        self.show = show
        self.only = only

    def reaches(self, external_id: str) -> bool:
        """The attached account, or every console account when not attached to one."""
        return self.only is None or external_id == self.only

    async def push(self, external_id: str, replies: Sequence[Reply]) -> None:
        """Show it, between the current prompt and the next."""
        self.show(replies, None if self.only else external_id)

    async def multicast(self, external_ids: Sequence[str], replies: Sequence[Reply]) -> None:
        """The terminal has no multicast."""
        raise NotImplementedError("the terminal shows one account at a time")
