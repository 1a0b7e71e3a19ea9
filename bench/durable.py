"""The honest baseline of the turn benchmark: the least a durable chat turn must do, written plainly.

``python -m bench.durable DATABASE_URL SESSION_BYTES LINE_SECRET TELEGRAM_SECRET LINE_TOKEN LINE_URL
TELEGRAM_TOKEN TELEGRAM_URL`` (the stand-ins' made-up credentials and addresses) serves ``POST /webhook/line``
and ``POST /webhook/telegram`` on 127.0.0.1 and prints its port and process id. For every event of a genuine
webhook it does exactly this: check the LINE signature or the Telegram secret; in one transaction record the
event id (a repeated one is dropped), read the person's session row, write it back with a JSON state of
``SESSION_BYTES`` bytes (the size Tidtam's sessions have), insert one answer row and one audit row, commit; then
answer 200 and reply with two messages — a text and a question with four buttons — through line-bot-sdk's reply
(by token) or python-telegram-bot's ``send_message``, to the same stand-ins as the service. Same database and
driver (aiosqlite with WAL and SQLite's default full sync, asyncpg with a pool), no ORM, no inbox, no engine: a
stored turn cannot cost less.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import aiosqlite
import asyncpg
from aiohttp import web
from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration, ReplyMessageRequest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from api.log_setup import redact
from api.settings import load_settings
from models.db import POOL_SIZE, is_postgres

Json = dict[str, Any]
BUTTONS = ("ใช่", "ไม่ใช่", "ย้อนกลับ", "เมนู")
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS durable_event (platform TEXT NOT NULL, event_id TEXT NOT NULL, "
    "PRIMARY KEY (platform, event_id))",
    "CREATE TABLE IF NOT EXISTS durable_session (platform TEXT NOT NULL, user_ref TEXT NOT NULL, state TEXT NOT NULL, "
    "version INTEGER NOT NULL, PRIMARY KEY (platform, user_ref))",
    "CREATE TABLE IF NOT EXISTS durable_answer (user_ref TEXT NOT NULL, value TEXT NOT NULL, at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS durable_audit (user_ref TEXT NOT NULL, field TEXT NOT NULL, before TEXT, "
    "after TEXT, at TEXT NOT NULL)",
]


class Store(Protocol):
    """One durable turn's writes, in one transaction; False when the event was seen before."""

    async def turn(self, platform: str, event_id: str, user: str, text: str) -> bool:
        """Record, read, write back, insert, commit."""
        ...


def _state(size: int, text: str) -> str:
    """A session state of about ``size`` bytes, as Tidtam keeps one (answers, the step, the screen's values)."""
    answers = {f"field_{number:03d}": "ค่าตัวอย่างของคำตอบ" for number in range(max(size // 60, 1))}
    return json.dumps({"flow": "report", "step": "kpi.value", "answers": answers, "last": text},
                      ensure_ascii=False)[:size]


class SqliteStore:
    """aiosqlite on one connection, one transaction at a time (as Tortoise does), WAL and full sync."""

    def __init__(self, connection: aiosqlite.Connection, size: int) -> None:
        self.connection = connection
        self.size = size
        self.lock = asyncio.Lock()

    async def turn(self, platform: str, event_id: str, user: str, text: str) -> bool:
        now = datetime.now(UTC).isoformat()
        async with self.lock:
            db = self.connection
            await db.execute("BEGIN")
            try:
                seen = await db.execute("INSERT INTO durable_event VALUES (?, ?) ON CONFLICT DO NOTHING",
                                        (platform, event_id))
                if seen.rowcount == 0:
                    await db.execute("ROLLBACK")
                    return False
                row = await (await db.execute("SELECT state, version FROM durable_session WHERE platform = ? AND "
                                              "user_ref = ?", (platform, user))).fetchone()
                state, version = _state(self.size, text), (row[1] + 1 if row else 0)
                await db.execute("INSERT INTO durable_session VALUES (?, ?, ?, ?) ON CONFLICT (platform, user_ref) "
                                 "DO UPDATE SET state = excluded.state, version = excluded.version",
                                 (platform, user, state, version))
                await db.execute("INSERT INTO durable_answer VALUES (?, ?, ?)", (user, text, now))
                await db.execute("INSERT INTO durable_audit VALUES (?, ?, ?, ?, ?)",
                                 (user, "last", row[0][:40] if row else None, text, now))
                await db.execute("COMMIT")
            except BaseException:
                await db.execute("ROLLBACK")
                raise
        return True


class PostgresStore:
    """asyncpg with a pool the size of the service's."""

    def __init__(self, pool: asyncpg.Pool, size: int) -> None:
        self.pool = pool
        self.size = size

    async def turn(self, platform: str, event_id: str, user: str, text: str) -> bool:
        now = datetime.now(UTC)
        async with self.pool.acquire() as db, db.transaction():
            seen = await db.execute("INSERT INTO durable_event VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                    platform, event_id)
            if seen.endswith(" 0"):
                return False
            row = await db.fetchrow("SELECT state, version FROM durable_session WHERE platform = $1 AND "
                                    "user_ref = $2 FOR UPDATE", platform, user)
            state, version = _state(self.size, text), (row["version"] + 1 if row else 0)
            await db.execute("INSERT INTO durable_session VALUES ($1, $2, $3, $4) ON CONFLICT (platform, user_ref) "
                             "DO UPDATE SET state = excluded.state, version = excluded.version",
                             platform, user, state, version)
            await db.execute("INSERT INTO durable_answer VALUES ($1, $2, $3)", user, text, now.isoformat())
            await db.execute("INSERT INTO durable_audit VALUES ($1, $2, $3, $4, $5)", user, "last",
                             row["state"][:40] if row else None, text, now.isoformat())
        return True


@dataclass(frozen=True, slots=True)
class Platforms:
    """What the two webhooks check, and where their replies go."""

    line_secret: str
    telegram_secret: str
    line_token: str
    line_url: str
    telegram_token: str
    telegram_url: str


def app(store: Store, platforms: Platforms, line: AsyncMessagingApi, bot: Bot) -> web.Application:
    """The two webhooks: check, store, answer 200, reply."""
    line_key = platforms.line_secret.encode()
    telegram_secret = platforms.telegram_secret.encode()
    sending: set[asyncio.Task[Any]] = set()

    def later(coroutine: Any) -> None:  # replies go out after the 200, as the service sends after storing
        task = asyncio.ensure_future(coroutine)
        sending.add(task)
        task.add_done_callback(sending.discard)

    async def line_webhook(request: web.Request) -> web.Response:
        body = await request.read()
        signature = base64.b64encode(hmac.new(line_key, body, hashlib.sha256).digest())
        if not hmac.compare_digest(signature, request.headers.get("X-Line-Signature", "").encode()):
            return web.Response(status=400)
        for event in json.loads(body)["events"]:
            text = (event.get("message") or {}).get("text") or (event.get("postback") or {}).get("data", "")
            if await store.turn("line", event["webhookEventId"], event["source"]["userId"], text):
                later(line.reply_message(ReplyMessageRequest.from_dict({"replyToken": event["replyToken"],
                                                                        "messages": _line_messages(text)})))
        return web.Response(status=200)

    async def telegram_webhook(request: web.Request) -> web.Response:
        body = await request.read()
        if not hmac.compare_digest(request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode(),
                                   telegram_secret):
            return web.Response(status=403)
        update = json.loads(body)
        message = update.get("message") or (update.get("callback_query") or {}).get("message") or {}
        chat = int(message["chat"]["id"])
        text = message.get("text", "")
        if await store.turn("telegram", str(update["update_id"]), str(chat), text):
            later(_telegram_reply(bot, chat, text))
        return web.Response(status=200)

    application = web.Application()
    application.router.add_post("/webhook/line", line_webhook)
    application.router.add_post("/webhook/telegram", telegram_webhook)
    return application


def _line_messages(text: str) -> list[Json]:
    items = [{"type": "action", "action": {"type": "postback", "label": label, "data": f"1.{number}",
                                           "displayText": label}} for number, label in enumerate(BUTTONS)]
    return [{"type": "text", "text": f"✔️ รับทราบ: {text}"[:5000]},
            {"type": "text", "text": "คำถามถัดไปค่ะ", "quickReply": {"items": items}}]


async def _telegram_reply(bot: Bot, chat: int, text: str) -> None:
    await bot.send_message(chat, f"✔️ รับทราบ: {text}"[:4096])
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"1.{number}")]
                                     for number, label in enumerate(BUTTONS)])
    await bot.send_message(chat, "คำถามถัดไปค่ะ", reply_markup=keyboard)


@asynccontextmanager
async def _store(url: str, size: int) -> AsyncIterator[Store]:
    if is_postgres(url):
        pool = await asyncpg.create_pool(url, max_size=POOL_SIZE)
        async with pool.acquire() as db:
            for statement in SCHEMA:
                await db.execute(statement)
        try:
            yield PostgresStore(pool, size)
        finally:
            await pool.close()
        return
    path = url.split("://", 1)[1]
    async with aiosqlite.connect(path, isolation_level=None) as connection:
        for pragma in ("journal_mode=WAL", "busy_timeout=2000", "foreign_keys=ON"):
            await connection.execute(f"PRAGMA {pragma}")
        for statement in SCHEMA:
            await connection.execute(statement)
        yield SqliteStore(connection, size)


async def _serve(url: str, size: int, platforms: Platforms) -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_reader(sys.stdin.fileno(), stop.set)
    client = AsyncApiClient(Configuration(access_token=platforms.line_token, host=platforms.line_url))
    bot = Bot(platforms.telegram_token, base_url=platforms.telegram_url)
    await bot.initialize()
    async with _store(url, size) as store:
        runner = web.AppRunner(app(store, platforms, AsyncMessagingApi(client), bot), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        print(runner.addresses[0][1], os.getpid(), flush=True)
        await stop.wait()
        await runner.cleanup()
    await bot.shutdown()
    await client.close()


if __name__ == "__main__":
    redact(load_settings())  # the log filter of every entry point (levels left as they are)
    asyncio.run(_serve(sys.argv[1], int(sys.argv[2]), Platforms(*sys.argv[3:9])))
