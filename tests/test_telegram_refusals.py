"""A message with buttons that Telegram refuses is never silence: the real app and python-telegram-bot against a
stand-in that refuses every message with a keyboard (400) send it again as plain text, the buttons written as
lines the person can type, and the person carries on by typing them. A redraw refused the same way becomes the
plain text in place; a reminder refused the same way arrives as its text."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from api.keys import REMINDERS
from conversations.copy import render as copy
from models.enums import DeliveryStatus
from models.report import WindowException
from models.runtime import ReminderDelivery
from tests.support.reminders import bangkok
from tests.support.telegram_app import TelegramRig, telegram_app
from tests.support.telegram_user import buttons

TYPE_ONE = copy("channel.typed_choices")


def with_keyboard(params: dict[str, Any]) -> bool:
    return "reply_markup" in params


@pytest.fixture
async def rig(empty_database_url: str) -> AsyncIterator[TelegramRig]:
    """The app polling the stand-in, with the demo office seeded."""
    async with telegram_app(empty_database_url) as running:
        yield running


async def test_a_refused_message_with_buttons_is_sent_as_plain_text_and_typing_carries_on(
        rig: TelegramRig, caplog: pytest.LogCaptureFixture) -> None:
    suda = await rig.link(rig.user())
    rig.standin.refuse("sendMessage", with_keyboard)
    with caplog.at_level(logging.WARNING, logger="bot.telegram_send"):
        await suda.say("เมนู")
    [menu] = suda.last
    assert "reply_markup" not in menu and "ต้องการทำอะไรคะ" in menu["text"]
    assert f"{TYPE_ONE}\n• ➕ ลงทะเบียนโครงการใหม่\n" in menu["text"]
    [refused] = rig.standin.refused("sendMessage")
    assert refused.params["reply_markup"]["inline_keyboard"]  # the same message, with its buttons, came first
    assert any("telegram refused sendMessage" in record.getMessage()
               and "button_data_invalid" in record.getMessage().lower() for record in caplog.records)

    await suda.say("ลงทะเบียนโครงการใหม่")  # a label typed from the list
    await suda.say("โครงการที่ตอบโดยการพิมพ์")
    assert copy("reg.fiscal_year") in suda.text and "• ปีงบประมาณ 2570" in suda.text
    await suda.say("2570")
    assert copy("project.created") in suda.text
    assert all("reply_markup" not in message for message in suda.last)
    assert len(rig.standin.refused("sendMessage")) >= 4  # every question with buttons was refused, none lost


async def test_a_refused_redraw_becomes_the_plain_text_in_place(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    await suda.say("เมนู")
    await suda.tap("ลงทะเบียนโครงการใหม่")
    await suda.say("โครงการทดสอบการวาดใหม่")
    await suda.tap("ปีงบประมาณ 2570")
    await suda.say("สารบัญ")
    await suda.tap("M2")
    await suda.tap("โครงการ")
    await suda.tap("แผนงานพื้นฐานด้านการพัฒนา")
    await suda.tap("ใช่")
    question = suda.screen
    assert [text for text, _ in buttons(question)][:2] == ["☐ ดำเนินการเอง", "☐ จ้างเหมา"]
    rig.standin.refuse("editMessageReplyMarkup", with_keyboard)
    rig.standin.refuse("editMessageText", with_keyboard)
    await suda.tap("ดำเนินการเอง")  # ticking redraws the question in place, which Telegram now refuses
    [redrawn] = suda.edited
    assert redrawn["message_id"] == question["message_id"] and "reply_markup" not in redrawn
    assert f"{TYPE_ONE}\n• ☑ ดำเนินการเอง\n• ☐ จ้างเหมา\n" in redrawn["text"]
    assert [call.method for call in rig.standin.refused()] == ["editMessageReplyMarkup"]
    await suda.say("เสร็จ")
    assert "✔️ รับทราบ: ดำเนินการเอง" in suda.text


async def test_a_refused_reminder_reaches_the_person_as_plain_text(rig: TelegramRig) -> None:
    await WindowException.all().delete()
    suda = await rig.link(rig.user())
    rig.standin.refuse("sendMessage", with_keyboard)  # the reminder's button
    rig.clock.set(bangkok(2027, 1, 4, 9))
    assert (await rig.client.app[REMINDERS].run_once()).sent == 1
    reminder = suda.bot_messages[-1]
    assert "เปิดรับรายงานผลไตรมาส Q1/2570" in reminder["text"] and "reply_markup" not in reminder
    assert TYPE_ONE not in reminder["text"]  # its link button opens a report from anywhere: nothing to type for it
    assert [call.method for call in rig.standin.refused()] == ["sendMessage"]
    row = await ReminderDelivery.get(recipient=rig.people["suda"])
    assert row.status is DeliveryStatus.SENT
