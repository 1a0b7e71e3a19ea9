"""Text no database can store (a NUL, a lone surrogate, bytes that are not UTF-8) is told in Thai and asked again,
on every channel and in every command, never failing the turn, never stalling anyone, never stored.
"""

from __future__ import annotations

import asyncio
import json
import sys

import pytest

from models.enums import InboxStatus, Platform
from models.inbox import InboxEvent
from models.org import ChatAccount
from models.runtime import ConversationSession
from tests.support.console_driver import ConsoleDriver
from tests.support.line_world import line_world
from tests.support.processes import free_port, tidtam_env
from tests.support.telegram_app import telegram_app

UNREADABLE = "อักขระที่ระบบอ่านไม่ได้"
BAD = ["/history CMI1-2570-001\x00", "/find การอ่าน\x00", "/project \x00", "ชื่อ\ud800โครงการ", "\x00"]


@pytest.mark.parametrize("text", BAD)
async def test_telegram_text_that_cannot_be_stored_is_told_and_the_chat_goes_on(empty_database_url: str,
                                                                                text: str) -> None:
    async with telegram_app(empty_database_url, webhook=True) as rig:
        suda = await rig.link(rig.user())
        await suda.say(text)
        assert UNREADABLE in suda.text and suda.labels()  # told what was wrong, and the screen again
        await suda.say("เมนู")
        assert UNREADABLE not in suda.text and suda.labels()
        statuses = await InboxEvent.filter(platform=Platform.TELEGRAM).values_list("status", flat=True)
        assert set(statuses) == {InboxStatus.DONE}  # handled, not set aside


@pytest.mark.parametrize("text", BAD)
async def test_line_text_that_cannot_be_stored_is_told_and_the_chat_goes_on(empty_database_url: str,
                                                                            text: str) -> None:
    async with line_world(empty_database_url) as world:
        suda = await world.linked("suda", display_name="สุดา\x00")
        await suda.say(text)
        assert UNREADABLE in suda.text and "quickReply" in suda.last[-1]
        await suda.say("เมนู")
        assert UNREADABLE not in suda.text
        account = await ChatAccount.get(platform=Platform.LINE, external_id=suda.user_id)
        assert account.display_name == "สุดา"  # a name keeps what can be stored
        session = await ConversationSession.get(chat_account=account)
        stored = json.dumps(session.state)
        assert "\\u0000" not in stored and "\\ud800" not in stored  # nothing of it was taken as an answer
        assert set(await InboxEvent.all().values_list("status", flat=True)) == {InboxStatus.DONE}


async def test_bytes_that_are_not_utf8_in_the_terminal_are_told_and_asked_again(empty_database_url: str) -> None:
    env = tidtam_env(empty_database_url, PYTHONUNBUFFERED="1")
    for command in (["db", "migrate"], ["demo", "--if-empty"]):
        setup = await asyncio.create_subprocess_exec(sys.executable, "-m", "api.cli", *command, env=env,
                                                     stdout=asyncio.subprocess.DEVNULL)
        assert await setup.wait() == 0
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "api.cli", "serve", "--chat-as", "suda", env=env | {"TIDTAM_PORT": str(free_port())},
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
    terminal = ConsoleDriver(process)
    try:
        await terminal.read_screen()
        assert process.stdin is not None
        process.stdin.write("ค้นหา การ".encode() + b"\xff\xfe" + b"\n")
        await process.stdin.drain()
        assert UNREADABLE in await terminal.read_screen()
        assert "วิธีใช้" in await terminal.send("วิธีใช้")  # and the next line is taken as ever
    finally:
        process.stdin.close() if process.stdin else None
        process.send_signal(2)
        await process.wait()
