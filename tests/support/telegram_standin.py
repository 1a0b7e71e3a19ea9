"""A stand-in Telegram Bot API server on 127.0.0.1, for tests (in the manner of aiohttp's examples/fake_server.py).

It serves the methods Tidtam uses, keeps every chat's messages as a Telegram app would show them (edits
applied), records every call, long-polls getUpdates from a queue or — once a webhook is set — posts each
update to it with the secret header, and fails calls on demand (429 with ``retry_after``, 403, 5xx), or
refuses with a 400, as Telegram does, every call whose parameters a test picks (one with a keyboard, say).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "123456789:AAF-stand-in_token_for_tests_0123456"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Tidtam", "username": "tidtam_test_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
INT_FIELDS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "max_connections"})
JSON_FIELDS = frozenset({"reply_markup", "commands", "allowed_updates", "scope", "drop_pending_updates",
                         "show_alert", "link_preview_options", "reply_parameters", "entities", "caption_entities"})
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
REFUSED = "Bad Request: BUTTON_DATA_INVALID"  # what Telegram says of a keyboard it will not take
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message")
Json = dict[str, Any]


@dataclass
class Call:
    """One request the bot made: method, decoded parameters, uploaded files, when, and our answer's status."""

    method: str
    params: Json
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = 0.0
    status: int = 200
    message_id: int | None = None  # the message sent or edited, when the call succeeded
    refusal: str = ""  # the description of a 400 asked for with TelegramStandin.refuse
    in_reply: bool = False  # made in the answer to a webhook delivery, not as a request of its own


@dataclass
class Fault:
    """Answer the next ``times`` calls of ``method`` (to ``chat_id``, if given) with an error."""

    method: str
    status: int
    description: str
    retry_after: int | None = None
    chat_id: int | None = None
    times: int = 1


class TelegramStandin:
    """The server, its chats and its call log; ``base_url`` is what ``TELEGRAM_API_BASE_URL`` should be."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.chats: dict[int, dict[int, Json]] = {}
        self.commands: list[Json] = []  # the default menu
        self.chat_commands: dict[int, list[Json]] = {}  # chat → its own menu (BotCommandScopeChat)
        self.webhook: tuple[str, str] | None = None
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id → (file_path, content)
        self.downloads: list[str] = []
        self.answered: list[str] = []
        self.pressed: list[str] = []  # callback query ids handed to the bot, to check each was answered
        self._faults: list[Fault] = []
        self._refusals: list[tuple[str, Callable[[Json], bool], str]] = []
        self._pending: list[Json] = []
        self._message_ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0

    # --- running -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on 127.0.0.1 at a free port."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        """Stop listening (a long poll still open is answered at once, with nothing)."""
        async with self._changed:
            self._closing = True
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """The Bot API base URL (the token is appended by python-telegram-bot)."""
        return f"http://127.0.0.1:{self.port}/bot"

    # --- what tests do -------------------------------------------------------------------------------------

    def fail(self, method: str, status: int, description: str, *, retry_after: int | None = None,
             chat_id: int | None = None, times: int = 1) -> None:
        """Make the next calls of ``method`` fail (429 with ``retry_after``, 403, 502…)."""
        self._faults.append(Fault(method, status, description, retry_after, chat_id, times))

    def refuse(self, method: str, when: Callable[[Json], bool], description: str = REFUSED) -> None:
        """From now on answer 400 with ``description`` to every call of ``method`` whose parameters satisfy
        ``when`` (e.g. ``lambda params: "reply_markup" in params``); nothing of it is sent or changed."""
        self._refusals.append((method, when, description))

    def refused(self, method: str | None = None) -> list[Call]:
        """Calls refused by :meth:`refuse` (of ``method``, when given), oldest first."""
        descriptions = {description for _, _, description in self._refusals}
        return [call for call in self.calls if call.status == 400 and call.refusal in descriptions
                and method in (None, call.method)]

    def next_update_id(self) -> int:
        """A fresh update id."""
        return next(self._update_ids)

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

    async def deliver(self, *updates: Json) -> list[int]:
        """Hand updates to the bot the way Telegram would: to its webhook if one is set, else to getUpdates.

        Returns the webhook's HTTP statuses (empty when the updates were queued for polling).
        """
        if self.webhook is None:
            self.pressed.extend(update["callback_query"]["id"] for update in updates if "callback_query" in update)
            async with self._changed:
                self._pending.extend(copy.deepcopy(update) for update in updates)
                self._changed.notify_all()
            return []
        url, secret = self.webhook
        statuses = []
        async with aiohttp.ClientSession() as session:
            for update in updates:
                async with session.post(url, json=update, headers={SECRET_HEADER: secret}) as response:
                    statuses.append(response.status)
                    body = await response.read()
                if response.status == 200 and "callback_query" in update:
                    self.pressed.append(update["callback_query"]["id"])
                if response.status == 200 and body:
                    await self._answered_in_reply(json.loads(body))
        return statuses

    async def _answered_in_reply(self, request: Json) -> None:
        """A Bot API call made in the webhook's answer (the Bot API allows one): carried out, recorded as a call
        like any other, its result (as Telegram's) never seen by the bot."""
        method = str(request.pop("method"))
        call = Call(method, request, {}, asyncio.get_running_loop().time(), in_reply=True)
        try:
            result = getattr(self, f"_m_{method}")(request, {})
        except _ApiError as error:
            call.status, call.refusal = 400, str(error)
        else:
            if isinstance(result, dict) and "message_id" in result:
                call.message_id = result["message_id"]
        await self._record(call)

    async def wait_for(self, condition: Callable[[], bool], seconds: float = 20.0) -> None:
        """Wait until ``condition()`` holds; it is checked after every call the bot makes."""
        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(condition)

    async def polled_past(self, update_id: int) -> None:
        """Wait until the bot asked for updates after ``update_id``: it has taken that one and queued it."""
        await self.wait_for(lambda: any(
            call.method == "getUpdates" and int(call.params.get("offset") or 0) > update_id for call in self.calls))

    def called(self, method: str, **params: Any) -> list[Call]:
        """Successful calls of ``method`` whose parameters include ``params``."""
        return [call for call in self.calls if call.method == method and call.status == 200
                and all(call.params.get(name) == value for name, value in params.items())]

    def sent_since(self, mark: int, chat_id: int) -> list[int]:
        """Ids of the messages sent to ``chat_id`` by the calls after the first ``mark`` ones."""
        return [call.message_id for call in self.calls[mark:] if call.method.startswith("send")
                and call.message_id is not None and call.params.get("chat_id") == chat_id]

    def edited_since(self, mark: int, chat_id: int) -> list[int]:
        """Ids of the messages of ``chat_id`` edited by the calls after the first ``mark`` ones."""
        return [call.message_id for call in self.calls[mark:] if call.method.startswith("edit")
                and call.message_id is not None and call.params.get("chat_id") == chat_id]

    def messages(self, chat_id: int) -> list[Json]:
        """A chat as it looks now, oldest first."""
        return [copy.deepcopy(message) for _, message in sorted(self.chats.get(chat_id, {}).items())]

    # --- the Bot API ---------------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        params, files = await _read_params(request)
        call = Call(method, params, files, asyncio.get_running_loop().time())
        fault = self._fault(method, params.get("chat_id"))
        if fault is not None:
            call.status = fault.status
            await self._record(call)
            extra = {"retry_after": fault.retry_after} if fault.retry_after is not None else None
            return _error(fault.status, fault.description, extra)
        refusal = next((description for refused, when, description in self._refusals
                        if refused == method and when(params)), None)
        if refusal is not None:
            call.status, call.refusal = 400, refusal
            await self._record(call)
            return _error(400, refusal)
        if method == "getUpdates":
            return await self._get_updates(call)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            call.status = 404
            await self._record(call)
            return _error(404, "Not Found")
        try:
            result = handler(params, files)
        except _ApiError as error:
            call.status = 400
            await self._record(call)
            return _error(400, str(error))
        if isinstance(result, dict) and "message_id" in result:
            call.message_id = result["message_id"]
        await self._record(call)
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        for stored_path, content in reversed(self.files.values()):  # the newest of a name sent twice
            if stored_path == path:
                self.downloads.append(path)
                return web.Response(body=content)
        return web.Response(status=404)

    def _fault(self, method: str, chat_id: object) -> Fault | None:
        for fault in self._faults:
            if fault.method == method and fault.times > 0 and fault.chat_id in (None, chat_id):
                fault.times -= 1
                return fault
        return None

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _get_updates(self, call: Call) -> web.Response:
        if self.webhook is not None:
            call.status = 409
            await self._record(call)
            return _error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook")
        offset = int(call.params.get("offset") or 0)
        limit = int(call.params.get("limit") or 100)
        await self._record(call)
        async with self._changed:
            self._pending = [update for update in self._pending if update["update_id"] >= offset]
            try:
                async with asyncio.timeout(float(call.params.get("timeout") or 0)):
                    await self._changed.wait_for(lambda: bool(self._pending) or self._closing)
            except TimeoutError:
                pass
            batch = self._pending[:limit]
        return web.json_response({"ok": True, "result": batch})

    def _m_getMe(self, params: Json, files: dict[str, tuple[str, bytes]]) -> Json:
        return BOT_USER

    def _m_setMyCommands(self, params: Json, files: dict[str, tuple[str, bytes]]) -> bool:
        scope = params.get("scope") or {"type": "default"}
        if scope["type"] == "default":
            self.commands = params["commands"]
        elif scope["type"] == "chat":
            self.chat_commands[int(scope["chat_id"])] = params["commands"]
        else:
            raise _ApiError("Bad Request: scope not served by the stand-in")
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
            raise _ApiError("Bad Request: query is too old and response timeout expired or query ID is invalid")
        self.answered.append(params["callback_query_id"])
        return True

    def _m_sendChatAction(self, params: Json, files: dict[str, tuple[str, bytes]]) -> bool:
        if params.get("action") not in ("typing", "upload_photo", "upload_document"):
            raise _ApiError("Bad Request: wrong parameter action in request")
        int(params["chat_id"])  # a chat id, as for every method that sends
        return True

    def _m_sendMessage(self, params: Json, files: dict[str, tuple[str, bytes]]) -> Json:
        if not params.get("text"):
            raise _ApiError("Bad Request: message text is empty")
        text, entities = params["text"], []
        if params.get("parse_mode") == "HTML":
            text, entities = parse_html(text)
        elif params.get("parse_mode"):
            raise _ApiError(f"Bad Request: unsupported parse_mode {params['parse_mode']}")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise _ApiError("Bad Request: message is too long")
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
            raise _ApiError(NOT_MODIFIED)
        message["text"] = params["text"]
        _set_markup(message, markup)
        return copy.deepcopy(message)

    def _m_editMessageReplyMarkup(self, params: Json, files: dict[str, tuple[str, bytes]]) -> Json:
        message = self._message(params)
        markup = params.get("reply_markup")
        if message.get("reply_markup") == markup:
            raise _ApiError(NOT_MODIFIED)
        _set_markup(message, markup)
        return copy.deepcopy(message)

    def _m_getFile(self, params: Json, files: dict[str, tuple[str, bytes]]) -> Json:
        file_id = params["file_id"]
        if file_id not in self.files:
            raise _ApiError("Bad Request: invalid file_id")
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
            raise _ApiError("Bad Request: message to edit not found")
        return message


class _ApiError(Exception):
    """A 400 answer, with Telegram's wording."""


HTML_ENTITIES = {"b": "bold", "code": "code", "pre": "pre"}  # the tags of Telegram's HTML we send, by entity


class _Entities(HTMLParser):
    """Telegram's HTML parse mode, for the tags we send (b, code, pre): the text and its entities, offsets and
    lengths in UTF-16 code units as Telegram counts them; an unknown tag or one left open is refused."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.entities, self.open = "", [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_ENTITIES:
            raise _ApiError(f"Bad Request: can't parse entities: unsupported start tag \"{tag}\"")
        self.open.append((tag, _units(self.text)))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            raise _ApiError(f"Bad Request: can't parse entities: unexpected end tag \"{tag}\"")
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
        raise _ApiError("Bad Request: can't parse entities: a tag is not closed")
    return parser.text, parser.entities


def entity_texts(message: Json, kind: str) -> list[str]:
    """The text under each entity of ``kind`` in a stored message (what a tap on a code block copies)."""
    encoded = message.get("text", "").encode("utf-16-le")
    return [encoded[entity["offset"] * 2:(entity["offset"] + entity["length"]) * 2].decode("utf-16-le")
            for entity in message.get("entities", []) if entity["type"] == kind]


def _error(status: int, description: str, parameters: Json | None = None) -> web.Response:
    body: Json = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def _caption(params: Json) -> Json:
    return {"caption": params["caption"]} if params.get("caption") else {}


def _set_markup(message: Json, markup: Json | None) -> None:
    if markup and markup.get("inline_keyboard"):
        message["reply_markup"] = markup
    else:
        message.pop("reply_markup", None)


async def _read_params(request: web.Request) -> tuple[Json, dict[str, tuple[str, bytes]]]:
    """Parameters as python-telegram-bot sends them: form fields, JSON-encoded where not plain strings."""
    params: Json = {}
    files: dict[str, tuple[str, bytes]] = {}
    if request.content_type == "application/json":
        return dict(await request.json()), files
    form = await request.post()
    uploads = {name: value for name, value in form.items() if isinstance(value, web.FileField)}
    for name, value in form.items():
        if isinstance(value, web.FileField):
            continue
        attached = uploads.pop(value[len("attach://"):], None) if value.startswith("attach://") else None
        if attached is not None:
            files[name] = (attached.filename, attached.file.read())
        elif name in INT_FIELDS:
            params[name] = int(value)
        elif name in JSON_FIELDS:
            params[name] = json.loads(value)
        else:
            params[name] = value
    for name, upload in uploads.items():  # a file sent as the parameter itself (sendDocument, sendPhoto)
        files[name] = (upload.filename, upload.file.read())
    return params, files
