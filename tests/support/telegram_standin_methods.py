"""What the stand-in Telegram does for each Bot API method Tidtam calls, and the state those methods change: the
chats as a Telegram app would show them (edits applied, HTML parsed into entities as Telegram counts them), the
files, the command menus, the webhook.

Apart from :mod:`tests.support.telegram_standin`, which serves these methods over HTTP, records every call, injects
faults and refusals and hands updates to the bot, so that Telegram's behaviour reads on its own.
"""

from __future__ import annotations

import copy
import itertools
import time
from html.parser import HTMLParser
from typing import Any

BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Tidtam", "username": "tidtam_test_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message")
Json = dict[str, Any]


class ApiError(Exception):
    """A 400 answer, with Telegram's wording."""


class BotApiMethods:
    """The chats, files, menus and webhook the Bot API methods change, and the methods themselves (``_m_<name>``,
    called with the decoded parameters and uploaded files; an :class:`ApiError` is the 400 Telegram answers)."""

    def __init__(self) -> None:
        self.chats: dict[int, dict[int, Json]] = {}
        self.commands: list[Json] = []  # the default menu
        self.chat_commands: dict[int, list[Json]] = {}  # chat → its own menu (BotCommandScopeChat)
        self.webhook: tuple[str, str] | None = None
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id → (file_path, content)
        self.answered: list[str] = []
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

    # --- what tests do -------------------------------------------------------------------------------------

    def user_message(self, chat: Json, sender: Json, **content: Any) -> Json:
        """A message the user writes, stored in the chat like any other."""
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat, "from": sender,
                   **content}
        self.chats.setdefault(chat["id"], {})[message["message_id"]] = message
        return copy.deepcopy(message)

    def add_file(self, content: bytes, path: str) -> tuple[str, str]:
        """Store a file the user uploads; returns its (file_id, file_unique_id)."""
        number = next(self._file_ids)
        file_id = f"FILE{number:04d}"
        self.files[file_id] = (path, content)
        return file_id, f"U{number:04d}"

    def messages(self, chat_id: int) -> list[Json]:
        """A chat as it looks now, oldest first."""
        return [copy.deepcopy(message) for _, message in sorted(self.chats.get(chat_id, {}).items())]

    # --- the Bot API methods -------------------------------------------------------------------------------

    def _m_getMe(self, params: Json, files: dict[str, tuple[str, bytes]]) -> Json:
        return BOT_USER

    def _m_setMyCommands(self, params: Json, files: dict[str, tuple[str, bytes]]) -> bool:
        scope = params.get("scope") or {"type": "default"}
        if scope["type"] == "default":
            self.commands = params["commands"]
        elif scope["type"] == "chat":
            self.chat_commands[int(scope["chat_id"])] = params["commands"]
        else:
            raise ApiError("Bad Request: scope not served by the stand-in")
        return True

    def _m_deleteMyCommands(self, params: Json, files: dict[str, tuple[str, bytes]]) -> bool:
        scope = params.get("scope") or {"type": "default"}
        if scope["type"] == "chat":
            self.chat_commands.pop(int(scope["chat_id"]), None)
        else:
            self.commands = []
        return True

    def menu_of(self, chat_id: int) -> list[str]:
        """The commands a chat's menu shows now: its own when set, else the default ones."""
        return [command["command"] for command in self.chat_commands.get(chat_id, self.commands)]

    def _m_setWebhook(self, params: Json, files: dict[str, tuple[str, bytes]]) -> bool:
        self.webhook = (params["url"], params.get("secret_token", ""))
        return True

    def _m_deleteWebhook(self, params: Json, files: dict[str, tuple[str, bytes]]) -> bool:
        self.webhook = None
        return True

    def _m_answerCallbackQuery(self, params: Json, files: dict[str, tuple[str, bytes]]) -> bool:
        if params["callback_query_id"] in self.answered:
            raise ApiError("Bad Request: query is too old and response timeout expired or query ID is invalid")
        self.answered.append(params["callback_query_id"])
        return True

    def _m_sendChatAction(self, params: Json, files: dict[str, tuple[str, bytes]]) -> bool:
        if params.get("action") not in ("typing", "upload_photo", "upload_document"):
            raise ApiError("Bad Request: wrong parameter action in request")
        int(params["chat_id"])  # a chat id, as for every method that sends
        return True

    def _m_sendMessage(self, params: Json, files: dict[str, tuple[str, bytes]]) -> Json:
        if not params.get("text"):
            raise ApiError("Bad Request: message text is empty")
        text, entities = params["text"], []
        if params.get("parse_mode") == "HTML":
            text, entities = parse_html(text)
        elif params.get("parse_mode"):
            raise ApiError(f"Bad Request: unsupported parse_mode {params['parse_mode']}")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise ApiError("Bad Request: message is too long")
        return self._store(params, text=text, **({"entities": entities} if entities else {}))

    def _m_sendDocument(self, params: Json, files: dict[str, tuple[str, bytes]]) -> Json:
        name, content = files["document"]
        file_id, unique = self.add_file(content, f"documents/{name}")
        return self._store(params, document={"file_id": file_id, "file_unique_id": unique, "file_name": name,
                                             "file_size": len(content)}, **_caption(params))

    def _m_sendPhoto(self, params: Json, files: dict[str, tuple[str, bytes]]) -> Json:
        name, content = files["photo"]
        file_id, unique = self.add_file(content, f"photos/{name}")
        return self._store(params, photo=[{"file_id": file_id, "file_unique_id": unique, "width": 1280,
                                           "height": 960, "file_size": len(content)}], **_caption(params))

    def _m_editMessageText(self, params: Json, files: dict[str, tuple[str, bytes]]) -> Json:
        message = self._message(params)
        markup = params.get("reply_markup")
        if message.get("text") == params["text"] and message.get("reply_markup") == markup:
            raise ApiError(NOT_MODIFIED)
        message["text"] = params["text"]
        _set_markup(message, markup)
        return copy.deepcopy(message)

    def _m_editMessageReplyMarkup(self, params: Json, files: dict[str, tuple[str, bytes]]) -> Json:
        message = self._message(params)
        markup = params.get("reply_markup")
        if message.get("reply_markup") == markup:
            raise ApiError(NOT_MODIFIED)
        _set_markup(message, markup)
        return copy.deepcopy(message)

    def _m_getFile(self, params: Json, files: dict[str, tuple[str, bytes]]) -> Json:
        file_id = params["file_id"]
        if file_id not in self.files:
            raise ApiError("Bad Request: invalid file_id")
        path, content = self.files[file_id]
        return {"file_id": file_id, "file_unique_id": f"U{file_id}", "file_size": len(content), "file_path": path}

    def _store(self, params: Json, **content: Any) -> Json:
        chat_id = int(params["chat_id"])
        message: Json = {"message_id": next(self._message_ids), "date": int(time.time()),
                         "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER, **content}
        _set_markup(message, params.get("reply_markup"))
        self.chats.setdefault(chat_id, {})[message["message_id"]] = message
        return copy.deepcopy(message)

    def _message(self, params: Json) -> Json:
        message = self.chats.get(int(params["chat_id"]), {}).get(int(params["message_id"]))
        if message is None:
            raise ApiError("Bad Request: message to edit not found")
        return message


HTML_ENTITIES = {"b": "bold", "code": "code", "pre": "pre"}  # the tags of Telegram's HTML we send, by entity


class _Entities(HTMLParser):
    """Telegram's HTML parse mode, for the tags we send (b, code, pre): the text and its entities, offsets and
    lengths in UTF-16 code units as Telegram counts them; an unknown tag or one left open is refused."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.entities, self.open = "", [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_ENTITIES:
            raise ApiError(f"Bad Request: can't parse entities: unsupported start tag \"{tag}\"")
        self.open.append((tag, _units(self.text)))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            raise ApiError(f"Bad Request: can't parse entities: unexpected end tag \"{tag}\"")
        _, start = self.open.pop()
        self.entities.append({"type": HTML_ENTITIES[tag], "offset": start, "length": _units(self.text) - start})

    def handle_data(self, data: str) -> None:
        self.text += data


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> tuple[str, list[Json]]:
    """What Telegram shows of an HTML message: its text and entities (refused as Telegram refuses bad HTML)."""
    parser = _Entities()
    parser.feed(source)
    parser.close()
    if parser.open:
        raise ApiError("Bad Request: can't parse entities: a tag is not closed")
    return parser.text, parser.entities


def entity_texts(message: Json, kind: str) -> list[str]:
    """The text under each entity of ``kind`` in a stored message (what a tap on a code block copies)."""
    encoded = message.get("text", "").encode("utf-16-le")
    return [encoded[entity["offset"] * 2:(entity["offset"] + entity["length"]) * 2].decode("utf-16-le")
            for entity in message.get("entities", []) if entity["type"] == kind]


def _caption(params: Json) -> Json:
    return {"caption": params["caption"]} if params.get("caption") else {}


def _set_markup(message: Json, markup: Json | None) -> None:
    if markup and markup.get("inline_keyboard"):
        message["reply_markup"] = markup
    else:
        message.pop("reply_markup", None)
