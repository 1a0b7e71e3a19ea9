"""End to end over long polling: the real app and python-telegram-bot against the stand-in Bot API server.

The person is a :class:`TelegramUser` sending the updates Telegram would send; everything between — the
polling loop, the per-chat queues, the service, rendering, the rate limiter, the HTTP calls — is real.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.telegram_render import OutText, keyboard
from conversations.copy import render as copy
from conversations.messages import Attachment, Choice, ChoiceRole, Inbound, Reply
from conversations.service.inbox import Claimed
from conversations.service.turn_seen import TurnSeen
from models.enums import ItemStatus, Platform
from models.inbox import InboxEvent
from models.org import ChatAccount
from models.project import Project
from tests.support.scenario import register_project_a
from tests.support.telegram_app import TelegramRig, assert_within_limits, telegram_app
from tests.support.telegram_standin import BOT_USER
from tests.support.telegram_user import TelegramUser, buttons

STALE = copy("input.stale")
UNSUPPORTED = copy("input.unsupported")


@pytest.fixture
async def rig(empty_database_url: str) -> AsyncIterator[TelegramRig]:
    """The app polling the stand-in, with the demo office seeded."""
    async with telegram_app(empty_database_url) as running:
        yield running


async def new_project(user: TelegramUser, name: str = "โครงการทดสอบปฏิทิน") -> None:
    """From the menu to a created draft."""
    await user.say("เมนู")
    await user.tap("ลงทะเบียนโครงการใหม่")
    await user.say(name)
    await user.tap("ปีงบประมาณ 2570")
    assert "สร้างโครงการแล้ว" in user.text


def button_texts(message: dict[str, object]) -> list[str]:
    return [text for text, _ in buttons(message)]  # type: ignore[arg-type]


async def test_project_a_is_registered_and_submitted_over_telegram(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    assert suda.screen["text"].startswith("สวัสดีค่ะ นางสาวสุดา ศรีสุข")
    await register_project_a(suda)  # type: ignore[arg-type]
    assert "ข้อมูลครบแล้วค่ะ" in suda.text, suda.transcript()
    await suda.tap("📤 ส่งให้ผู้อำนวยการ")
    assert "ส่งโครงการ CMI1-2570-003 ให้ผู้อำนวยการแล้ว" in suda.text

    project = await Project.get(code="CMI1-2570-003")
    assert project.status is ItemStatus.SUBMITTED and project.owner_id == rig.people["suda"].id
    account = await ChatAccount.get(platform=Platform.TELEGRAM, external_id=str(suda.id))
    assert account.user_id == rig.people["suda"].id and account.active and account.display_name == "สุดา ศรีสุข"

    standin = rig.standin
    assert rig.standin.menu_of(suda.id)[:3] == ["new", "continue", "reports"]  # her main actions first
    assert standin.called("deleteWebhook") and standin.called("getMe")
    assert_within_limits(standin)
    spent = [message for message in suda.bot_messages
             if message.get("text", "").endswith("\n\n✔️ ตอบแล้ว: ปีงบประมาณ 2570") and not buttons(message)]
    assert spent, "an answered question loses its buttons and says the answer below its text"
    turned = [call for call in standin.called("editMessageReplyMarkup")
              if any(button["text"] == "2/2" for row in call.params["reply_markup"]["inline_keyboard"]
                     for button in row)]
    assert turned, "NESDP13-12 is on the second page of the list: tap turned the page"


async def test_a_multi_select_is_ticked_in_the_same_message(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    await new_project(suda)
    await suda.say("สารบัญ")
    await suda.tap("M2")
    await suda.tap("โครงการ")
    await suda.tap("แผนงานพื้นฐานด้านการพัฒนา")
    await suda.tap("ใช่")
    question = suda.screen
    assert "วิธีดำเนินการ" in question["text"]
    assert button_texts(question)[:2] == ["☐ ดำเนินการเอง", "☐ จ้างเหมา"]

    await suda.tap("ดำเนินการเอง")
    made = [call.method for call in rig.standin.calls[suda.mark:] if call.method != "getUpdates"]
    assert made[0] == "answerCallbackQuery"  # the spinner stops before the turn runs
    assert suda.last == [] and [message["message_id"] for message in suda.edited] == [question["message_id"]]
    assert button_texts(suda.screen)[:2] == ["☑ ดำเนินการเอง", "☐ จ้างเหมา"]
    tick = next(data for text, data in buttons(question) if text == "☐ ดำเนินการเอง")
    await suda.press(question, tick)  # a double tap: the second press comes from the message as it was
    assert suda.last == [] and button_texts(suda.screen)[:2] == ["☑ ดำเนินการเอง", "☐ จ้างเหมา"]
    await suda.tap("จ้างเหมา")
    await suda.tap("ดำเนินการเอง")
    assert suda.screen["message_id"] == question["message_id"]
    assert button_texts(suda.screen)[:2] == ["☐ ดำเนินการเอง", "☑ จ้างเหมา"]
    await suda.tap("เสร็จ")
    assert_within_limits(rig.standin)
    answered = suda.standin.messages(suda.id)
    done = next(m for m in answered if m["message_id"] == question["message_id"])
    assert not buttons(done) and done["text"].endswith("✔️ ตอบแล้ว: เสร็จ")
    assert "✔️ รับทราบ: จ้างเหมา" in suda.text
    project = await Project.get(name="โครงการทดสอบปฏิทิน")
    assert (project.method_self, project.method_contract) == (False, True)


async def test_a_stale_button_gets_that_step_has_moved_on_and_the_live_question(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    menu = suda.screen
    await suda.tap("โครงการของฉัน")
    mine = next(data for text, data in buttons(menu) if "โครงการของฉัน" in text)
    await suda.press(menu, mine)  # a second tap on the menu as it was before the first was answered
    assert suda.last[0]["text"] == STALE
    assert live_question_is_last(suda)
    assert rig.standin.answered[-1] == suda.last_update["callback_query"]["id"]
    kept = next(m for m in suda.chat_messages if m["message_id"] == menu["message_id"])
    assert not buttons(kept) and kept["text"].endswith("✔️ ตอบแล้ว: โครงการของฉัน")  # the spent answer stays


async def test_a_press_the_bot_ignores_is_still_answered(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    group = {"id": -100123, "type": "supergroup", "title": "ห้องประชุม สพป."}
    message = rig.standin.user_message(group, BOT_USER, text="แบบสำรวจ")
    update = suda.press_update(message, "0.x")
    await suda.send(update)
    assert update["callback_query"]["id"] in rig.standin.answered  # no spinner left turning
    assert not rig.standin.sent_since(suda.mark, group["id"])  # and nothing said in the group
    assert_within_limits(rig.standin)


def live_question_is_last(user: TelegramUser) -> bool:
    return user.last[-1]["message_id"] == user.screen["message_id"]


async def test_a_page_turn_on_a_question_that_moved_on_says_so(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    await new_project(suda)
    await suda.tap("ระดับ 2 แผนแม่บท")
    await suda.tap("NESDP13 ")
    listing = suda.screen
    next_page = next(data for text, data in buttons(listing) if text == "▶️")
    await suda.press(listing, next_page)
    assert suda.last == [] and button_texts(suda.screen)[0].startswith("NESDP13-09")
    await suda.tap("NESDP13-12")
    await suda.press(listing, next_page)  # the old list, still on the user's screen
    assert suda.last[0]["text"] == STALE and live_question_is_last(suda)


async def test_the_calendar_picks_dates_and_a_wrong_one_is_asked_again_in_place(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    await new_project(suda)
    await suda.say("ตรวจทาน")
    await suda.tap("M3")
    await suda.tap("วันเริ่ม")
    question = suda.screen
    assert button_texts(question)[:3] == ["◀️", "พฤศจิกายน 2569", "▶️"]  # the clock says 23 Nov 2026
    await suda.press(question, buttons(question)[0][1])  # ◀️: the month before
    assert suda.last == [] and button_texts(suda.screen)[1] == "ตุลาคม 2569"
    await suda.tap("1")
    assert "✔️ รับทราบ: 1 ต.ค. 2569" in suda.text
    picked = next(m for m in suda.chat_messages if m["message_id"] == question["message_id"])
    assert not buttons(picked) and picked["text"].endswith("✔️ ตอบแล้ว: 1 ต.ค. 2569")
    project = await Project.get(name="โครงการทดสอบปฏิทิน")
    assert str(project.start_date) == "2026-10-01"

    await suda.tap("วันสิ้นสุด")
    end = suda.screen
    for _ in range(2):
        await suda.press(suda.screen, buttons(suda.screen)[0][1])
    assert button_texts(suda.screen)[1] == "กันยายน 2569"
    await suda.tap("30")  # 30 Sep 2026: before the start
    assert suda.screen["message_id"] == end["message_id"]  # asked again in the same message
    assert len(suda.last) == 1 and not buttons(suda.last[0])  # only the reason, as a new message
    assert button_texts(suda.screen)[1] == "กันยายน 2569"
    await suda.press(suda.screen, next(data for text, data in buttons(suda.screen) if text == "▶️"))
    await suda.press(suda.screen, next(data for text, data in buttons(suda.screen) if text == "▶️"))
    await suda.tap("30")  # 30 Nov 2026
    assert "✔️ รับทราบ: 30 พ.ย. 2569" in suda.text


async def test_a_long_review_card_is_split_under_4096_characters(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    await new_project(suda, "โครงการ" + "พัฒนาคุณภาพการศึกษาอย่างยั่งยืน " * 14)
    await suda.say("สารบัญ")
    await suda.tap("M4")
    for number in range(1, 13):
        await suda.say(f"กิจกรรมที่ {number} " + "ประชุมเชิงปฏิบัติการพัฒนาครูผู้สอนภาษาไทย " * 6)
        await suda.say("Q1")
        await suda.tap("ไม่มี ไปต่อ")
    await suda.say("/review")
    parts = suda.last
    assert len(parts) >= 2, [len(part["text"]) for part in parts]
    assert all(len(part["text"].encode("utf-16-le")) // 2 <= 4096 for part in parts)
    assert [bool(buttons(part)) for part in parts] == [False] * (len(parts) - 1) + [True]
    whole = "\n".join(part["text"] for part in parts)
    assert parts[0]["text"].startswith("📋 โครงการพัฒนาคุณภาพ") and "กิจกรรมที่ 12" in whole
    assert_within_limits(rig.standin)


async def test_documents_and_photos_reach_the_service_as_attachments(rig: TelegramRig) -> None:
    seen: list[Inbound] = []
    service = rig.channel.service
    handle = service.handle_claimed

    async def spy(item: Claimed, inbound: Inbound, role: TurnSeen | None = None) -> list[Reply] | None:
        seen.append(inbound)
        return await handle(item, inbound, role)

    service.handle_claimed = spy  # type: ignore[method-assign]
    suda = await rig.link(rig.user())
    pdf = b"%PDF-1.7 " + bytes(range(256)) * 8
    await suda.send_document("แผนการอบรมครู.pdf", pdf, "application/pdf", caption="หลักฐานกิจกรรม")
    assert seen[-1].attachment == Attachment("document", "แผนการอบรมครู.pdf", pdf, "application/pdf")
    assert seen[-1].text is None and seen[-1].metadata == {"caption": "หลักฐานกิจกรรม"}
    assert UNSUPPORTED in suda.text  # the engine's answer until a question asks for evidence (#4)
    assert "documents/แผนการอบรมครู.pdf" in rig.standin.downloads

    photo = b"\xff\xd8\xff\xe0" + b"jpeg" * 500
    await suda.send_photo(photo)
    assert seen[-1].attachment is not None and seen[-1].attachment.kind == "image"
    assert seen[-1].attachment.content == photo  # the full size, not the preview

    await suda.send_sticker()
    assert seen[-1].unsupported == "sticker" and seen[-1].attachment is None
    assert UNSUPPORTED in suda.text


async def test_a_redelivered_update_is_answered_once(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    update = suda.message_update(text="วิธีใช้")
    mark = len(rig.standin.calls)
    await rig.standin.deliver(update, update)  # Telegram sends the same update_id twice
    await rig.settle(update, mark)
    suda.mark = mark
    [answer] = suda.last  # help with the menu's buttons in one message (bot/chat_fold.py), once
    assert answer["text"].startswith("❓ วิธีใช้") and answer == suda.screen


async def test_each_users_updates_are_answered_in_order(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    weera = await rig.link(rig.user(7002, "วีระ", "แก้วมณี"), "weera")
    mark = len(rig.standin.calls)
    batch = [suda.message_update(text="วิธีใช้"), weera.message_update(text="วิธีใช้"),
             suda.message_update(text="เมนู"), suda.message_update(text="วิธีใช้")]
    await rig.standin.deliver(*batch)
    await rig.settle(batch[-1], mark)
    suda.mark = weera.mark = mark
    firsts = [message["text"].split("\n")[0] for message in suda.last]
    assert firsts == ["❓ วิธีใช้", "สวัสดีค่ะ นางสาวสุดา ศรีสุข (สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 1)",
                      "❓ วิธีใช้"]  # each help carries the menu's buttons in the same message
    assert weera.last[0]["text"].split("\n")[0] == "❓ วิธีใช้"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own, raising RetryAfter
async def test_flood_control_is_waited_out_then_the_message_goes(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    rig.standin.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=suda.id)
    await suda.say("วิธีใช้")
    attempts = [call for call in rig.standin.calls[suda.mark:] if call.method == "sendMessage"]
    assert [call.status for call in attempts[:2]] == [429, 200]
    assert attempts[0].params["text"] == attempts[1].params["text"]
    assert attempts[1].at - attempts[0].at >= 1.0  # the server's retry_after was honoured
    assert suda.last[0]["text"].startswith("❓ วิธีใช้")


async def test_a_user_who_blocked_the_bot_is_marked_inactive_and_not_retried(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    rig.standin.fail("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=suda.id)
    await suda.say("วิธีใช้")
    attempts = [call for call in rig.standin.calls[suda.mark:] if call.method == "sendMessage"]
    assert [call.status for call in attempts] == [403]  # no retry, and the rest of the turn is not sent
    account = await ChatAccount.get(platform=Platform.TELEGRAM, external_id=str(suda.id))
    assert account.active is False
    await suda.say("เมนู")  # they unblocked and wrote again
    await account.refresh_from_db()
    assert account.active is True and suda.last

    left = {"update_id": rig.standin.next_update_id(), "my_chat_member": {
        "chat": suda.chat, "from": suda.sender, "date": 1795000000,
        "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True, "first_name": "Tidtam"}},
        "new_chat_member": {"status": "kicked", "user": {"id": 1, "is_bot": True, "first_name": "Tidtam"},
                            "until_date": 0}}}
    await suda.send(left)
    await account.refresh_from_db()
    assert account.active is False and suda.last == []


async def test_network_errors_are_retried_and_polling_carries_on(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    rig.standin.fail("getUpdates", 502, "Bad Gateway", times=2)
    rig.standin.fail("sendMessage", 502, "Bad Gateway", chat_id=suda.id)
    await suda.say("วิธีใช้")
    await suda.say("เมนู")
    assert suda.last and suda.last[-1]["text"].startswith("สวัสดีค่ะ")
    assert [call.status for call in rig.standin.calls if call.method == "getUpdates"].count(502) == 2
    sends = [call for call in rig.standin.calls if call.method == "sendMessage" and call.status == 502]
    assert len(sends) == 1 and rig.standin.called("sendMessage", text=sends[0].params["text"])


async def test_the_token_never_reaches_the_logs(empty_database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    async with telegram_app(empty_database_url) as running:
        running.standin.fail("sendMessage", 502, "Bad Gateway")
        suda = await running.link(running.user())
        await suda.say("วิธีใช้")
        token = running.standin.token
    assert "<telegram-bot-token>" in caplog.text  # python-telegram-bot logged its URL: masked
    assert token not in caplog.text
    assert token.split(":")[1] not in caplog.text


async def test_files_the_bot_sends_go_as_documents_and_photos(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    pdf = Attachment("document", "สรุปโครงการ.pdf", b"%PDF-1.7 summary", "application/pdf")
    chart = Attachment("image", "กราฟ.png", b"\x89PNG chart", "image/png")
    await rig.channel.send_replies(suda.id, [Reply("สรุปโครงการค่ะ", attachment=pdf), Reply("", attachment=chart)])
    document, photo = rig.standin.called("sendDocument")[-1], rig.standin.called("sendPhoto")[-1]
    assert document.files["document"] == ("สรุปโครงการ.pdf", b"%PDF-1.7 summary")
    assert document.params["caption"] == "สรุปโครงการค่ะ" and document.params["chat_id"] == suda.id
    assert photo.files["photo"][1] == b"\x89PNG chart" and "caption" not in photo.params


async def test_messages_nobody_waits_for_are_paced_one_a_second_per_chat(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    mark = len(rig.standin.calls)
    opening = (Choice("*q12.2570.1", "📝 เปิดรายงาน", role=ChoiceRole.LINK),)  # a notice with its button stays apart
    await rig.channel.push(suda.id, [Reply("🔔 เตือนความจำ 1", opening), Reply("🔔 เตือนความจำ 2", opening)])
    first, second = [call for call in rig.standin.calls[mark:] if call.method == "sendMessage"]
    assert (first.params["text"], second.params["text"]) == ("🔔 เตือนความจำ 1", "🔔 เตือนความจำ 2")
    assert second.at - first.at >= 0.9


async def test_a_redraw_uses_the_lightest_edit_and_survives_refusals(rig: TelegramRig) -> None:
    sender, chat = rig.channel.sender, 7001
    markup = keyboard(Reply("x", choices=(Choice("1.a", "ก"),)), today=rig.clock().date())
    other = keyboard(Reply("x", choices=(Choice("1.b", "ข"),)), today=rig.clock().date())
    sent = await sender.send(chat, OutText("คำถาม", markup))
    assert await sender.edit(chat, sent.message_id, OutText("คำถาม", other), shown_text="คำถาม")
    assert await sender.edit(chat, sent.message_id, OutText("คำถามใหม่", other), shown_text="คำถาม")
    assert await sender.edit(chat, sent.message_id, OutText("คำถามใหม่", other), shown_text="คำถามใหม่")  # unchanged
    assert not await sender.edit(chat, 999_999, OutText("หาย", other), shown_text="")  # gone: the caller sends anew
    assert [call.method for call in rig.standin.calls if call.method.startswith("edit")] == [
        "editMessageReplyMarkup", "editMessageText", "editMessageReplyMarkup", "editMessageText"]
    assert rig.standin.messages(chat)[-1]["text"] == "คำถามใหม่"


async def test_a_polled_update_is_stored_as_telegram_sent_it(rig: TelegramRig) -> None:
    """getUpdates' JSON is stored as it came (as the webhook's is), not written out again from the parsed update."""
    suda = await rig.link(rig.user())
    update = suda.message_update(text="วิธีใช้")
    await suda.send(update)
    stored = await InboxEvent.get(event_id=str(update["update_id"]))
    assert json.loads(stored.payload) == update
    assert suda.last and suda.last[0]["text"].startswith("❓ วิธีใช้")


async def test_a_token_telegram_refuses_is_logged_and_polling_carries_on(rig: TelegramRig,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    suda = await rig.link(rig.user())
    rig.standin.fail("getUpdates", 401, "Unauthorized")
    await suda.say("วิธีใช้")
    assert "the bot token was rejected" in caplog.text
    assert suda.last and suda.last[0]["text"].startswith("❓ วิธีใช้")
