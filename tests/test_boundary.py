"""The neutral boundary between the engine and the channels: one token budget, and every button the engine draws in
the golden conversations fits it, carries the role its token means, and is drawn by LINE and Telegram whole."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from bot.line_limits import MAX_ACTION_LABEL, MAX_POSTBACK_DATA, length
from bot.line_postback import button_data, more_data, picker_data
from bot.line_render import page_count, quick_reply_items
from bot.telegram_limits import MAX_CALLBACK_DATA_BYTES
from bot.telegram_render import PAGE_SIZE, keyboard
from conversations.button_data import is_link, moved_on, picked, picked_text, pressed_screen, role_of, screen_of
from conversations.messages import TOKEN_BUDGET_BYTES, Choice, ChoiceRole, Reply, ReplyKind
from conversations.tokens import encode, link_token
from models.db import Database
from tests.support.golden import GOLDEN_DIR, GoldenRunner
from tests.support.world import demo_world

FILES = sorted(GOLDEN_DIR.glob("*.json"))
TODAY = date(2026, 11, 23)


def test_the_token_budget_is_telegrams_callback_data_and_fits_line_with_a_page() -> None:
    assert MAX_CALLBACK_DATA_BYTES == TOKEN_BUDGET_BYTES == 64
    longest = encode(36 ** 5, "x" * (TOKEN_BUDGET_BYTES - len("100000.")))
    assert len(longest.encode()) == TOKEN_BUDGET_BYTES
    with pytest.raises(ValueError, match="cannot be carried"):
        encode(36 ** 5, "x" * (TOKEN_BUDGET_BYTES - len("100000.") + 1))
    with pytest.raises(ValueError, match="cannot be carried"):
        link_token("x" * TOKEN_BUDGET_BYTES)
    for data in (button_data(longest, 99), more_data("100000", 99), picker_data("100000")):
        assert length(data) <= MAX_POSTBACK_DATA


def test_a_channel_reads_buttons_without_the_grammar() -> None:
    day = picked("c", "2026-10-01")
    assert pressed_screen(day) == "c" and picked_text(day) == "2026-10-01" and picked_text(picked("c", "")) == ""
    assert picked_text(encode(12, "~back")) is None and pressed_screen("garbage") is None
    link = link_token("q12.2570.1")
    assert is_link(link) and not is_link(day) and pressed_screen(link) is None
    assert [role_of(token) for token in (encode(12, "a"), encode(12, "~back"), link)] == [
        ChoiceRole.ANSWER, ChoiceRole.NAVIGATION, ChoiceRole.LINK]
    reply = Reply("x", choices=(Choice(link, "📝"), Choice(encode(12, "a"), "A")))
    assert screen_of(reply) == "c"  # the question's buttons name it, not the links beside them
    stale = moved_on()
    assert stale.kind is ReplyKind.STALE and stale.text and not stale.choices
    with pytest.raises(ValueError, match="invalid literal"):
        picked("not a screen!", "2026-10-01")


def _fits_both_channels(reply: Reply) -> None:
    """Every button of ``reply``: within the budget, its role what its token means, on its reply's screen, and
    drawn by LINE (on some quick-reply page) and by Telegram (on some page) within their limits."""
    screen = screen_of(reply)
    for choice in reply.choices:
        assert choice.token.isascii() and 0 < len(choice.token.encode()) <= TOKEN_BUDGET_BYTES, choice
        assert choice.role is role_of(choice.token), choice
        assert choice.role is ChoiceRole.LINK or pressed_screen(choice.token) == screen, choice
    line_items = [item for page in range(max(page_count(reply), 1)) for item in quick_reply_items(reply, page)]
    assert all(length(item["action"]["data"]) <= MAX_POSTBACK_DATA for item in line_items)
    assert all(length(item["action"]["label"]) <= MAX_ACTION_LABEL for item in line_items)
    on_line = {item["action"]["data"].split(":", 2)[2] if item["action"]["data"].startswith("pg:")
               else item["action"]["data"] for item in line_items}
    answers = sum(choice.role is not ChoiceRole.NAVIGATION for choice in reply.choices)
    pages = max(1, math.ceil(answers / PAGE_SIZE))
    markups = [keyboard(reply, today=TODAY, page=page) for page in range(pages)]
    on_telegram = {str(button.callback_data) for markup in markups if markup is not None
                   for row in markup.inline_keyboard for button in row}
    assert all(len(data.encode()) <= MAX_CALLBACK_DATA_BYTES for data in on_telegram)
    for choice in reply.choices:
        assert choice.token in on_line and choice.token in on_telegram, choice


@pytest.mark.golden
@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
async def test_every_button_of_the_golden_conversations_fits_the_boundary(database: Database, path: Path) -> None:
    async with demo_world(database) as world:
        runner = GoldenRunner(world, path)
        await runner.play()
    assert sum(len(reply.choices) for reply in runner.seen) > 50
    for reply in runner.seen:
        _fits_both_channels(reply)
