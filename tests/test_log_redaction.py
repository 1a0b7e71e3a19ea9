"""No secret in any log line at any level: every ``tidtam`` command and ``serve`` run as real processes at DEBUG
with every secret set, LINE and Telegram at the stand-ins so that requests really happen, a signed LINE webhook,
a Telegram webhook delivery, a file link fetched and an API token used, and (on PostgreSQL) a password in
``DATABASE_URL``. Neither a secret nor any 8-character piece of one may appear in what they wrote.

The commands that need nothing from the others share one process (``api.cli.main`` called once per command, as
``tidtam`` would be) to keep the test short: each process spends seconds importing.
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import secrets
import signal
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import aiohttp

from models.clock import system_clock
from models.db import Database, is_postgres
from models.shared_files import share
from tests.support.line_standin import LineStandin, line_standin
from tests.support.line_user import LineUser
from tests.support.processes import free_port, run_tidtam, start_tidtam, tidtam_env, wait_until_healthy
from tests.support.telegram_standin import BOT_USER, TelegramStandin
from tests.support.telegram_user import TelegramUser

PIECE = 8
SHARED_PROCESS = """
import sys
from api.cli import main
for argv in sys.argv[1:]:
    args = argv.split("\\x1f")
    print(f"### tidtam {' '.join(args)}", flush=True)
    print(f"### exit {main(args)}", flush=True)
"""
NEXT_QUARTER = system_clock() + timedelta(days=100)


def with_password(database_url: str, password: str) -> str:
    """``database_url`` logging in with ``password`` (PostgreSQL's trust authentication takes any)."""
    parts = urlsplit(database_url)
    user = parts.username or "postgres"
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{parts.hostname}:{parts.port}"))


def pieces(secret: str) -> Iterator[str]:
    """The secret and every run of :data:`PIECE` characters in it."""
    yield secret
    yield from (secret[start:start + PIECE] for start in range(len(secret) - PIECE + 1))


def leaks(output: str, named_secrets: dict[str, str]) -> list[str]:
    """Each secret (by name) of which a piece shows in ``output``, with the line it shows in."""
    found = []
    for name, secret in named_secrets.items():
        for piece in pieces(secret):
            if piece in output:
                line = next(line for line in output.splitlines() if piece in line)
                found.append(f"{name}: {piece!r} in {line[:300]!r}")
                break
    return found


async def test_no_secret_reaches_any_log_line_of_any_command(empty_database_url: str, tmp_path: Path) -> None:
    telegram_token = f"{BOT_USER['id']}:AA{secrets.token_urlsafe(26)}"
    named = {
        "telegram bot token (its secret part)": telegram_token.split(":", 1)[1],
        "telegram webhook secret": secrets.token_urlsafe(32),
        "LINE channel secret": secrets.token_hex(16),
        "LINE access token": base64.b64encode(os.urandom(60)).decode(),  # + / = as LINE's have
    }
    database_url = empty_database_url
    if is_postgres(database_url):
        named["database password"] = f"pw@/{secrets.token_urlsafe(18)}"
        named["database password, URL-encoded"] = quote(named["database password"], safe="")
        database_url = with_password(database_url, named["database password"])
    async with Database(empty_database_url):
        file_token = await share("export.xlsx", "application/octet-stream", b"PK export", system_clock())
    named["file-link token"] = file_token
    telegram = TelegramStandin(telegram_token)
    await telegram.start()
    port = free_port()
    outputs: list[str] = []
    try:
        async with line_standin(named["LINE access token"]) as line:
            env = tidtam_env(
                database_url, TIDTAM_LOG_LEVEL="DEBUG", TIDTAM_PORT=str(port), TELEGRAM_BOT_TOKEN=telegram_token,
                TELEGRAM_BOT_USERNAME="tidtam_test_bot", TELEGRAM_API_BASE_URL=telegram.base_url,
                TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/webhook/telegram",
                TELEGRAM_WEBHOOK_SECRET=named["telegram webhook secret"],
                LINE_CHANNEL_SECRET=named["LINE channel secret"], LINE_CHANNEL_ACCESS_TOKEN=named["LINE access token"],
                LINE_API_BASE_URL=line.url, TIDTAM_LOG_FILE=str(tmp_path / "chat.log"))
            migrate = await run_tidtam(["db", "migrate"], env)
            commands = await run_tidtam([
                "\x1f".join(args) for args in (
                    ["demo"], ["catalog", "load"], ["catalog", "search", "การศึกษา"],
                    ["office", "add", "--code", "LOG1", "--name", "สำนักงานทดสอบบันทึก"], ["office", "list"],
                    ["user", "add", "--name", "ผู้ทดสอบ", "--role", "owner", "--office", "LOG1"], ["user", "list"],
                    ["invite", "--role", "owner", "--office", "LOG1"], ["window", "show"],
                    ["window", "set", "--fiscal-year", "2570", "--quarter", "2", "--opens", "2027-04-01",
                     "--due", "2027-04-30"],
                    ["window", "except", "--office", "LOG1", "--fiscal-year", "2570", "--quarter", "1",
                     "--until", "2027-02-10"],
                    ["reminders", "preview", "--at", "2027-01-04"],
                    ["token", "create", "--role", "admin", "--name", "ทดสอบ"],
                    ["token", "create", "--role", "director", "--office", "LOG1"], ["token", "revoke", "2"],
                    ["token", "list"])], env, python=SHARED_PROCESS, seconds=120)
            assert migrate.returncode == 0 and "### exit 1" not in commands.stdout, (migrate, commands)
            [api_token] = re.findall(r"token 1 acting as a admin: (tdt_\S+)", commands.stdout)
            named["API token"] = api_token
            shown_once = f"token 1 acting as a admin: {api_token}"
            run_once, chat, serve = await asyncio.gather(
                run_tidtam(["reminders", "run-once"], env), run_tidtam(["chat", "--as", "suda"], env, stdin="เมนู\n"),
                _serve(env, port, telegram, line, named, tmp_path / "serve.log"))
            assert telegram.called("getMe"), "run-once and serve asked Telegram"
            outputs = [migrate.stdout, migrate.stderr, commands.stdout.replace(shown_once, "token 1 (shown once)"),
                       commands.stderr, run_once.stdout, run_once.stderr, chat.stdout, chat.stderr, serve,
                       (tmp_path / "chat.log").read_text(encoding="utf-8")]
    finally:
        await telegram.close()
    assert run_once.returncode == 0 and chat.returncode == 0, (run_once, chat)
    assert "สวัสดีค่ะ" in chat.stdout
    everything = "\n".join(outputs)
    assert " DEBUG " in everything and "tortoise" in everything and "HTTP Request: POST" in everything
    assert leaks(everything, named) == []
    assert "<telegram-bot-token>" in everything and "<telegram-webhook-secret>" in everything  # really logged
    assert f"/files/{file_token[:4]}…/export.xlsx" in everything  # aiohttp's access line, masked


async def _serve(env: dict[str, str], port: int, telegram: TelegramStandin, line: LineStandin,
                 named: dict[str, str], log_path: Path) -> str:
    """``tidtam serve`` with a webhook for each platform: one delivery each, a file link and the API, then stop;
    returns everything it wrote."""
    with log_path.open("w", encoding="utf-8") as log:
        process = start_tidtam(["serve"], env, log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_until_healthy(port, process, seconds=60)
        await telegram.wait_for(lambda: telegram.webhook is not None)
        async with aiohttp.ClientSession() as session:

            async def settle(user_id: str, before: int) -> None:
                await line.wait_for_deliveries(user_id, before + 1)

            friend = LineUser(line, secret=named["LINE channel secret"], clock=system_clock, session=session,
                              webhook_url=f"{base}/webhook/line", settle=settle)
            await friend.follow()
            assert "รหัสเชิญ" in friend.text
            async def answered(update: dict[str, object], mark: int) -> None:
                await telegram.wait_for(lambda: bool(telegram.sent_since(mark, 7001)))

            newcomer = TelegramUser(telegram, 7001, "ครู", settle=answered)
            await newcomer.say("/start")
            assert "รหัสเชิญ" in newcomer.text
            bearer = {"Authorization": f"Bearer {named['API token']}"}
            for path, headers in ((f"/files/{named['file-link token']}/export.xlsx", {}),
                                  ("/api/v1/projects", bearer), ("/api/v1/channels/line", bearer)):
                async with session.get(base + path, headers=headers) as response:
                    assert response.status == 200, (path, await response.text())
            async with session.get(f"{base}/api/v1/projects", headers={"Authorization": "Bearer tdt_forged"}) as no:
                assert no.status == 401
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        await asyncio.to_thread(process.wait, 30)
    output = await asyncio.to_thread(log_path.read_text, encoding="utf-8")
    assert process.returncode == 0, output[-3000:]
    assert "secret_token" in output  # python-telegram-bot logged setWebhook's parameters
    return output
