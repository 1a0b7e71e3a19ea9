"""On Telegram only the question on screen has buttons: however a question is answered (tapped, typed, /skip,
back), its message loses its keyboard and says below its text what became of it — also after a restart, and
never at the cost of the answer when Telegram refuses the edit (end to end, through the stand-in Bot API)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from api.demo import seed_demo
from api.telegram_channel import TELEGRAM
from bot.telegram import TelegramChannel
from conversations.copy import render as copy
from models.runtime import LiveQuestion
from tests.support.app import app_client
from tests.support.clock import SteppingClock
from tests.support.telegram_app import TelegramRig, assert_within_limits, telegram_app, telegram_settings
from tests.support.telegram_standin import TelegramStandin
from tests.support.telegram_user import TelegramUser, buttons

BELOW = copy("live.asked_below")
Json = dict[str, object]


@pytest.fixture
async def rig(empty_database_url: str) -> AsyncIterator[TelegramRig]:
    async with telegram_app(empty_database_url) as running:
        yield running


def with_buttons(user: TelegramUser) -> list[Json]:
    """The bot's messages that still show any button at all."""
    return [message for message in user.bot_messages if buttons(message)]


def now_as(user: TelegramUser, message: Json) -> Json:
    return next(m for m in user.chat_messages if m["message_id"] == message["message_id"])


def assert_only_the_screen_has_buttons(user: TelegramUser) -> None:
    shown = with_buttons(user)
    assert [m["message_id"] for m in shown] == [user.screen["message_id"]], user.transcript(10)


async def to_name_question(user: TelegramUser) -> Json:
    await user.say("เมนู")
    await user.tap("ลงทะเบียนโครงการใหม่")
    return user.screen


async def test_a_question_answered_by_typing_loses_its_buttons(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    question = await to_name_question(suda)
    await suda.say("โครงการห้องสมุดมีชีวิต")
    answered = now_as(suda, question)
    assert not buttons(answered)
    assert answered["text"] == f"{question['text']}\n\n✔️ ตอบแล้ว: โครงการห้องสมุดมีชีวิต"
    assert_only_the_screen_has_buttons(suda)

    year = suda.screen
    await suda.say("2570")  # a choice typed instead of tapped
    assert not buttons(now_as(suda, year)) and now_as(suda, year)["text"].endswith("✔️ ตอบแล้ว: 2570")
    assert_only_the_screen_has_buttons(suda)
    assert_within_limits(rig.standin)


async def test_taps_skip_and_back_retire_buttons_and_none_look_live(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    greeting = suda.screen
    await suda.say("เมนู")  # the same menu again, below
    assert not buttons(now_as(suda, greeting)) and now_as(suda, greeting)["text"].endswith(BELOW)
    menu = suda.screen
    await suda.tap("ลงทะเบียนโครงการใหม่")
    assert now_as(suda, menu)["text"].endswith("✔️ ตอบแล้ว: ลงทะเบียนโครงการใหม่")
    await suda.say("โครงการทดสอบปุ่ม")
    await suda.tap("ปีงบประมาณ 2570")
    await suda.say("สารบัญ")
    await suda.tap("M2")
    await suda.tap("โครงการ")
    plan = suda.screen
    await suda.say("/back")
    assert not buttons(now_as(suda, plan)) and now_as(suda, plan)["text"].endswith("✔️ ตอบแล้ว: ย้อนกลับ")
    assert_only_the_screen_has_buttons(suda)
    skipped = suda.screen
    await suda.say("/skip")  # a question that must be answered: asked again, below
    assert not buttons(now_as(suda, skipped)) and now_as(suda, skipped)["text"].endswith(BELOW)
    assert_only_the_screen_has_buttons(suda)  # a spent "✔️ ใช้ค่านี้" no longer sits above the live one


async def test_a_wrong_typed_answer_points_to_the_question_asked_again_below(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    await to_name_question(suda)
    await suda.say("โครงการทดสอบวันที่")
    year = suda.screen
    await suda.say("ปีหน้าก็ได้มั้ง")  # not a fiscal year: asked again
    old = now_as(suda, year)
    assert not buttons(old) and old["text"].endswith(BELOW)
    assert suda.screen["message_id"] != year["message_id"] and "ปีงบประมาณ 2570" in suda.labels()
    assert_only_the_screen_has_buttons(suda)


async def test_an_edit_telegram_refuses_never_costs_the_answer(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    question = await to_name_question(suda)
    rig.standin.refuse("editMessageText", lambda params: True, "Bad Request: message can't be edited")
    await suda.say("โครงการแก้ไขไม่ได้")
    assert "✔️ รับทราบ: โครงการแก้ไขไม่ได้" in suda.text
    marked = now_as(suda, question)  # the text could not change: one inert marker instead of the keyboard
    assert [text for text, _ in buttons(marked)] == ["✔️ ตอบแล้ว: โครงการแก้ไขไม่ได้"]
    assert buttons(marked)[0][1] == "!x"

    rig.standin.refuse("editMessageReplyMarkup", lambda params: True, "Bad Request: message can't be edited")
    await suda.say("2570")
    assert "สร้างโครงการแล้ว" in suda.text  # nothing could be retired; the answer went through all the same
    assert await LiveQuestion.filter(message_id=question["message_id"]).count() == 0


async def test_the_live_question_is_retired_after_a_restart(empty_database_url: str) -> None:
    standin = TelegramStandin()
    await standin.start()
    clock = SteppingClock()
    try:
        settings = telegram_settings(empty_database_url, standin)
        async with app_client(settings, clock=clock) as client:
            await standin.wait_for(lambda: bool(standin.called("getUpdates")))
            channel: TelegramChannel = client.app[TELEGRAM]
            rig = TelegramRig(standin, client, channel, clock, webhook=False, people=await seed_demo())
            suda = await rig.link(rig.user())
            question = await to_name_question(suda)
        mark = len(standin.calls)
        async with app_client(settings, clock=clock) as client:  # a new process: nothing kept in memory
            await standin.wait_for(lambda: any(call.method == "getUpdates" for call in standin.calls[mark:]))
            rig = TelegramRig(standin, client, client.app[TELEGRAM], clock, webhook=False)
            suda = TelegramUser(standin, suda.id, "สุดา", "ศรีสุข", settle=rig.settle)
            await suda.say("โครงการหลังเริ่มใหม่")
            answered = now_as(suda, question)
            assert not buttons(answered) and answered["text"].endswith("✔️ ตอบแล้ว: โครงการหลังเริ่มใหม่")
            assert_only_the_screen_has_buttons(suda)
    finally:
        await standin.close()
