"""What the sender's texts and edits put on the wire now that they skip python-telegram-bot's typed methods
(``Bot.do_api_request`` hands Telegram's answer back as JSON, no ``Message`` built): the same parameters as
``send_message`` / ``edit_message_text`` / ``edit_message_reply_markup`` send, and the same errors — a 403 is
:class:`Blocked`, a 429 waited out, a 5xx retried, "not modified" taken as done, a gone message False — all
through the stand-in Bot API over HTTP."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError
from telegram.ext import ExtBot

from bot.telegram_render import OutText, keyboard, marker_keyboard
from bot.telegram_send import Blocked, Sent, TelegramSender, build_bot, keyboard_json
from conversations.messages import Choice, InputHint, Reply
from tests.support.telegram_standin import TelegramStandin

pytestmark = pytest.mark.process

CHAT = 7001
QUESTION = "คำถาม <b>ที่ 3</b>: ชื่อโครงการ & งบประมาณ?"
MARKUP = keyboard(Reply("x", choices=(Choice("1.a", "ตัวเลือก ก"), Choice("1.b", "ตัวเลือก ข"))),
                  today=date(2026, 12, 6))
WIRE_MARKUP = {"inline_keyboard": [[{"text": "ตัวเลือก ก", "callback_data": "1.a"},
                                    {"text": "ตัวเลือก ข", "callback_data": "1.b"}]]}


@pytest.fixture
async def wire() -> AsyncIterator[tuple[TelegramStandin, ExtBot[int], TelegramSender]]:
    standin = TelegramStandin()
    await standin.start()
    bot = build_bot(standin.token, standin.base_url, rate=1000)
    await bot.initialize()
    try:
        yield standin, bot, TelegramSender(bot, first_pause=0.01)
    finally:
        await bot.shutdown()
        await standin.close()


def last(standin: TelegramStandin, method: str) -> dict[str, Any]:
    return standin.called(method)[-1].params


async def test_a_text_goes_with_the_parameters_of_send_message(wire: Any) -> None:
    standin, bot, sender = wire
    assert MARKUP.to_dict() == WIRE_MARKUP
    sent = await sender.send(CHAT, OutText(QUESTION, MARKUP))
    assert last(standin, "sendMessage") == {"chat_id": CHAT, "text": QUESTION, "reply_markup": WIRE_MARKUP}
    assert sent == Sent(standin.messages(CHAT)[-1]["message_id"], has_keyboard=True)
    typed = await bot.send_message(CHAT, QUESTION, reply_markup=MARKUP, parse_mode=None)
    assert last(standin, "sendMessage") == {"chat_id": CHAT, "text": QUESTION, "reply_markup": WIRE_MARKUP}
    assert typed.message_id == sent.message_id + 1

    html = "<b>สรุป</b>\nงบ 1,000 บาท"
    sent = await sender.send(CHAT, OutText(html, html=True))
    assert last(standin, "sendMessage") == {"chat_id": CHAT, "text": html, "parse_mode": "HTML"}
    assert not sent.has_keyboard
    await bot.send_message(CHAT, html, parse_mode=ParseMode.HTML)
    assert last(standin, "sendMessage") == {"chat_id": CHAT, "text": html, "parse_mode": "HTML"}


async def test_edits_go_with_the_parameters_of_the_typed_methods(wire: Any) -> None:
    standin, bot, sender = wire
    sent = await sender.send(CHAT, OutText("คำถาม"))
    pairs = [  # each typed call repeats ours, so Telegram answers it "not modified": its parameters are recorded
        (sender.edit(CHAT, sent.message_id, OutText("คำถาม", MARKUP), shown_text="คำถาม"),
         bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=MARKUP), "editMessageReplyMarkup"),
        (sender.edit(CHAT, sent.message_id, OutText(QUESTION, MARKUP), shown_text="คำถาม"),
         bot.edit_message_text(QUESTION, CHAT, sent.message_id, reply_markup=MARKUP), "editMessageText"),
        (sender.set_keyboard(CHAT, sent.message_id, None),
         bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=None), "editMessageReplyMarkup"),
    ]
    for ours, typed, method in pairs:
        assert await ours
        params = last(standin, method)
        with contextlib.suppress(BadRequest):
            await typed
        assert last(standin, method) == params, method
    assert [call.params for call in standin.calls if call.method.startswith("edit")][::2] == [
        {"chat_id": CHAT, "message_id": sent.message_id, "reply_markup": WIRE_MARKUP},
        {"text": QUESTION, "chat_id": CHAT, "message_id": sent.message_id, "reply_markup": WIRE_MARKUP},
        {"chat_id": CHAT, "message_id": sent.message_id},
    ]


async def test_no_warning_escapes_the_calls(wire: Any) -> None:
    _, _, sender = wire
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        sender = TelegramSender(sender.bot)  # its filter is set again inside this context
        sent = await sender.send(CHAT, OutText("ข้อความ"))
        await sender.edit(CHAT, sent.message_id, OutText("ข้อความใหม่"), shown_text="ข้อความ")
    assert not caught, [str(warning.message) for warning in caught]


async def test_telegrams_errors_mean_what_they_did(wire: Any) -> None:
    standin, _, sender = wire
    standin.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(Blocked):
        await sender.send(CHAT, OutText("สวัสดี"))
    standin.fail("sendMessage", 502, "Bad Gateway", times=2)
    assert (await sender.send(CHAT, OutText("สวัสดี"))).message_id == standin.messages(CHAT)[-1]["message_id"]
    standin.fail("sendMessage", 502, "Bad Gateway", times=sender.attempts)
    with pytest.raises(NetworkError):
        await sender.send(CHAT, OutText("สวัสดี"))
    standin.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    mark = len(standin.calls)
    await sender.send(CHAT, OutText("หลังรอ"))
    waited = [call for call in standin.calls[mark:] if call.method == "sendMessage"]
    assert [call.status for call in waited] == [429, 200] and waited[1].at - waited[0].at >= 0.9

    standin.fail("sendMessage", 400, "Bad Request: chat not found")
    with pytest.raises(BadRequest):
        await sender.send(CHAT, OutText("ไม่มีปุ่ม"))  # no buttons to drop: the refusal is the caller's

    shown = standin.messages(CHAT)[-1]
    assert await sender.edit(CHAT, shown["message_id"], OutText(shown["text"]), shown_text="อื่น")  # not modified
    assert not await sender.edit(CHAT, 999_999, OutText("หาย", MARKUP), shown_text="")  # gone
    assert not await sender.set_keyboard(CHAT, 999_999, MARKUP)


async def test_a_refused_keyboard_goes_again_as_plain_text(wire: Any) -> None:
    standin, _, sender = wire
    standin.refuse("sendMessage", lambda params: "reply_markup" in params)
    out = OutText(QUESTION, MARKUP, plain=("คำถาม\n1. ตัวเลือก ก",))
    sent = await sender.send(CHAT, out)
    assert last(standin, "sendMessage") == {"chat_id": CHAT, "text": "คำถาม\n1. ตัวเลือก ก"}
    assert sent == Sent(standin.messages(CHAT)[-1]["message_id"], has_keyboard=False)


def test_keyboards_are_written_out_as_python_telegram_bot_writes_them() -> None:
    """Our keyboards go as the JSON PTB's to_dict would give (a calendar, a paged list, a marker); a button with a
    field of its own (a link) is left to PTB."""
    day = date(2026, 12, 6)
    calendar = keyboard(Reply("วันที่เริ่ม", hint=InputHint.DATE, choices=(Choice("d.~back", "⬅️ ย้อนกลับ"),)),
                        today=day)
    paged = keyboard(Reply("x", choices=tuple(Choice(f"1.{n}", f"ตัวเลือกที่ {n}") for n in range(20))), today=day,
                     page=1)
    for markup in (MARKUP, calendar, paged, marker_keyboard("✔️ ตอบแล้ว: 2570")):
        assert markup is not None and keyboard_json(markup) == markup.to_dict()
    linked = InlineKeyboardMarkup([[InlineKeyboardButton("เปิด", callback_data="1.a")],
                                   [InlineKeyboardButton("เว็บ", url="https://example.go.th")]])
    assert keyboard_json(linked) is linked and keyboard_json(None) is None
