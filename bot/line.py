"""The LINE channel: verified webhook events in, the service's replies out as LINE messages.

The webhook handler only verifies and parses (line-bot-sdk's ``WebhookParser``: signature first) and hands
the events to :meth:`LineChannel.accept`, which does the work in background tasks; the handler answers LINE
once the events' turns are stored (an error when one was rolled back, so that LINE delivers it again), or
after ``ack_within`` seconds at most, well inside LINE's two, with the slow turns still running. A
user's events run one after another in the order LINE sent them; different users run side by side. Each
task normalizes the event, downloads a sent image or file, runs the turn through the service (which drops
an event it has already processed, so a redelivered or replayed event is answered once), shows the loading
animation when the turn is slow, renders the replies and delivers them (reply, else push).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import ApiException

from bot.chat_queues import ChatQueues, Receipt, all_stored, settle
from bot.line_delivery import DeliveryError, LineSender, LineStats
from bot.line_events import Action, Content, LineEvent, normalize
from bot.line_render import render, screen_prompt
from conversations.copy import render as copy
from conversations.messages import (
    FILE_TOO_LARGE,
    FILE_UNAVAILABLE,
    MAX_ATTACHMENT_BYTES,
    Attachment,
    Inbound,
    Reply,
    stored,
)

log = logging.getLogger(__name__)
Handler = Callable[[Inbound], Awaitable[list[Reply]]]
Deactivate = Callable[[str], Awaitable[None]]
Publish = Callable[[Attachment], Awaitable[Attachment]]
STALE_KEY = "input.stale"  # "that step has moved on", when a page of an old screen is asked for
PROFILE_CACHE_SIZE = 10_000
IMAGE_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}
DEFAULT_IMAGE_EXTENSION = ".jpg"  # LINE delivers photos as JPEG


class InvalidSignature(Exception):
    """The body is not signed with our channel secret: it did not come from LINE."""


class MalformedWebhook(Exception):
    """A correctly signed body that is not a webhook payload."""


class ChannelClosed(Exception):
    """The channel is shutting down and takes no new events (LINE will redeliver them)."""


@dataclass(frozen=True, slots=True)
class LineOptions:
    """Tunable behaviour of the channel (the defaults suit production)."""

    loading_after: float = 1.0  # seconds a turn may take before the loading animation is shown
    loading_seconds: int = 20
    loading_every: float = 18.0  # seconds after which a long turn (a national export) shows the animation again
    max_evidence_bytes: int = MAX_ATTACHMENT_BYTES
    concurrency: int = 64  # events processed at once, over all users
    shutdown_grace: float = 25.0
    ack_within: float = 1.0  # seconds a webhook waits for its turns to be stored (LINE gives up after 2)


class LineChannel:
    """Turns webhook events into service turns and delivers what the service answers."""

    def __init__(self, *, secret: str, handle: Handler, sender: LineSender, deactivate: Deactivate,
                 options: LineOptions | None = None, publish: Publish | None = None) -> None:
        self.parser = WebhookParser(secret)
        self.handle = handle
        self.publish = publish  # gives a file a link LINE can fetch; without it, files are only named
        self.sender = sender
        self.deactivate = deactivate
        self.options = options or LineOptions()
        self.queues: ChatQueues[str, tuple[LineEvent, Receipt]] = ChatQueues(
            self._process_safely, concurrency=self.options.concurrency)
        self._names: dict[str, str] = {}
        self.started_at = sender.clock()

    @property
    def stats(self) -> LineStats:
        """Counters of what was received and sent."""
        return self.sender.stats

    @property
    def in_flight(self) -> int:
        """Events accepted and not yet finished."""
        return self.queues.outstanding

    def parse(self, body: bytes, signature: str) -> list[Any]:
        """Verify the signature of a webhook body, then parse its events (an empty list is LINE's check).

        Raises:
            InvalidSignature: the body was not signed with our channel secret.
            MalformedWebhook: it was, but it is not a webhook payload.
        """
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidSignature("the body is not UTF-8") from error
        try:
            return list(self.parser.parse(text, signature))
        except InvalidSignatureError as error:
            raise InvalidSignature("signature mismatch") from error
        except (ValueError, KeyError, TypeError, RecursionError) as error:  # RecursionError: hostile nesting
            raise MalformedWebhook(type(error).__name__) from error

    def accept(self, events: Sequence[Any]) -> list[Receipt]:
        """Schedule the events' work in the background; return a receipt for each that needs any."""
        if self.queues.closed:
            raise ChannelClosed
        self.stats.webhooks += 1
        receipts: list[Receipt] = []
        for event in events:
            self.stats.events += 1
            try:
                decided = normalize(event)
            except (ValueError, TypeError, AttributeError):  # a signed event we cannot read: skip it alone
                self.stats.failures += 1
                log.exception("LINE event %s could not be read", getattr(event, "webhook_event_id", "?"))
                continue
            if decided is None:
                log.debug("LINE event %s ignored", getattr(event, "type", "?"))
                continue
            receipt: Receipt = asyncio.get_running_loop().create_future()
            self.queues.submit(decided.user_id, (decided, receipt))
            receipts.append(receipt)
        return receipts

    async def stored(self, receipts: Sequence[Receipt]) -> bool | None:
        """Whether the accepted events' turns were stored (None: some still running after ``ack_within``)."""
        return await all_stored(receipts, self.options.ack_within)

    async def idle(self) -> None:
        """Wait until every accepted event has been handled."""
        await self.queues.join()

    async def close(self) -> None:
        """Stop taking events, finish the running ones within the grace period, cancel the rest."""
        await self.queues.close(self.options.shutdown_grace)

    async def push(self, user_id: str, replies: Sequence[Reply]) -> None:
        """Send replies to a user outside a turn (reminders); costs push quota."""
        await self.sender.push(user_id, render(replies))

    async def multicast(self, user_ids: Sequence[str], replies: Sequence[Reply]) -> None:
        """Send the same replies to many users (500 per request); costs quota per recipient."""
        await self.sender.multicast(user_ids, render(replies))

    async def _process_safely(self, item: tuple[LineEvent, Receipt]) -> None:
        event, receipt = item
        try:
            await self._process(event, receipt)
        except Exception:  # one bad event must not stop the channel
            self.stats.failures += 1
            log.exception("LINE event %s of %s failed", event.event_id, event.user_id)
        finally:
            settle(receipt, False)  # failed before its turn was stored (or cancelled): LINE may deliver it again

    async def _process(self, event: LineEvent, receipt: Receipt) -> None:
        if event.action is Action.DEACTIVATE:
            await self.deactivate(event.user_id)
            settle(receipt, True)
            return
        work = asyncio.ensure_future(self._answer(event, receipt))
        try:
            wait = self.options.loading_after
            while event.interactive and not (await asyncio.wait({work}, timeout=wait))[0]:
                await self.sender.show_loading(event.user_id, self.options.loading_seconds)
                wait = self.options.loading_every  # shown again before it runs out, for as long as the turn
            replies = await work
        finally:
            if not work.done():
                work.cancel()
        try:
            await self.sender.deliver(event.user_id, render(replies), reply_token=event.reply_token,
                                      occurred_at=event.occurred_at, redelivery=event.redelivery)
        except DeliveryError:
            self.stats.failures += 1
            log.exception("LINE delivery to %s failed", event.user_id)

    async def _answer(self, event: LineEvent, receipt: Receipt) -> list[Reply]:
        inbound = replace(await self._prepared(event), on_stored=lambda ok: settle(receipt, ok))
        answered = await self.handle(inbound)
        settle(receipt, stored(answered))  # told before the files are published: the turn is stored either way
        replies = await self._published(answered)
        return self._paged(event, replies) if replies else []

    async def _published(self, replies: list[Reply]) -> list[Reply]:
        """Replies whose files (an export, a chart) have a link: LINE bots cannot send a file itself."""
        if self.publish is None:
            return replies
        return [replace(reply, attachment=await self.publish(reply.attachment))
                if reply.attachment is not None and not reply.attachment.url else reply for reply in replies]

    @staticmethod
    def _paged(event: LineEvent, replies: list[Reply]) -> list[Reply]:
        """Show the requested page of the live screen; an old screen's page gets "moved on" and page one."""
        *earlier, live = replies
        same_screen = event.prompt is not None and screen_prompt(live) == event.prompt
        if event.action is Action.PAGE and not same_screen:
            return [*earlier, Reply(text=copy(STALE_KEY), key=STALE_KEY), live]
        if event.page and same_screen:
            return [*earlier, replace(live, page=event.page)]
        return replies

    async def _prepared(self, event: LineEvent) -> Inbound:
        inbound = event.inbound
        name = await self._display_name(event.user_id)
        if name:
            inbound = replace(inbound, display_name=name)
        if event.content is not None:
            inbound = await self._with_content(inbound, event.content)
        return inbound

    async def _display_name(self, user_id: str) -> str:
        if user_id not in self._names:
            if len(self._names) >= PROFILE_CACHE_SIZE:
                self._names.pop(next(iter(self._names)))
            self._names[user_id] = await self.sender.display_name(user_id)
        return self._names[user_id]

    async def _with_content(self, inbound: Inbound, content: Content) -> Inbound:
        """The inbound with the sent file attached, or marked unsupported when it cannot be had."""
        limit = self.options.max_evidence_bytes
        if content.size is not None and content.size > limit:
            log.info("LINE %s %s is too large (%d bytes)", content.kind, content.message_id, content.size)
            return replace(inbound, unsupported=FILE_TOO_LARGE)
        try:
            data, mime = await self.sender.download(content.message_id)
        except (ApiException, aiohttp.ClientError, TimeoutError) as error:
            log.warning("LINE content %s not downloaded: %s", content.message_id, error)
            return replace(inbound, unsupported=FILE_UNAVAILABLE)
        if len(data) > limit:
            return replace(inbound, unsupported=FILE_TOO_LARGE)
        return replace(inbound, attachment=Attachment(content.kind, _filename(content, mime), data, mime))


def _filename(content: Content, mime: str) -> str:
    """The sender's file name, or for a photo (LINE gives none) its message id with the type's extension."""
    if content.kind != "image":
        return content.filename
    return f"{content.message_id}{IMAGE_EXTENSIONS.get(mime, DEFAULT_IMAGE_EXTENSION)}"
