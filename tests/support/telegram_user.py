"""A person on Telegram, for end-to-end tests: types, taps buttons by their label, sends files — as updates.

The updates are what Telegram would send (JSON, through the stand-in server), and what the person sees
is the stand-in's copy of the chat, edits included. ``tap`` presses a button of the newest message that
has live buttons, turning its pages when the button is on another one, so the scenario of the transcript
tests (``say``/``tap``) runs here unchanged.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import Any

from tests.support.telegram_standin import TelegramStandin

Json = dict[str, Any]
Settle = Callable[[Json, int], Awaitable[None]]  # (update sent, number of calls before it) → when answered
INERT = "!x"
PAGE = "!p:"
NEXT, PREVIOUS = "▶️", "◀️"
TICKS = ("☑ ", "☐ ")
MAX_PAGE_TURNS = 30
_query_ids = itertools.count(1)


def buttons(message: Json) -> list[tuple[str, str]]:
    """(text, callback data) of a message's buttons, row by row."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(button["text"], button.get("callback_data", "")) for row in rows for button in row]


def live(message: Json) -> bool:
    """Whether a message still has buttons that do something."""
    return any(data and data != INERT for _, data in buttons(message))


class TelegramUser:
    """One Telegram account chatting with the bot in a private chat."""

    def __init__(self, standin: TelegramStandin, user_id: int, first_name: str, last_name: str = "", *,
                 settle: Settle) -> None:
        self.standin = standin
        self.id = user_id
        self.sender: Json = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "th"}
        if last_name:
            self.sender["last_name"] = last_name
        self.chat: Json = {"id": user_id, "type": "private", "first_name": first_name}
        self.settle = settle
        self.mark = 0  # calls made before the last update: what came after is the bot's answer to it
        self.last_update: Json = {}

    # --- doing ---------------------------------------------------------------------------------------------

    async def send(self, update: Json) -> list[int]:
        """Deliver one update and wait until the bot has answered it."""
        update.setdefault("update_id", self.standin.next_update_id())
        self.mark = len(self.standin.calls)
        self.last_update = update
        statuses = await self.standin.deliver(update)
        await self.settle(update, self.mark)
        return statuses

    def message_update(self, **content: Any) -> Json:
        """An update carrying a new message from this user (not yet sent)."""
        message = self.standin.user_message(self.chat, self.sender, **content)
        return {"update_id": self.standin.next_update_id(), "message": message}

    async def say(self, text: str) -> None:
        """Type a message (a leading ``/command`` is marked as one, as the apps do)."""
        extra: Json = {}
        if text.startswith("/"):
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split(" ", 1)[0])}]
        await self.send(self.message_update(text=text, **extra))

    def press_update(self, message: Json, data: str) -> Json:
        """An update for pressing the button ``data`` on ``message`` (as the chat shows it now)."""
        return {"update_id": self.standin.next_update_id(), "callback_query": {
            "id": f"q{next(_query_ids)}", "from": self.sender, "message": message, "chat_instance": f"c{self.id}",
            "data": data}}

    async def press(self, message: Json, data: str) -> None:
        """Press a button by its callback data, on a message as it looked when pressed."""
        await self.send(self.press_update(message, data))

    async def tap(self, label: str) -> None:
        """Press the button whose label equals (or else, alone, contains) ``label``, paging to find it."""
        direction = NEXT
        for _ in range(MAX_PAGE_TURNS):
            message = self.screen
            data = self._find(message, label)
            if data is not None:
                await self.press(message, data)
                return
            turn = next((data for text, data in buttons(message) if text == direction and data.startswith(PAGE)),
                        None)
            if turn is None and direction == NEXT:
                direction = PREVIOUS
                continue
            assert turn is not None, f"no button {label!r} on any page: {self.labels()}\n{self.transcript()}"
            await self.press(message, turn)
        raise AssertionError(f"button {label!r} not found after {MAX_PAGE_TURNS} page turns")

    async def send_document(self, filename: str, content: bytes, mime_type: str, caption: str = "", *,
                            size: int | None = None) -> None:
        """Send a file as a document (``size`` overrides the size Telegram reports, to stand for big files)."""
        file_id, unique = self.standin.add_file(content, f"documents/{filename}")
        document = {"file_id": file_id, "file_unique_id": unique, "file_name": filename, "mime_type": mime_type,
                    "file_size": len(content) if size is None else size}
        await self.send(self.message_update(document=document, **({"caption": caption} if caption else {})))

    async def send_photo(self, content: bytes) -> None:
        """Send a photo (Telegram lists a small preview first, then the full size)."""
        small_id, small_unique = self.standin.add_file(content[:10], "photos/small.jpg")
        file_id, unique = self.standin.add_file(content, "photos/full.jpg")
        photo = [{"file_id": small_id, "file_unique_id": small_unique, "width": 90, "height": 90, "file_size": 10},
                 {"file_id": file_id, "file_unique_id": unique, "width": 1280, "height": 960,
                  "file_size": len(content)}]
        await self.send(self.message_update(photo=photo))

    async def send_sticker(self) -> None:
        """Send a sticker."""
        sticker = {"file_id": "STICKER1", "file_unique_id": "S1", "type": "regular", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False}
        await self.send(self.message_update(sticker=sticker))

    # --- seeing --------------------------------------------------------------------------------------------

    @property
    def chat_messages(self) -> list[Json]:
        """The whole chat as it looks now."""
        return self.standin.messages(self.id)

    @property
    def bot_messages(self) -> list[Json]:
        """The bot's messages, oldest first."""
        return [message for message in self.chat_messages if message["from"].get("is_bot")]

    @property
    def screen(self) -> Json:
        """The newest message with live buttons: the question on screen."""
        with_buttons = [message for message in self.bot_messages if live(message)]
        assert with_buttons, f"no message with buttons\n{self.transcript()}"
        return with_buttons[-1]

    @property
    def last(self) -> list[Json]:
        """The messages the bot sent in answer to the last update (as they look now)."""
        new = set(self.standin.sent_since(self.mark, self.id))
        return [message for message in self.bot_messages if message["message_id"] in new]

    @property
    def edited(self) -> list[Json]:
        """The messages the bot redrew in answer to the last update (as they look now)."""
        changed = set(self.standin.edited_since(self.mark, self.id))
        return [message for message in self.bot_messages if message["message_id"] in changed]

    @property
    def text(self) -> str:
        """Everything the bot said in answer to the last update."""
        return "\n".join(message.get("text") or message.get("caption") or "" for message in self.last)

    def labels(self, message: Json | None = None) -> list[str]:
        """Labels of the live buttons on screen (or on ``message``)."""
        return [text for text, data in buttons(message or self.screen) if data and not data.startswith("!")]

    def transcript(self, last: int = 6) -> str:
        """The end of the chat, for assertion messages."""
        lines = []
        for message in self.chat_messages[-last:]:
            who = "bot" if message["from"].get("is_bot") else "user"
            lines.append(f"[{who} {message['message_id']}] {message.get('text', '')[:300]}")
            lines.extend(f"    [{text}]" for text, _ in buttons(message))
        return "\n".join(lines)

    def _find(self, message: Json, label: str) -> str | None:
        choices = [(_untick(text), data) for text, data in buttons(message) if data and not data.startswith("!")]
        exact = [data for text, data in choices if text == label]
        found = exact or [data for text, data in choices if label in text]
        assert len(found) <= 1 or exact, f"button {label!r} is ambiguous: {[text for text, _ in choices]}"
        return found[0] if found else None


def _untick(text: str) -> str:
    for tick in TICKS:
        if text.startswith(tick):
            return text[len(tick):]
    return text
