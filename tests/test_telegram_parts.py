"""The small parts of the Telegram channel: webhook checks, the command menu, per-chat queues."""

from __future__ import annotations

import json
import warnings

import pytest
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

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


