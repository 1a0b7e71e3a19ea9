"""Telegram updates (the JSON Telegram sends) as neutral inbound messages: a table of what each one means."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import InlineKeyboardMarkup, Update

from bot.telegram_controls import Control, ControlKind
from bot.telegram_normalize import FileRef, Incoming, Left, Press, normalize
from conversations.messages import Inbound
from models.enums import Platform

USER = {"id": 7001, "is_bot": False, "first_name": "สุดา", "last_name": "ศรีสุข"}
CHAT = {"id": 7001, "type": "private", "first_name": "สุดา"}
GROUP = {"id": -100123, "type": "supergroup", "title": "สพป.เชียงใหม่ 1"}
BOT = {"id": 123456789, "is_bot": True, "first_name": "Tidtam"}
KEYBOARD = {"inline_keyboard": [[{"text": "ใช่", "callback_data": "1a.y"}, {"text": "ไม่ใช่", "callback_data": "1a.n"}]]}


def message(**content: Any) -> dict[str, Any]:
    return {"message_id": 40, "date": 1795000000, "chat": CHAT, "from": USER, **content}


def inbound(**what: Any) -> Inbound:
    return Inbound(Platform.TELEGRAM, "7001", event_id="900", display_name="สุดา ศรีสุข", **what)


def press(data: str, on: dict[str, Any] | None) -> dict[str, Any]:
    query: dict[str, Any] = {"id": "q1", "from": USER, "chat_instance": "c1", "data": data}
    if on is not None:
        query["message"] = on
    return {"callback_query": query}


BOT_MESSAGE = {"message_id": 41, "date": 1795000000, "chat": CHAT, "from": BOT, "text": "ใช้งบประมาณไหมคะ",
               "reply_markup": KEYBOARD}
GONE_MESSAGE = {"message_id": 41, "date": 0, "chat": CHAT}  # Telegram's "inaccessible message"
DOCUMENT = {"file_id": "D1", "file_unique_id": "UD1", "file_name": "แผนการอบรม.pdf", "mime_type": "application/pdf",
            "file_size": 2048}
PHOTOS = [{"file_id": "P-small", "file_unique_id": "US", "width": 90, "height": 90, "file_size": 900},
          {"file_id": "P-big", "file_unique_id": "UB", "width": 1280, "height": 960, "file_size": 90000}]
STICKER = {"file_id": "S1", "file_unique_id": "US1", "type": "regular", "width": 512, "height": 512,
           "is_animated": False, "is_video": False}
PRESSED = Press("q1", "1a.y", 41, "ใช้งบประมาณไหมคะ", InlineKeyboardMarkup.de_json(KEYBOARD))

CASES: list[tuple[str, dict[str, Any], Incoming | Left | None]] = [
    ("typed text", {"message": message(text="สวัสดีค่ะ")}, Incoming(7001, inbound(text="สวัสดีค่ะ"))),
    ("a deep link's /start CODE", {"message": message(text="/start K7QM3XPA9T")},
     Incoming(7001, inbound(text="/start K7QM3XPA9T"))),
    ("a command addressed to the bot by name", {"message": message(text="/start@tidtam_bot K7QM3XPA9T")},
     Incoming(7001, inbound(text="/start K7QM3XPA9T"))),
    ("a button press", press("1a.y", BOT_MESSAGE), Incoming(7001, inbound(button="1a.y"), PRESSED)),
    ("a press on a message Telegram no longer shows", press("1a.y", GONE_MESSAGE),
     Incoming(7001, inbound(button="1a.y"), Press("q1", "1a.y"))),
    ("a page turn asks for the screen: no text, no button", press("!p:1a:2", BOT_MESSAGE),
     Incoming(7001, inbound(), Press("q1", "!p:1a:2", 41, "ใช้งบประมาณไหมคะ", PRESSED.keyboard,
                                     Control(ControlKind.PAGE, "1a", page=2)))),
    ("a document", {"message": message(document=DOCUMENT, caption="หลักฐาน")},
     Incoming(7001, inbound(metadata={"caption": "หลักฐาน"}),
              file=FileRef("D1", "document", "แผนการอบรม.pdf", "application/pdf", 2048))),
    ("a photo: the largest size", {"message": message(photo=PHOTOS)},
     Incoming(7001, inbound(), file=FileRef("P-big", "image", "photo-UB.jpg", "image/jpeg", 90000))),
    ("a sticker", {"message": message(sticker=STICKER)}, Incoming(7001, inbound(unsupported="sticker"))),
    ("a location", {"message": message(location={"latitude": 18.79, "longitude": 98.98})},
     Incoming(7001, inbound(unsupported="location"))),
    ("a contact", {"message": message(contact={"phone_number": "0812345678", "first_name": "สุดา"})},
     Incoming(7001, inbound(unsupported="contact"))),
    ("a message in a group is not served", {"message": {**message(text="สวัสดี"), "chat": GROUP}}, None),
    ("a press in a group is not served", press("1a.y", {**BOT_MESSAGE, "chat": GROUP}), None),
    ("another bot", {"message": {**message(text="hi"), "from": BOT}}, None),
    ("an edited message", {"edited_message": message(text="แก้แล้ว", edit_date=1795000100)}, None),
    ("a service message", {"message": message(new_chat_title="ชื่อใหม่")}, None),
    ("the user blocked the bot", {"my_chat_member": {
        "chat": CHAT, "from": USER, "date": 1795000000,
        "old_chat_member": {"status": "member", "user": BOT},
        "new_chat_member": {"status": "kicked", "user": BOT, "until_date": 0}}}, Left("7001")),
    ("the user unblocked it", {"my_chat_member": {
        "chat": CHAT, "from": USER, "date": 1795000000,
        "old_chat_member": {"status": "kicked", "user": BOT, "until_date": 0},
        "new_chat_member": {"status": "member", "user": BOT}}}, None),
]


@pytest.mark.parametrize(("update", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_normalize(update: dict[str, Any], expected: Incoming | Left | None) -> None:
    result = normalize(Update.de_json({"update_id": 900, **update}))
    assert result == expected
    if isinstance(result, Incoming) and isinstance(expected, Incoming):
        assert result.inbound.metadata == expected.inbound.metadata  # not part of Inbound equality


def test_every_inbound_carries_the_update_id_so_redeliveries_are_dropped() -> None:
    first = normalize(Update.de_json({"update_id": 77, "message": message(text="ก")}))
    assert isinstance(first, Incoming) and first.inbound.event_id == "77" and first.inbound.key == (
        Platform.TELEGRAM, "7001")
