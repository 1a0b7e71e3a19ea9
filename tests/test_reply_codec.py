"""Replies waiting in the inbox come back exactly as the turn made them: every field of every neutral type."""

from __future__ import annotations

import dataclasses
from typing import Any

from conversations.engine.effect_types import Ask, PendingAnswer
from conversations.messages import (
    Attachment,
    Card,
    CardSection,
    Choice,
    ChoiceRole,
    Copyable,
    InputHint,
    Reply,
    ReplyKind,
)
from conversations.service.reply_codec import dump_replies, load_replies

# A value for every field, none of them the default, so that a field the codec forgot cannot pass unnoticed.
CARD = Card(title="📋 โครงการพัฒนาทักษะการอ่าน", sections=(CardSection("M2", (("ผู้อำนวยการ", "นายสมชาย ใจดี"),)),),
            footer="รหัส CMI1-2570-003", code="CMI1-2570-003", status="📝 ร่าง")
FILE = Attachment("document", "ส่งออก.xlsx", b"\x00\x01PK\xff", "application/vnd.ms-excel", "https://x.example/f")
FULL = Reply(text="ข้อความ\x00ที่มี\ud800ทุกอย่าง",
             choices=(Choice("3.a", "ใช่", True, ChoiceRole.NAVIGATION), Choice("3.b", "ไม่", False),
                      Choice("3.~back", "⬅️ ย้อนกลับ", role=ChoiceRole.NAVIGATION)),
             multi=True, hint=InputHint.DATE, card=CARD, attachment=FILE, key="reg.start_date", kind=ReplyKind.STALE,
             copies=(Copyable("M2 ข้อมูลทั่วไป · ชื่อโครงการ", "โครงการ\x00พัฒนา\nการอ่าน"),))
PENDING = PendingAnswer(text="", key="ask.import", ask=Ask("import", "2570", Attachment(
    "document", "แผน 2570.xlsx", b"PK\x03\x04 the plan", "application/vnd.ms-excel", "https://x/y")), user_id=42)


def _not_default(value: Any) -> None:
    for field in dataclasses.fields(value):
        default = field.default if field.default is not dataclasses.MISSING else None
        assert getattr(value, field.name) != default, f"{type(value).__name__}.{field.name} left at its default"


def test_every_field_is_set_in_the_samples() -> None:
    for sample in (FULL, CARD, FILE, FULL.choices[0], CARD.sections[0], PENDING.ask, FULL.copies[0]):
        assert sample is not None
        _not_default(sample)


def test_every_field_of_every_neutral_type_survives_the_round_trip() -> None:
    replies = [FULL, PENDING, Reply(text="เรียบง่าย")]
    loaded = load_replies(dump_replies(replies))
    assert loaded == replies
    assert [type(reply) for reply in loaded] == [Reply, PendingAnswer, Reply]


def test_the_stored_text_is_ascii_whatever_was_typed() -> None:
    assert dump_replies([FULL]).isascii()


def test_replies_stored_before_roles_and_kinds_load_with_theirs() -> None:
    """A turn stored by the previous release (a ``page``, no ``role`` nor ``kind``) is sent after an upgrade."""
    old = ('[{"text":"x","choices":[{"token":"3.a","label":"a","selected":null},'
           '{"token":"3.~back","label":"b","selected":null},{"token":"*inbox","label":"c","selected":null}],'
           '"multi":false,"hint":"none","page":2,"card":null,"attachment":null,"key":"input.stale"}]')
    [reply] = load_replies(old)
    assert [choice.role for choice in reply.choices] == [ChoiceRole.ANSWER, ChoiceRole.NAVIGATION, ChoiceRole.LINK]
    assert reply.kind is ReplyKind.STALE
