"""A stand-in Telegram Bot API server on 127.0.0.1, for tests (in the manner of aiohttp's examples/fake_server.py).

It serves the methods Tidtam uses, keeps every chat's messages as a Telegram app would show them (edits
applied), records every call, long-polls getUpdates from a queue or — once a webhook is set — posts each
update to it with the secret header, and fails calls on demand (429 with ``retry_after``, 403, 5xx), or
refuses with a 400, as Telegram does, every call whose parameters a test picks (one with a keyboard, say).
What each method does, and the chats, files and menus it changes, is
:mod:`tests.support.telegram_standin_methods`'s (``BOT_USER``, ``NOT_MODIFIED``, ``parse_html`` and
``entity_texts`` are named here too).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.support.telegram_standin_methods import (
    BOT_USER,
    NOT_MODIFIED,
    ApiError,
    BotApiMethods,
    Json,
    entity_texts,
    parse_html,
)

TOKEN = "123456789:AAF-stand-in_token_for_tests_0123456"
INT_FIELDS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "max_connections"})
JSON_FIELDS = frozenset({"reply_markup", "commands", "allowed_updates", "scope", "drop_pending_updates",
                         "show_alert", "link_preview_options", "reply_parameters", "entities", "caption_entities"})
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
REFUSED = "Bad Request: BUTTON_DATA_INVALID"  # what Telegram says of a keyboard it will not take

__all__ = ["BOT_USER", "NOT_MODIFIED", "REFUSED", "SECRET_HEADER", "TOKEN", "Call", "Fault", "TelegramStandin",
           "entity_texts", "parse_html"]


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


class TelegramStandin(BotApiMethods):
    """The server, its chats and its call log; ``base_url`` is what ``TELEGRAM_API_BASE_URL`` should be."""

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self.calls: list[Call] = []
        self.downloads: list[str] = []
        self.pressed: list[str] = []  # callback query ids handed to the bot, to check each was answered
        self._faults: list[Fault] = []
        self._refusals: list[tuple[str, Callable[[Json], bool], str]] = []
        self._pending: list[Json] = []
        self._update_ids = itertools.count(1)
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
        except ApiError as error:
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
        except ApiError as error:
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


def _error(status: int, description: str, parameters: Json | None = None) -> web.Response:
    body: Json = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


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
