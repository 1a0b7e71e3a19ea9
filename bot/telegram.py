"""The Telegram channel: updates into the inbox, each one's turn through the service, replies out with native
widgets.

``normalize`` (update → inbound) and ``render`` (reply → payload) are pure and live in their own modules;
this one stores updates (from polling or the webhook) in the inbox, and when the inbox worker hands one over,
does its turn: it downloads files, runs the service (which commits the turn with its replies), then sends the
replies — or, when a button press left the same question on screen (a ticked box, a page, a wrong date),
redraws the pressed message in place. Every press is answered, so no spinner is left turning.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from telegram import Bot, Update
from telegram.error import BadRequest, TelegramError

from bot.chat_fold import APART
from bot.inbox_worker import DeliveryFailed, InboxWorker
from bot.telegram_calendar import picked_date, with_month
from bot.telegram_commands import COMMANDS, CommandMenus, bot_commands
from bot.telegram_controls import ControlKind
from bot.telegram_limits import MAX_DOWNLOAD_BYTES
from bot.telegram_live import LiveButtons, LiveChange, collecting, typed_answer
from bot.telegram_normalize import Incoming, Left, Press, normalize
from bot.telegram_polling import ALLOWED_UPDATES, poll_updates
from bot.telegram_render import (
    OutText,
    page_of,
    pressed_label,
    render,
    render_turn,
    reply_prompt,
)
from bot.telegram_send import Backoff, Blocked, TelegramSender
from conversations.button_data import is_link, moved_on, pressed_screen
from conversations.messages import (
    FILE_TOO_LARGE,
    FILE_UNAVAILABLE,
    MAX_ATTACHMENT_BYTES,
    Attachment,
    Inbound,
    Reply,
    ReplyKind,
)
from conversations.service import accounts
from conversations.service.inbox import Claimed, Received
from conversations.service.progress import PROGRESS
from conversations.service.turn_seen import TurnSeen
from conversations.service.turns import ConversationService
from models.enums import Platform

__all__ = ["COMMANDS", "TelegramChannel", "bot_commands", "deactivate", "normalize", "render"]

log = logging.getLogger(__name__)
_CURRENT: contextvars.ContextVar[int | None] = contextvars.ContextVar("inbox_event", default=None)
# the role of the event's person as its turn read it, for the command menu (no second lookup)
_SEEN: contextvars.ContextVar[TurnSeen | None] = contextvars.ContextVar("turn_seen", default=None)
PROGRESS_KEPT = 1000  # events whose sending is remembered half done (one fails now and then)
PARSED_KEPT = 256  # updates read on receipt, kept for their turn in this process (another may claim them)
# Telegram may deliver over up to 40 parallel connections, and then one user's updates can arrive out of order;
# each delivery is answered as soon as it is stored (the turn runs after), so a single connection costs little.
WEBHOOK_CONNECTIONS = 1
# A turn still running after this many seconds (an export, a chart) shows "typing…", renewed before Telegram
# clears it (after 5 s), until the answer is sent.
TYPING_AFTER = 1.0
TYPING_EVERY = 4.5


async def deactivate(user_ref: str) -> None:
    """Mark a Telegram account inactive: the user blocked the bot. Their next message makes it active again."""
    await accounts.deactivate(Platform.TELEGRAM, user_ref)


class TelegramChannel:
    """One bot: stores updates from polling or the webhook in the inbox, and answers each through the service."""

    def __init__(self, bot: Bot, service: ConversationService, worker: InboxWorker, *, today: Callable[[], date],
                 on_left: Callable[[str], Awaitable[None]] = deactivate, typing_after: float = TYPING_AFTER,
                 typing_every: float = TYPING_EVERY) -> None:
        self.bot = bot
        self.service = service
        self.worker = worker
        self.today = today
        self.on_left = on_left
        self.sender = TelegramSender(bot)
        self.menus = CommandMenus(self.sender)
        self.live = LiveButtons(self.sender)
        self.typing = (typing_after, typing_every)
        # with the webhook, a press is acknowledged in the webhook's answer (bot.telegram_webhook.reply_with)
        self.acknowledged_on_receipt = False
        # messages of an event's replies already sent, so that sending them again (after a failure) resumes
        self._progress: dict[int, int] = {}
        # each update as read on receipt, by update id: its turn takes it rather than reading the JSON again
        self._parsed: dict[str, Update] = {}
        worker.register(Platform.TELEGRAM, self)

    # --- lifecycle -------------------------------------------------------------------------------------------

    async def run_polling(self) -> None:
        """Set up the bot, remove any webhook (getUpdates refuses to work beside one), then poll forever."""
        await self._setup()
        await self._until_done("deleteWebhook", self.bot.delete_webhook)
        await poll_updates(self.bot, self.accept)

    async def run_webhook(self, url: str, secret: str) -> None:
        """Set up the bot and register the webhook with its secret; deliveries then arrive over HTTP."""
        self.acknowledged_on_receipt = True
        await self._setup()
        await self._until_done("setWebhook", lambda: self.bot.set_webhook(
            url, secret_token=secret, allowed_updates=ALLOWED_UPDATES, max_connections=WEBHOOK_CONNECTIONS))

    async def _setup(self) -> None:
        await self._until_done("getMe", self.bot.initialize)
        await self.menus.set_default()

    @staticmethod
    async def _until_done(what: str, step: Callable[[], Awaitable[object]]) -> None:
        backoff = Backoff()
        while True:
            try:
                await step()
            except Exception as error:  # Telegram unreachable or the token refused: keep trying, never crash
                pause = backoff.next()
                log.warning("telegram %s failed (%s: %s); retry in %.1fs", what, type(error).__name__, error, pause)
                await asyncio.sleep(pause)
            else:
                return

    # --- updates ---------------------------------------------------------------------------------------------

    async def accept(self, updates: Sequence[Update], payloads: Sequence[dict[str, Any]] | None = None) -> bool:
        """Store the updates we serve in the inbox; True once stored (Telegram may be told), False if not in time.

        ``payloads``: the JSON each update came as (the webhook's), stored as it is rather than written out again.
        An update without a user (a channel post) is not ours to answer and is dropped here.
        """
        kept = payloads if payloads is not None and len(payloads) == len(updates) else None
        received: list[Received] = []
        for number, update in enumerate(updates):
            if update.effective_user is None:
                continue
            if len(self._parsed) >= PARSED_KEPT:
                self._parsed.pop(next(iter(self._parsed)))
            self._parsed[str(update.update_id)] = update  # before it is stored: the worker may take it at once
            received.append(Received(Platform.TELEGRAM, str(update.effective_user.id), str(update.update_id),
                                     kept[number] if kept is not None else update.to_dict()))
        return await self.worker.accept(received)

    async def join(self) -> None:
        """Wait until every stored update has been handled and answered."""
        await self.worker.idle()

    async def process(self, item: Claimed) -> LiveChange | None:
        """Handle one update from the inbox: its turn (unless already stored), then its replies. Returns what they
        did to the chat's live question, for the inbox to write with the record that the event is finished (one
        commit); when the event does not finish here, it is written at once.

        Raises:
            DeliveryFailed: Telegram did not take the replies this time; the inbox sends them again later.
        """
        with collecting() as change:
            try:
                await self._process(item)
            except BaseException:
                await change.write()
                raise
        return change or None

    async def _process(self, item: Claimed) -> None:
        update = self._parsed.pop(item.event_id, None) or Update.de_json(item.payload, self.bot)
        token, seen = _CURRENT.set(item.id), _SEEN.set(TurnSeen())
        try:
            await self._update(update, item)
            self._progress.pop(item.id, None)
        except Blocked:
            user = update.effective_user
            if user is not None:
                log.info("telegram user %d blocked the bot; account marked inactive", user.id)
                await self.on_left(str(user.id))
        except TelegramError as error:  # only sending raises these: the turn is stored
            raise DeliveryFailed(f"{type(error).__name__}: {error}", permanent=isinstance(error, BadRequest)) \
                from error
        finally:
            _CURRENT.reset(token)
            _SEEN.reset(seen)

    async def _update(self, update: Update, item: Claimed) -> None:
        """Answer one update (the inbox hands a user's updates over one at a time, in order).

        A button press is acknowledged first, whatever follows: the spinner stops at once, and Telegram
        refuses acknowledgements that come late (after a slow turn or a retry), which would leave it turning.
        With the webhook it was acknowledged already, in the answer that said it was stored.
        """
        if update.callback_query is not None and not item.handled and not self.acknowledged_on_receipt:
            await self.sender.answer(update.callback_query.id)
        event = normalize(update)
        if isinstance(event, Left):
            log.info("telegram user %s blocked the bot; account marked inactive", event.user_ref)
            await self.on_left(event.user_ref)
            return
        if event is None:
            return
        seen = _SEEN.get()
        if seen is not None:
            seen.live_chat = event.chat_id  # the turn reads the chat's live question with its opening SELECT
        if event.press is None:
            replies = await self._turn(event, item)
            before = await self.live.current(event.chat_id, seen)
            noted = await self.send_replies(event.chat_id, replies)
            await self.live.supersede(event.chat_id, before, replies, typed_answer(event),  # typed: buttons go too
                                      noted=noted)
        else:
            await self._on_press(event, event.press, item)
        # linked, or a role changed: its menu
        await self.menus.follow(event.chat_id, event.inbound.user_ref, seen)

    async def _turn(self, event: Incoming, item: Claimed) -> list[Reply]:
        """The turn's replies, every question answered: stored now, or by an earlier try (its replies unsent).

        A slow turn shows "typing…" in the chat until it is done, so the person sees the bot is working.
        """
        work = asyncio.ensure_future(self._replies(event, item))
        try:
            wait, every = self.typing
            while not (await asyncio.wait({work}, timeout=wait))[0]:
                await self.sender.typing(event.chat_id)
                wait = every
            return await work
        finally:
            if not work.done():
                work.cancel()

    async def _replies(self, event: Incoming, item: Claimed) -> list[Reply]:
        if item.handled:
            stored: list[Reply] | None = await self.service.stored_replies(item)
        else:
            stored = await self.service.handle_claimed(item, await self._with_file(event), _SEEN.get())
        if stored is None:
            return []  # another process has taken the update over
        token = PROGRESS.set(lambda text: self._say(event.chat_id, text))
        try:
            return await self.service.answers(stored, outage_raises=True)
        finally:
            PROGRESS.reset(token)

    async def _say(self, chat_id: int, text: str) -> None:
        """A word of progress while an answer is computed (an import); one that cannot go is not missed."""
        try:
            await self.sender.send(chat_id, OutText(text))
        except TelegramError as error:
            log.info("telegram progress to %d not sent: %s", chat_id, error)

    async def send_replies(self, chat_id: int, replies: list[Reply], *, screen: bool = True) -> bool:
        """Render and send replies in order; for an inbox event sent again, from the first one not yet sent.

        With ``screen``, the last reply is the question on screen: the message carrying its buttons is noted.
        Returns whether one was noted (the chat's live question is a new message now).
        """
        event = _CURRENT.get()
        done = self._progress.get(event, 0) if event is not None else 0
        outs = render_turn(replies, today=self.today())
        noted = False
        for number, out in enumerate(outs[done:], start=done + 1):
            sent = await self.sender.send(chat_id, out)
            if screen and number == len(outs) and isinstance(out, OutText) and sent.has_keyboard:
                noted = await self.live.shown(chat_id, sent.message_id, out.text, replies[-1])
            if event is not None:
                if len(self._progress) >= PROGRESS_KEPT:
                    self._progress.pop(next(iter(self._progress)))
                self._progress[event] = number
        return noted

    async def push(self, chat_id: int, replies: list[Reply]) -> None:
        """Send replies nobody is waiting for (reminders), paced per chat."""
        await self.sender.push(chat_id, render_turn(replies, today=self.today()))

    async def _with_file(self, event: Incoming) -> Inbound:
        if event.file is None:
            return event.inbound
        if event.file.size is not None and event.file.size > min(MAX_DOWNLOAD_BYTES, MAX_ATTACHMENT_BYTES):
            return replace(event.inbound, unsupported=FILE_TOO_LARGE)
        try:
            content = await self.sender.download(event.file.file_id)
        except TelegramError as error:
            log.warning("telegram file of update %s could not be downloaded: %s", event.inbound.event_id, error)
            return replace(event.inbound, unsupported=FILE_UNAVAILABLE)
        return replace(event.inbound, attachment=Attachment(event.file.kind, event.file.filename, content,
                                                            event.file.mime_type))

    # --- buttons ---------------------------------------------------------------------------------------------

    async def _on_press(self, event: Incoming, press: Press, item: Claimed) -> None:
        control = press.control
        if control is None:
            await self._answer_button(event, press, item)
        elif control.kind is ControlKind.PAGE:
            await self._turn_page(event, press, item, control.screen, control.page)
        elif control.kind is ControlKind.MONTH and control.month and press.message_id and press.keyboard:
            markup = with_month(press.keyboard, control.screen, control.month)
            await self.sender.set_keyboard(event.chat_id, press.message_id, markup)

    async def _answer_button(self, event: Incoming, press: Press, item: Claimed) -> None:
        replies = await self._turn(event, item)
        if not replies:
            return
        screen = replies[-1]
        in_place = not is_link(press.data)  # a reminder's link buttons stay, all of them, for later
        redrawn = await self._redraw(event.chat_id, press, screen) if in_place and reply_prompt(
            screen) == pressed_screen(press.data) else None
        if redrawn is not None and press.message_id is not None:
            # The pressed question is still the live one, redrawn in place: a "that step has moved on" for a
            # button it no longer offers (a tick box tapped twice quickly) would only confuse.
            await self.send_replies(event.chat_id, [reply for reply in replies[:-1]
                                                    if reply.kind is not ReplyKind.STALE], screen=False)
            await self.live.shown(event.chat_id, press.message_id, redrawn, screen)
            return
        label = pressed_label(press.keyboard, press.data) or None
        before = await self.live.current(event.chat_id, _SEEN.get())
        noted = await self.send_replies(event.chat_id, replies)
        if press.message_id is not None and in_place and not any(reply.kind is ReplyKind.STALE for reply in replies):
            await self.live.retire(event.chat_id, press.message_id, press.text, label,  # a stale press: left be
                                   noted=noted)
        await self.live.supersede(event.chat_id, before, replies, label if in_place else None,
                                  pressed=press.message_id, noted=noted)

    async def _redraw(self, chat_id: int, press: Press, screen: Reply) -> str | None:
        """Show ``screen`` in the pressed message itself; its new text, or None when it cannot (too long, gone,
        refused)."""
        if press.message_id is None:
            return None
        day = picked_date(press.data)
        shown = press.text or ""
        if shown != screen.text and shown.endswith(f"{APART}{screen.text}"):
            screen = replace(screen, text=shown)  # the acknowledgement it came with (bot.chat_fold) stays on it
        outs = render(screen, today=self.today(), page=page_of(screen, press.data, press.keyboard),
                      month=day.replace(day=1) if day else None)
        if len(outs) != 1 or not isinstance(outs[0], OutText):
            return None
        return outs[0].text if await self.sender.edit(chat_id, press.message_id, outs[0],
                                                      shown_text=press.text) else None

    async def _turn_page(self, event: Incoming, press: Press, item: Claimed, screen_name: str, page: int) -> None:
        """Ask the service for the live screen; if it is still the pressed question, show it at ``page``."""
        replies = await self._turn(event, item)  # no text, no button: the engine just shows its screen
        if not replies:
            return
        screen = replies[-1]
        markup = render(screen, today=self.today(), page=page)[-1].keyboard
        if reply_prompt(screen) == screen_name and press.message_id is not None and await self.sender.set_keyboard(
                event.chat_id, press.message_id, markup):
            await self.send_replies(event.chat_id, replies[:-1], screen=False)
            return
        before = await self.live.current(event.chat_id, _SEEN.get())
        if reply_prompt(screen) != screen_name:
            noted = await self.send_replies(event.chat_id, [moved_on(), *replies])
        else:  # the message is gone or too old to edit: show the question anew
            noted = await self.send_replies(event.chat_id, replies)
        await self.live.supersede(event.chat_id, before, replies, None, noted=noted)
