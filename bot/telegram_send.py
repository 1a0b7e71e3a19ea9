"""The only place the Telegram channel talks to the Bot API: send, edit, answer, download — with retries.

Flood limits are python-telegram-bot's ``AIORateLimiter``: 30 messages a second overall, and a 429 is
retried after the server's ``retry_after``. Network errors are retried here with a growing pause; a send
that timed out after Telegram took it is therefore sent again — a repeated message rather than a lost one,
made rare by a generous read timeout. A 403 means the user blocked the bot: :class:`Blocked` is raised and
nothing more is sent to them. A message with buttons that Telegram refuses (400) is sent again as plain text,
its buttons written as lines to type, and the refusal logged: a refused answer is never silence.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from aiolimiter import AsyncLimiter
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, ExtBot
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.telegram_http import AiohttpRequest
from bot.telegram_limits import MAX_CALLBACK_ANSWER_CHARS, MESSAGES_PER_SECOND, MESSAGES_PER_SECOND_PER_CHAT
from bot.telegram_render import OutFile, Outgoing, OutText
from conversations.formatting import shorten

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 4  # tries of one call through network errors
FIRST_PAUSE = 0.5  # seconds before the second try; doubles each time
LONGEST_PAUSE = 30.0
RATE_LIMIT_RETRIES = 3  # 429s the rate limiter waits out before giving up on a call
NOT_MODIFIED = "message is not modified"
GONE = ("message to edit not found", "message can't be edited")  # no plain text would change that
OFFICIAL_API = "https://api.telegram.org/bot"
IDLE_PACERS_KEPT = 512
READ_TIMEOUT = 20.0  # seconds to wait for an answer (PTB: 5); a timed-out send is retried, so may repeat
CONNECTIONS = 8  # PTB defaults to one: every call, answers and reminders alike, would queue behind the last


# Texts and their edits go through ``Bot.do_api_request``, which hands back Telegram's answer as JSON: the typed
# methods build a ``Message`` (a dozen TelegramObjects) from every answer, a third of a request's CPU, when only
# its id is read. The request is the same (PTB encodes the parameters, maps the errors, the rate limiter paces it);
# do_api_request only warns that a typed method exists, which is the point of not using it.
RAW_METHODS = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "getUpdates")  # polling's: its JSON is kept
_TYPED_EXISTS = rf"Please use 'Bot\.({'|'.join(RAW_METHODS)})' instead"


# Our buttons carry a text and callback data only; a button with any other field is written out by PTB (to_dict).
_OTHER_FIELDS = tuple(name for name in InlineKeyboardButton.__slots__ if name not in ("text", "callback_data"))


def keyboard_json(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | dict[str, Any] | None:
    """The keyboard as the Bot API takes it, written out here (PTB's generic ``to_dict`` walks every attribute of
    every button: 0.13 → 0.04 ms a six-button keyboard, 0.4–0.8 → 0.1 a calendar); the markup itself when a button
    has more than ours do."""
    if markup is None:
        return None
    rows = []
    for row in markup.inline_keyboard:
        buttons = []
        for button in row:
            if button.callback_data is None or button.api_kwargs or any(
                    getattr(button, name) is not None for name in _OTHER_FIELDS):
                return markup
            buttons.append({"text": button.text, "callback_data": button.callback_data})
        rows.append(buttons)
    return {"inline_keyboard": rows}


class Blocked(Exception):
    """The user blocked the bot (403 Forbidden): stop sending to them."""


@dataclass(frozen=True, slots=True)
class Sent:
    """A message Telegram took: its id, and whether it carries buttons (as Telegram answered)."""

    message_id: int
    has_keyboard: bool

    @classmethod
    def of(cls, answer: dict[str, Any] | Message) -> Sent:
        """From Telegram's answer as JSON (``do_api_request``) or as a ``Message`` (a typed method's)."""
        if isinstance(answer, Message):
            return cls(answer.message_id, answer.reply_markup is not None)
        return cls(int(answer["message_id"]), answer.get("reply_markup") is not None)


def build_bot(token: str, base_url: str | None = None, *, rate: float = MESSAGES_PER_SECOND) -> ExtBot[int]:
    """The python-telegram-bot client with its rate limiter (``rate`` messages a second over all chats),
    pointed at ``base_url`` when one is given.

    Files are fetched from the same server: ``…/bot`` becomes ``…/file/bot``, as the Bot API lays them out.
    """
    api = (base_url or OFFICIAL_API).rstrip("/")
    files = f"{api.removesuffix('/bot')}/file/bot" if api.endswith("/bot") else f"{api}/file"
    limiter = AIORateLimiter(overall_max_rate=rate, overall_time_period=1,
                             max_retries=RATE_LIMIT_RETRIES)
    return ExtBot(token, base_url=api, base_file_url=files, rate_limiter=limiter,
                  request=AiohttpRequest(read_timeout=READ_TIMEOUT, connections=CONNECTIONS))


def retry_seconds(error: RetryAfter) -> float:
    """The server's ``retry_after`` in seconds (PTB 22 returns an int or a timedelta and warns about it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Backoff:
    """Pauses that double after each failure, up to a ceiling, and start over after a success."""

    def __init__(self, first: float = FIRST_PAUSE, longest: float = LONGEST_PAUSE) -> None:
        self.first = first
        self.longest = longest
        self._next = first

    def next(self) -> float:
        """The pause before the next try."""
        pause = self._next
        self._next = min(self._next * 2, self.longest)
        return pause

    def reset(self) -> None:
        """After a success."""
        self._next = self.first


TYPING_TIMEOUT = 2.0  # seconds a "typing…" may take before it is given up


class TelegramSender:
    """Sends rendered messages through a PTB ``Bot``; every call is retried through network errors."""

    def __init__(self, bot: Bot, *, attempts: int = ATTEMPTS, first_pause: float = FIRST_PAUSE) -> None:
        self.bot = bot
        self.attempts = attempts
        self.first_pause = first_pause
        self._pacers: dict[int, AsyncLimiter] = {}
        warnings.filterwarnings("ignore", _TYPED_EXISTS, PTBUserWarning)  # see RAW_METHODS; set again if reset

    async def _raw(self, method: str, params: dict[str, Any]) -> Any:
        """One Bot API call of :data:`RAW_METHODS`, Telegram's ``result`` as JSON (None values are left out).

        Errors are python-telegram-bot's, as the typed methods raise them, but for one: a token Telegram no longer
        knows (401/404) comes as ``EndPointNotFound`` ("Endpoint 'sendMessage' not found") where a typed method
        says ``InvalidToken``. Neither is retried; the log reads "endpoint" where the cause is the token."""
        return await self.bot.do_api_request(method, api_kwargs=params)

    async def call(self, what: str, request: Callable[[], Awaitable[T]]) -> T:
        """Run one Bot API call, retrying network errors with a growing pause.

        Raises:
            Blocked: the user blocked the bot.
            TelegramError: a request Telegram refused (400) or kept failing; the caller decides.
        """
        backoff = Backoff(self.first_pause)
        for attempt in range(1, self.attempts + 1):
            try:
                return await request()
            except Forbidden as refused:
                raise Blocked(str(refused)) from refused
            except BadRequest:
                raise
            except RetryAfter as flood:  # the rate limiter already waited RATE_LIMIT_RETRIES times
                if attempt == self.attempts:
                    raise
                await asyncio.sleep(retry_seconds(flood))
            except NetworkError as error:
                if attempt == self.attempts:
                    raise
                pause = backoff.next()
                log.warning("telegram %s failed (%s), try %d of %d in %.1fs", what, error, attempt + 1,
                            self.attempts, pause)
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")

    async def send(self, chat_id: int, out: Outgoing) -> Sent:
        """Send one rendered message; a text with buttons that Telegram refuses goes again as plain text.

        Returns the message sent (the last part of the plain text, when it was split).
        """
        if not isinstance(out, OutText):
            return Sent.of(await self._send_file(chat_id, out))
        params = {"chat_id": chat_id, "text": out.text, "parse_mode": ParseMode.HTML if out.html else None,
                  "reply_markup": keyboard_json(out.keyboard)}  # as Bot.send_message lays them out
        try:
            return Sent.of(await self.call("sendMessage", partial(self._raw, "sendMessage", params)))
        except BadRequest as refused:
            if out.keyboard is None and not out.html:
                raise
            _refused("sendMessage", chat_id, refused)
            return await self._send_plain(chat_id, out.plain or (out.text,))

    async def _send_plain(self, chat_id: int, parts: tuple[str, ...]) -> Sent:
        sent: Sent | None = None
        for part in parts:
            sent = Sent.of(await self.call("sendMessage", partial(self._raw, "sendMessage",
                                                                  {"chat_id": chat_id, "text": part})))
        assert sent is not None, "a message has at least one part"
        return sent

    async def _send_file(self, chat_id: int, out: OutFile) -> Message:
        """Uploads keep the typed methods (PTB makes the multipart body); they are rare."""
        attachment = out.attachment
        caption = out.caption or None
        if attachment.kind == "image":
            return await self.call("sendPhoto", lambda: self.bot.send_photo(
                chat_id, attachment.content, caption=caption, reply_markup=out.keyboard,
                filename=attachment.filename))
        return await self.call("sendDocument", lambda: self.bot.send_document(
            chat_id, attachment.content, caption=caption, reply_markup=out.keyboard, filename=attachment.filename))

    async def push(self, chat_id: int, outs: list[Outgoing]) -> None:
        """Send to a chat that did not just write (a reminder), at most one message a second per chat."""
        if len(self._pacers) > IDLE_PACERS_KEPT:  # forget chats whose pace has fully recovered
            self._pacers = {chat: pacer for chat, pacer in self._pacers.items()
                            if chat == chat_id or not pacer.has_capacity(pacer.max_rate)}
        pacer = self._pacers.setdefault(chat_id, AsyncLimiter(MESSAGES_PER_SECOND_PER_CHAT, 1))
        for out in outs:
            async with pacer:
                await self.send(chat_id, out)

    async def edit(self, chat_id: int, message_id: int, out: OutText, *, shown_text: str) -> bool:
        """Redraw a message in place (its text only when it changed); False when Telegram would not.

        When Telegram refuses the redraw with its buttons, the message becomes the plain text (its buttons as
        lines to type) where that fits in one message.
        """
        same_text = out.text.strip() == shown_text.strip()
        method = "editMessageReplyMarkup" if same_text else "editMessageText"
        # the parameters as Bot.edit_message_reply_markup and Bot.edit_message_text lay them out
        params: dict[str, Any] = {"chat_id": chat_id, "message_id": message_id,
                                  "reply_markup": keyboard_json(out.keyboard)}
        if not same_text:
            params = {"text": out.text, **params}
        try:
            await self.call(method, partial(self._raw, method, params))
        except BadRequest as refused:
            reason = str(refused).lower()
            if any(words in reason for words in (NOT_MODIFIED, *GONE)) or out.keyboard is None or len(out.plain) != 1:
                return _unchanged(refused, "redraw", message_id)
            _refused(method, chat_id, refused)
            try:
                await self.call("editMessageText", partial(self._raw, "editMessageText", {
                    "text": out.plain[0], "chat_id": chat_id, "message_id": message_id}))
            except BadRequest as again:
                return _unchanged(again, "redraw", message_id)
        return True

    async def set_keyboard(self, chat_id: int, message_id: int, markup: InlineKeyboardMarkup | None) -> bool:
        """Replace (or, with None, remove) the buttons of a message; False when Telegram would not."""
        try:
            await self.call("editMessageReplyMarkup", partial(self._raw, "editMessageReplyMarkup", {
                "chat_id": chat_id, "message_id": message_id, "reply_markup": keyboard_json(markup)}))
        except BadRequest as refused:
            return _unchanged(refused, "change the buttons of", message_id)
        return True

    async def answer(self, query_id: str, text: str | None = None) -> None:
        """Stop the button's spinner. Never raises: an answer that fails only leaves the spinner a while."""
        shown = shorten(text, MAX_CALLBACK_ANSWER_CHARS) if text else None
        try:
            await self.call("answerCallbackQuery", lambda: self.bot.answer_callback_query(query_id, text=shown))
        except (TelegramError, Blocked) as error:
            log.info("telegram answerCallbackQuery failed: %s", error)

    async def typing(self, chat_id: int) -> None:
        """Show "typing…" in the chat (Telegram clears it after 5 s or with the next message). Never raises:
        it only tells the person the bot is working."""
        try:  # one attempt, briefly: a retry would only delay the answer it announces
            async with asyncio.timeout(TYPING_TIMEOUT):
                await self.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except (TelegramError, TimeoutError) as error:
            log.info("telegram sendChatAction failed: %s", error)

    async def download(self, file_id: str) -> bytes:
        """The content of a file the user sent (getFile, then the file's URL)."""
        file = await self.call("getFile", lambda: self.bot.get_file(file_id))
        return bytes(await self.call("file download", file.download_as_bytearray))


def _refused(method: str, chat_id: int, refused: BadRequest) -> None:
    log.warning("telegram refused %s to %s (%s): sending it as plain text", method, chat_id, refused)


def _unchanged(refused: BadRequest, what: str, message_id: int) -> bool:
    if NOT_MODIFIED in str(refused).lower():
        return True
    log.info("telegram could not %s message %d: %s", what, message_id, refused)
    return False
