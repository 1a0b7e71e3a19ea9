"""The LINE channel: verified webhook events into the inbox, and each event's turn out as LINE messages.

The webhook handler only verifies the signature (line-bot-sdk's ``SignatureValidator``, before anything else) and
reads the body's JSON once, and hands the events, as that JSON, to :meth:`LineChannel.accept`, which stores them in
the inbox; LINE is answered once they are stored.
The inbox worker then has :meth:`LineChannel.process` handle each event, one user's in the order LINE sent them:
it normalizes the event, downloads a sent image or file, runs the turn through the service (which commits the
turn with its replies), shows the loading animation when that is slow, renders the replies and delivers them
(reply, else push with a retry key derived from the event, so that sending them again after a crash delivers
once).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
from linebot.v3 import SignatureValidator
from linebot.v3.messaging import ApiException

from bot.inbox_worker import DeliveryFailed, InboxWorker
from bot.line_delivery import DeliveryError, LineSender, LineStats
from bot.line_events import Action, Content, LineEvent, normalize
from bot.line_menus import RichMenus, with_next_steps
from bot.line_render import render, render_plain
from conversations.button_data import moved_on, screen_of
from conversations.messages import (
    FILE_TOO_LARGE,
    FILE_UNAVAILABLE,
    MAX_ATTACHMENT_BYTES,
    Attachment,
    Inbound,
    Reply,
    ReplyKind,
)
from conversations.service.inbox import Claimed, Received
from conversations.service.turns import ConversationService
from models.enums import Platform

log = logging.getLogger(__name__)
Deactivate = Callable[[str], Awaitable[None]]
Publish = Callable[[Attachment], Awaitable[Attachment]]
PROFILE_CACHE_SIZE = 10_000
IMAGE_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}
DEFAULT_IMAGE_EXTENSION = ".jpg"  # LINE delivers photos as JPEG


class InvalidSignature(Exception):
    """The body is not signed with our channel secret: it did not come from LINE."""


class MalformedWebhook(Exception):
    """A correctly signed body that is not a webhook payload."""


@dataclass(frozen=True, slots=True)
class LineOptions:
    """Tunable behaviour of the channel (the defaults suit production)."""

    loading_after: float = 1.0  # seconds a turn may take before the loading animation is shown
    loading_seconds: int = 20
    loading_every: float = 18.0  # seconds after which a long turn (a national export) shows the animation again
    max_evidence_bytes: int = MAX_ATTACHMENT_BYTES


class LineChannel:
    """Stores webhook events in the inbox, and handles each one's turn when the inbox worker hands it over."""

    def __init__(self, *, secret: str, service: ConversationService, worker: InboxWorker, sender: LineSender,
                 deactivate: Deactivate, options: LineOptions | None = None, publish: Publish | None = None,
                 menus: RichMenus | None = None) -> None:
        self.signature = SignatureValidator(secret)
        self.service = service
        self.worker = worker
        self.publish = publish  # gives a file a link LINE can fetch; without it, files are only named
        self.sender = sender
        self.deactivate = deactivate
        self.menus = menus  # each person's rich menu, linked after their turn
        self.options = options or LineOptions()
        self._names: dict[str, str] = {}
        self.started_at = sender.clock()
        worker.register(Platform.LINE, self)

    @property
    def stats(self) -> LineStats:
        """Counters of what was received and sent."""
        return self.sender.stats

    def parse(self, body: bytes, signature: str) -> list[dict[str, Any]]:
        """Verify the signature of a webhook body, then read its events as JSON (an empty list is LINE's check).

        Raises:
            InvalidSignature: the body was not signed with our channel secret.
            MalformedWebhook: it was, but it is not a webhook payload.
        """
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidSignature("the body is not UTF-8") from error
        if not self.signature.validate(text, signature):
            raise InvalidSignature("signature mismatch")
        try:
            events = json.loads(text)["events"]
        except (ValueError, KeyError, TypeError, RecursionError) as error:  # RecursionError: hostile nesting
            raise MalformedWebhook(type(error).__name__) from error
        if not isinstance(events, list) or not all(isinstance(event, dict) for event in events):
            raise MalformedWebhook("events are not a list of objects")
        return events

    async def accept(self, events: Sequence[dict[str, Any]]) -> bool:
        """Store the events we serve in the inbox, as the JSON they came as (the webhook's); True once stored
        (LINE may be told), False if not in time."""
        self.stats.webhooks += 1
        received: list[Received] = []
        for event in events:
            self.stats.events += 1
            try:
                decided = normalize(event)
            except (ValueError, KeyError, TypeError, AttributeError):  # a signed event we cannot read: skip it
                self.stats.failures += 1
                log.exception("LINE event %s could not be read", event.get("webhookEventId", "?"))
                continue
            if decided is None:
                log.debug("LINE event %s ignored", event.get("type", "?"))
                continue
            received.append(Received(Platform.LINE, decided.user_id, decided.event_id, event))
        return await self.worker.accept(received)

    async def idle(self) -> None:
        """Wait until every stored event has been handled and answered."""
        await self.worker.idle()

    async def push(self, user_id: str, replies: Sequence[Reply]) -> None:
        """Send replies to a user outside a turn (reminders); costs push quota."""
        await self.sender.push(user_id, with_next_steps(render(replies), replies), fallback=render_plain(replies))

    async def multicast(self, user_ids: Sequence[str], replies: Sequence[Reply]) -> None:
        """Send the same replies to many users (500 per request); costs quota per recipient."""
        await self.sender.multicast(user_ids, with_next_steps(render(replies), replies))

    async def process(self, item: Claimed) -> None:
        """Handle one event from the inbox: its turn (unless already stored), then its replies.

        Raises:
            DeliveryFailed: LINE did not take the replies this time; the inbox sends them again later.
        """
        event = normalize(item.payload)
        if event is None:
            return
        if event.action is Action.DEACTIVATE:
            await self.deactivate(event.user_id)
            return
        work = asyncio.ensure_future(self._replies(event, item))
        try:
            wait = self.options.loading_after
            while event.interactive and not (await asyncio.wait({work}, timeout=wait))[0]:
                await self.sender.show_loading(event.user_id, self.options.loading_seconds)
                wait = self.options.loading_every  # shown again before it runs out, for as long as the turn
            replies = await work
        finally:
            if not work.done():
                work.cancel()
        if replies:
            await self._deliver(event, *self._paged(event, replies))
        if self.menus is not None and replies is not None:  # a person who just linked gets their role's menu
            await self.menus.follow(event.user_id,
                                    linking=any(reply.kind is ReplyKind.LINKED for reply in replies))

    async def _replies(self, event: LineEvent, item: Claimed) -> list[Reply] | None:
        """The turn's replies with every question answered and every file linked: stored now, or before."""
        if item.handled:
            stored: list[Reply] | None = await self.service.stored_replies(item)
        else:
            stored = await self.service.handle_claimed(item, await self._prepared(event))
        if stored is None:
            return None  # another process has taken the event over
        try:
            replies = await self._published(await self.service.answers(stored, outage_raises=True))
        except Exception as error:  # the turn is stored: only making its answer failed, which sending again redoes
            raise DeliveryFailed(f"answer not made: {type(error).__name__}: {error}") from error
        return replies

    async def _deliver(self, event: LineEvent, replies: list[Reply], page: int) -> None:
        try:
            await self.sender.deliver(event.user_id, render(replies, page), reply_token=event.reply_token,
                                      occurred_at=event.occurred_at, redelivery=event.redelivery,
                                      retry_key=f"line:{event.event_id}", fallback=render_plain(replies))
        except DeliveryError as error:
            self.stats.failures += 1
            raise DeliveryFailed(str(error), permanent=error.permanent) from error

    async def _published(self, replies: list[Reply]) -> list[Reply]:
        """Replies whose files (an export, a chart) have a link: LINE bots cannot send a file itself."""
        if self.publish is None:
            return replies
        return [replace(reply, attachment=await self.publish(reply.attachment))
                if reply.attachment is not None and not reply.attachment.url else reply for reply in replies]

    @staticmethod
    def _paged(event: LineEvent, replies: list[Reply]) -> tuple[list[Reply], int]:
        """The replies to send and the quick-reply page of the live screen to show: the page the person asked
        for, or pressed a button on, while that screen is live; an old screen's page gets "moved on" and page one.
        """
        *earlier, live = replies
        same_screen = event.screen is not None and screen_of(live) == event.screen
        if event.action is Action.PAGE and not same_screen:
            return [*earlier, moved_on(), live], 0
        return replies, event.page if same_screen else 0

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
