"""The small parts of the Telegram channel: webhook checks, the command menu, per-chat queues."""

from __future__ import annotations

import asyncio
import json
import warnings

import pytest
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.chat_queues import ChatQueues
from bot.telegram import COMMANDS, bot_commands
from bot.telegram_limits import MAX_COMMAND_DESCRIPTION_CHARS
from bot.telegram_send import Backoff, build_bot, retry_seconds
from bot.telegram_webhook import Signature, check_secret, parse_update
from conversations.engine.nav import from_text

TOKEN = "123456789:AAF-secret_token-0123456789abcdefghij"


@pytest.mark.parametrize(("header", "signature"), [
    (None, Signature.MISSING),
    ("", Signature.MISSING),
    ("s3cret", Signature.VALID),
    ("s3cre", Signature.WRONG),
    ("s3cret-and-more", Signature.WRONG),
    ("ส3cret", Signature.WRONG),
])
def test_the_webhook_secret_is_compared_exactly(header: str | None, signature: Signature) -> None:
    assert check_secret(header, "s3cret") is signature


@pytest.mark.parametrize(("body", "readable"), [
    (json.dumps({"update_id": 5, "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"},
                                             "text": "hi"}}).encode(), True),
    (b'{"update_id": 6}', True),  # an update of a kind we ignore is still an update
    (b"{not json", False),
    (b"\xff\xfe", False),
    (b"[1, 2]", False),
    (b'{"message": {}}', False),
    (b'{"update_id": "7"}', False),
    (b'{"update_id": 8, "message": {"chat": 5}}', False),
])
def test_a_webhook_body_is_an_update_or_refused(body: bytes, readable: bool) -> None:
    assert (parse_update(body, None) is not None) is readable


def test_every_menu_command_is_one_the_engine_understands() -> None:
    commands = bot_commands()
    assert [command.command for command in commands] == [name for name, _ in COMMANDS]
    for command in commands:
        assert from_text(f"/{command.command}").action is not None, command.command
        assert 0 < len(command.description) <= MAX_COMMAND_DESCRIPTION_CHARS
    descriptions = {command.command: command.description for command in commands}
    assert descriptions["back"] == "⬅️ ย้อนกลับ" and descriptions["continue"] == "ทำต่อ"


def test_the_bot_talks_to_the_configured_server_and_its_file_path() -> None:
    bot = build_bot(TOKEN, "http://127.0.0.1:8081/bot")
    assert bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    assert bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"
    default = build_bot(TOKEN)
    assert default.base_url.startswith("https://api.telegram.org/bot")
    assert default.base_file_url.startswith("https://api.telegram.org/file/bot")


def test_backoff_doubles_to_a_ceiling_and_starts_over() -> None:
    backoff = Backoff(0.5, 4)
    assert [backoff.next() for _ in range(5)] == [0.5, 1, 2, 4, 4]
    backoff.reset()
    assert backoff.next() == 0.5
    with warnings.catch_warnings():  # PTB 22 warns about its own int/timedelta change when it builds the error
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        flood = RetryAfter(3)
    assert retry_seconds(flood) == 3.0


async def test_a_chats_items_run_in_order_and_chats_do_not_wait_for_each_other() -> None:
    done: list[tuple[str, int]] = []
    gate, b_finished = asyncio.Event(), asyncio.Event()

    async def work(item: tuple[str, int]) -> None:
        if item == ("a", 1):
            await gate.wait()  # chat a is stuck on its first item…
        if item == ("a", 3):
            raise RuntimeError("a failing item does not stop the chat")
        done.append(item)
        if item == ("b", 2):
            b_finished.set()

    queues: ChatQueues[str, tuple[str, int]] = ChatQueues(work)
    for item in [("a", 1), ("b", 1), ("a", 2), ("b", 2), ("a", 3), ("a", 4)]:
        queues.submit(item[0], item)
    await b_finished.wait()
    assert done == [("b", 1), ("b", 2)]  # …while chat b carries on
    assert queues.outstanding == 4
    gate.set()
    await queues.join()
    assert done == [("b", 1), ("b", 2), ("a", 1), ("a", 2), ("a", 4)]
    assert queues.outstanding == 0


async def test_closing_lets_queued_work_finish_then_cancels_what_hangs() -> None:
    finished: list[int] = []
    never = asyncio.Event()

    async def work(item: int) -> None:
        if item == 2:
            await never.wait()
        finished.append(item)

    queues: ChatQueues[int, int] = ChatQueues(work)
    queues.submit(1, 1)
    queues.submit(2, 2)
    await queues.close(grace=0.05)
    assert finished == [1]
    assert queues.submit(3, 3) is False and queues.closed


async def test_no_more_than_the_limit_of_chats_run_at_once() -> None:
    running, most = 0, 0
    release = asyncio.Event()

    async def work(item: int) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        running -= 1

    queues: ChatQueues[int, int] = ChatQueues(work, concurrency=3)
    for chat in range(10):
        queues.submit(chat, chat)
    for _ in range(5):
        await asyncio.sleep(0)
    assert (running, queues.outstanding) == (3, 10)  # seven chats wait for a slot
    release.set()
    await queues.join()
    assert most == 3 and queues.outstanding == 0
