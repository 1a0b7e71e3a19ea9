"""An acknowledgement travels with the question after it (bot/chat_fold.py): one message per answer, not two."""

from __future__ import annotations

from bot.chat_fold import folded
from conversations.engine.views import card_text
from conversations.messages import Attachment, Card, CardSection, Choice, Reply, ReplyKind

ACK = Reply(text="✔️ รับทราบ: 2570")
NOTE = Reply(text="📁 สร้างโครงการแล้วค่ะ")
QUESTION = Reply(text="เลือกระดับค่ะ", choices=(Choice("1.a", "ระดับ 1"),))
CARD = Reply(text="บัตรโครงการ", card=Card("โครงการ", (CardSection("M2", (("ชื่อ", "ก"),)),)))


def test_acknowledgements_ride_on_the_question_with_its_buttons() -> None:
    [one] = folded([ACK, NOTE, QUESTION])
    assert one.text == "✔️ รับทราบ: 2570\n\n📁 สร้างโครงการแล้วค่ะ\n\nเลือกระดับค่ะ"
    assert one.choices == QUESTION.choices


def test_a_card_or_a_file_is_left_whole_and_the_text_before_it_goes_alone() -> None:
    chart = Reply(text="กราฟ", attachment=Attachment("image", "chart.png", b"png", "image/png"))
    assert folded([ACK, CARD, QUESTION]) == [ACK, CARD, QUESTION]
    assert folded([ACK, NOTE, chart]) == [Reply(text="✔️ รับทราบ: 2570\n\n📁 สร้างโครงการแล้วค่ะ"), chart]


def test_a_reply_a_channel_acts_on_keeps_its_own_message() -> None:
    stale = Reply(text="ขั้นนั้นผ่านไปแล้วค่ะ", kind=ReplyKind.STALE)
    assert folded([stale, QUESTION]) == [stale, QUESTION]
    assert folded([ACK, stale]) == [ACK, stale]


def test_plain_replies_at_the_end_are_one_message_and_nothing_is_nothing() -> None:
    assert folded([ACK, NOTE]) == [Reply(text="✔️ รับทราบ: 2570\n\n📁 สร้างโครงการแล้วค่ะ")]
    assert folded([QUESTION]) == [QUESTION] and folded([]) == []


def test_before_a_review_card_the_acknowledgement_goes_under_the_card_above_what_it_asks() -> None:
    card = Card("โครงการ", (CardSection("M2", (("ชื่อ", "ก"),)),))
    review = Reply(text=f"{card_text(card)}\n\nข้อมูลครบแล้วค่ะ", card=card, choices=QUESTION.choices)
    [one] = folded([ACK, review])
    assert one.text == f"{card_text(card)}\n\n✔️ รับทราบ: 2570\n\nข้อมูลครบแล้วค่ะ" and one.card == card
