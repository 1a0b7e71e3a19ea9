"""Rendering neutral replies as LINE messages: exact JSON, table by table (pure, no network)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from linebot.v3.messaging import Message

from bot.line_flex import bubble
from bot.line_limits import MAX_TEXT, fit, length
from bot.line_postback import Postback, button_data, more_data, picker_data, read_postback
from bot.line_render import (
    card_summary,
    page_count,
    quick_reply_items,
    render,
    render_plain,
    split_text,
)
from conversations.button_data import screen_of
from conversations.copy.reference import PROVINCES
from conversations.engine.views import card_text
from conversations.messages import Attachment, Card, CardSection, Choice, ChoiceRole, InputHint, Reply
from conversations.tokens import encode

NAVIGATION = ChoiceRole.NAVIGATION
BACK = Choice("7.~back", "⬅️ ย้อนกลับ", role=NAVIGATION)
HUB = Choice("7.~hub", "📑 สารบัญ", role=NAVIGATION)


def postback(label: str, data: str, shown: str | None = None) -> dict[str, Any]:
    return {"type": "action", "action": {"type": "postback", "label": label, "data": data,
                                         "displayText": label if shown is None else shown}}


@pytest.mark.parametrize(("reply", "expected"), [
    pytest.param(
        Reply(text="เลือกค่ะ", choices=(Choice("1.a", "ตัวเลือกแรก"), Choice("1.~back", "⬅️ ย้อนกลับ")),
              hint=InputHint.CHOICE),
        [{"type": "text", "text": "เลือกค่ะ", "quickReply": {"items": [
            postback("ตัวเลือกแรก", "1.a"), postback("⬅️ ย้อนกลับ", "1.~back")]}}],
        id="choices become postback buttons carrying the token, showing the label"),
    pytest.param(
        Reply(text="แผนงาน", choices=(Choice("2.b0", "แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์"),
                                      Choice("2.b1", "NS-03 ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพ"),
                                      Choice("2.b2", "📋 รายงานผลการดำเนินงานรายไตรมาส"))),
        [{"type": "text", "text": "แผนงาน", "quickReply": {"items": [
            postback("แผนงานพื้นฐานด้านกา…", "2.b0",
                     "แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์"),
            postback("NS-03 ยุทธศาสตร์ชา…", "2.b1", "NS-03 ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพ"),
            postback("📋 รายงานผลการดำเนิ…", "2.b2", "📋 รายงานผลการดำเนินงานรายไตรมาส")]}}],
        id="long Thai labels are cut to 20 by grapheme (never before a vowel mark), the chat shows them whole"),
    pytest.param(
        Reply(text="ไตรมาส", choices=(Choice("3.-1", "Q1", True), Choice("3.+2", "Q2", False),
                                      Choice("3.~done", "✅ เสร็จ")), multi=True, hint=InputHint.CHOICE),
        [{"type": "text", "text": "ไตรมาส", "quickReply": {"items": [
            postback("☑ Q1", "3.-1", "Q1"), postback("☐ Q2", "3.+2", "Q2"), postback("✅ เสร็จ", "3.~done")]}}],
        id="multi-select ticks"),
    pytest.param(
        Reply(text="วันเริ่มต้นโครงการ", choices=(BACK, HUB), hint=InputHint.DATE),
        [{"type": "text", "text": "วันเริ่มต้นโครงการ", "quickReply": {"items": [
            {"type": "action", "action": {"type": "datetimepicker", "label": "📅 เลือกวันที่", "data": "7.@",
                                          "mode": "date"}},
            postback("⬅️ ย้อนกลับ", "7.~back"), postback("📑 สารบัญ", "7.~hub")]}}],
        id="a date question offers the date picker first"),
    pytest.param(
        Reply(text="ชื่อโครงการคืออะไรคะ"),
        [{"type": "text", "text": "ชื่อโครงการคืออะไรคะ"}],
        id="no buttons, no quick reply"),
    pytest.param(
        Reply(text="ส่งออกแล้วค่ะ", attachment=Attachment("document", "project.pdf", b"%PDF")),
        [{"type": "text", "text": "ส่งออกแล้วค่ะ\n📎 project.pdf\n(LINE ส่งไฟล์ให้โดยตรงไม่ได้ค่ะ ต้องเปิดผ่านลิงก์ดาวน์โหลด "
                                  "ขอให้ผู้ดูแลระบบตั้งค่า TIDTAM_PUBLIC_URL แล้วขอไฟล์นี้อีกครั้ง)"}],
        id="a file is named, and how to get it (LINE sends files only from HTTPS URLs)"),
])
def test_a_reply_as_line_messages(reply: Reply, expected: list[dict[str, Any]]) -> None:
    assert render([reply]) == expected
    assert [Message.from_dict(message).to_dict() for message in expected] == expected  # the SDK takes them as is


CARD = Card(title="โครงการอ่านออกเขียนได้", sections=(
    CardSection("ข้อมูลโครงการ", (("ชื่อโครงการ", "โครงการอ่านออกเขียนได้"), ("ปีงบประมาณ", "2570"))),
    CardSection("➖ M5 งบประมาณ", (("ไม่ต้องกรอก", ""),)),
), footer="รหัส CMI1-2570-003 · สถานะ 📝 ร่าง", code="CMI1-2570-003", status="📝 ร่าง")
SUMMARY = "📋 โครงการอ่านออกเขียนได้\nรหัส CMI1-2570-003 · สถานะ 📝 ร่าง\nเปิดดูรายละเอียด"
BUBBLE = {
    "type": "bubble", "size": "giga",
    "header": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": "โครงการอ่านออกเขียนได้", "weight": "bold", "size": "md", "wrap": True}]},
    "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
        {"type": "text", "text": "ข้อมูลโครงการ", "weight": "bold", "size": "sm", "wrap": True, "margin": "lg"},
        {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
            {"type": "text", "text": "ชื่อโครงการ", "size": "xs", "color": "#8C8C8C", "wrap": True, "flex": 2},
            {"type": "text", "text": "โครงการอ่านออกเขียนได้", "size": "xs", "wrap": True, "flex": 3}]},
        {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
            {"type": "text", "text": "ปีงบประมาณ", "size": "xs", "color": "#8C8C8C", "wrap": True, "flex": 2},
            {"type": "text", "text": "2570", "size": "xs", "wrap": True, "flex": 3}]},
        {"type": "separator", "margin": "lg"},
        {"type": "text", "text": "➖ M5 งบประมาณ", "weight": "bold", "size": "sm", "wrap": True, "margin": "lg"},
        {"type": "text", "text": "ไม่ต้องกรอก", "size": "xs", "wrap": True}]},
    "footer": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": "รหัส CMI1-2570-003 · สถานะ 📝 ร่าง", "size": "xs", "color": "#8C8C8C",
         "wrap": True}]},
}


def test_a_card_is_a_flex_bubble_with_a_short_summary_as_alt_text_and_the_note_after_it() -> None:
    text = card_text(CARD) + "\n\nข้อมูลครบแล้วค่ะ ✅"
    review = Reply(text=text, card=CARD, choices=(Choice("9.~submit", "📤 ส่งให้ผู้อำนวยการ"),), key="review")
    flex, note = render([review])
    assert flex == {"type": "flex", "altText": SUMMARY, "contents": BUBBLE}
    assert note == {"type": "text", "text": "ข้อมูลครบแล้วค่ะ ✅", "quickReply": {"items": [
        postback("📤 ส่งให้ผู้อำนวยการ", "9.~submit")]}}
    assert Message.from_dict(flex).to_dict() == flex
    assert bubble(CARD) == BUBBLE


def test_a_card_without_a_note_carries_the_quick_reply_itself_and_its_summary_stays_short() -> None:
    long_card = replace(CARD, sections=(CardSection("ยาว", tuple((f"แถว {n}", "ก" * 200) for n in range(10))),))
    [flex] = render([Reply(text=card_text(long_card), card=long_card, choices=(BACK,))])
    assert flex["altText"] == SUMMARY  # the rows are in the bubble, not in what a lock screen shows
    assert flex["quickReply"]["items"] == [postback("⬅️ ย้อนกลับ", "7.~back")]


@pytest.mark.parametrize(("card", "expected"), [
    pytest.param(replace(CARD, code="", footer="รหัส (ยังไม่มีรหัส) · สถานะ 📝 ร่าง"),
                 "📋 โครงการอ่านออกเขียนได้\nรหัส (ยังไม่มีรหัส) · สถานะ 📝 ร่าง\nเปิดดูรายละเอียด", id="no code yet"),
    pytest.param(replace(CARD, code="", status="", footer=""), "📋 โครงการอ่านออกเขียนได้\nเปิดดูรายละเอียด",
                 id="no status: the title alone"),
    pytest.param(replace(CARD, title="โครงการ\nสองบรรทัด   มีช่องว่าง"),
                 "📋 โครงการ สองบรรทัด มีช่องว่าง\nรหัส CMI1-2570-003 · สถานะ 📝 ร่าง\nเปิดดูรายละเอียด",
                 id="the title on one line"),
])
def test_a_cards_summary_is_its_title_code_and_status(card: Card, expected: str) -> None:
    assert card_summary(card) == expected


def test_a_long_title_is_cut_so_that_the_summary_keeps_its_code_status_and_ending() -> None:
    summary = card_summary(replace(CARD, title="โครงการพัฒนา" * 100))
    assert length(summary) <= 400 and summary.endswith("\nรหัส CMI1-2570-003 · สถานะ 📝 ร่าง\nเปิดดูรายละเอียด")
    assert summary.split("\n")[0].endswith("…")


def test_a_card_too_big_for_one_bubble_is_sent_as_text() -> None:
    huge = replace(CARD, sections=(CardSection("ยาว", tuple((f"แถว {n}", "ข" * 300) for n in range(40))),))
    messages = render([Reply(text=card_text(huge), card=huge)])
    assert {message["type"] for message in messages} == {"text"}
    assert "".join(message["text"] for message in messages).replace("\n", "") == card_text(huge).replace("\n", "")


PROMPT = 12
PROVINCE_SCREEN = Reply(
    text="พื้นที่ดำเนินการอยู่จังหวัดใดบ้างคะ",
    choices=(*(Choice(encode(PROMPT, f"+{index}"), name, False) for index, name in enumerate(PROVINCES)),
             *(Choice(encode(PROMPT, value), label, role=NAVIGATION) for value, label in (
                 ("~done", "✅ เสร็จ"), ("~back", "⬅️ ย้อนกลับ"), ("~hub", "📑 สารบัญ"), ("~save", "💾 พักไว้ก่อน")))),
    multi=True, hint=InputHint.CHOICE)


def test_more_than_13_choices_are_paged_with_more_and_the_first_navigation_on_every_page() -> None:
    assert len(PROVINCE_SCREEN.choices) == 81 and page_count(PROVINCE_SCREEN) == 8  # 77 + hub, save; 10 a page
    first = quick_reply_items(PROVINCE_SCREEN)
    assert len(first) == 13
    assert [item["action"]["label"] for item in first[10:]] == ["ดูเพิ่ม ▶ 2/8", "✅ เสร็จ", "⬅️ ย้อนกลับ"]
    assert first[10]["action"]["data"] == "more:c:1" == more_data(screen_of(PROVINCE_SCREEN) or "", 1)
    assert first[0]["action"] == {"type": "postback", "label": "☐ กรุงเทพมหานคร", "data": "c.+0",
                                  "displayText": "กรุงเทพมหานคร"}
    fourth = quick_reply_items(PROVINCE_SCREEN, 3)
    assert fourth[0]["action"]["label"] == f"☐ {PROVINCES[30]}"
    assert fourth[0]["action"]["data"] == "pg:3:c.+30" == button_data(encode(PROMPT, "+30"), 3)
    last = quick_reply_items(PROVINCE_SCREEN, 99)  # beyond the end: the last page
    labels = [item["action"]["label"] for item in last]
    assert labels[-3:] == ["◀ หน้าแรก 1/8", "✅ เสร็จ", "⬅️ ย้อนกลับ"] and "💾 พักไว้ก่อน" in labels
    assert last[-3]["action"]["data"] == "more:c:0"
    every = [item["action"]["data"] for page in range(8)
             for item in quick_reply_items(PROVINCE_SCREEN, page)
             if not item["action"]["data"].startswith("more:")]
    tokens = {read_postback(data).button for data in every}
    assert tokens == {choice.token for choice in PROVINCE_SCREEN.choices}  # every choice is on some page


@pytest.mark.parametrize(("count", "pages", "items"), [(13, 1, 13), (14, 2, 13), (12, 1, 12)])
def test_thirteen_fit_on_one_page_fourteen_do_not(count: int, pages: int, items: int) -> None:
    choices = (*(Choice(encode(4, f"v{n}"), f"ตัวเลือก {n}") for n in range(count - 1)),
               Choice(encode(4, "~up"), "⬆️ ขึ้นหนึ่งระดับ", role=NAVIGATION))
    reply = Reply(text="เลือก", choices=choices, hint=InputHint.CHOICE)
    assert page_count(reply) == pages and len(quick_reply_items(reply)) == items
    assert quick_reply_items(reply)[-1]["action"]["label"] == "⬆️ ขึ้นหนึ่งระดับ"  # navigation stays reachable


def test_a_turn_is_at_most_five_messages_and_the_live_question_is_always_whole() -> None:
    question = Reply(text="คำถามล่าสุด", choices=(BACK,))
    acks = [Reply(text=f"✔️ รับทราบ {n}") for n in range(7)]
    few = render([*acks[:4], question])  # acknowledgements ride on the question: one message, its buttons on it
    assert [message["text"] for message in few] == ["\n\n".join([*(f"✔️ รับทราบ {n}" for n in range(4)),
                                                                 "คำถามล่าสุด"])]
    assert "quickReply" in few[0]
    cards = [Reply(text=card_text(CARD), card=CARD)]
    four = render(cards * 4 + [question])  # a card is sent whole, on its own
    assert [message["type"] for message in four] == ["flex"] * 4 + ["text"]
    flexes = render(cards * 5 + [question])
    assert len(flexes) == 2 and flexes[0]["type"] == "text" and flexes[1]["text"] == "คำถามล่าสุด"
    assert render([]) == []


def test_long_text_is_split_at_line_breaks_and_the_buttons_go_on_the_last_piece() -> None:
    lines = [f"บรรทัดที่ {n} " + "ก" * 90 for n in range(120)]
    messages = render([Reply(text="\n".join(lines), choices=(BACK,))])
    assert len(messages) == 3 and all(length(message["text"]) <= MAX_TEXT for message in messages)
    assert "\n".join(message["text"] for message in messages) == "\n".join(lines)
    assert [("quickReply" in message) for message in messages] == [False, False, True]
    one_line = "ก" * 12_000
    assert [length(piece) for piece in split_text(one_line)] == [5000, 5000, 2000]


def test_labels_are_measured_the_way_line_counts() -> None:
    assert length("📋") == 2 and length("ก่") == 2 and length("abc") == 3
    assert fit("📋 " + "ก" * 30, 20) == "📋 " + "ก" * 16 + "…"
    assert fit("สั้น", 20) == "สั้น"


@pytest.mark.parametrize(("data", "params", "expected"), [
    ("c.+3", None, Postback(button="c.+3")),
    ("pg:3:c.+30", None, Postback(button="c.+30", page=3)),
    ("more:c:2", None, Postback(page=2, more_of="c")),
    ("7.@", {"date": "2026-10-01"}, Postback(button="7.@2026-10-01")),
    ("7.@", None, Postback(button="7.@")),
    ("7.a", {"date": "2026-10-01"}, Postback(button="7.a")),  # only a picker's data takes the date
    ("7.@", {"date": "๒๐๒๖" * 20}, Postback(button="7.@")),  # not what a picker sends: left to the engine
    ("more:zz!:x", None, Postback(button="more:zz!:x")),  # not ours: the engine answers "moved on"
    ("pg:x:c.1", None, Postback(button="pg:x:c.1")),
])
def test_postback_data_is_read_back(data: str, params: dict[str, str] | None, expected: Postback) -> None:
    assert read_postback(data, params) == expected


def test_every_postback_shape_is_far_within_300_characters() -> None:
    longest = encode(36 ** 6, "x" * 50)
    assert len(button_data(longest, 99)) < 80 and picker_data("1000000") == "1000000.@"
    assert len(more_data("1000000", 99)) < 80
    assert screen_of(PROVINCE_SCREEN) == "c" and screen_of(Reply(text="x")) is None


TYPE_ONE = "แสดงปุ่มไม่ได้ พิมพ์ตัวเลือกที่ต้องการได้เลยค่ะ"


@pytest.mark.parametrize(("replies", "expected"), [
    pytest.param(
        [Reply(text="เลือกค่ะ", choices=(Choice("1.a", "ตัวเลือกแรก"), Choice("1.~back", "⬅️ ย้อนกลับ")),
               hint=InputHint.CHOICE)],
        [f"เลือกค่ะ\n\n{TYPE_ONE}\n• ตัวเลือกแรก\n• ⬅️ ย้อนกลับ"],
        id="the choices as lines to type, no quick reply"),
    pytest.param(
        [Reply(text="ไตรมาส", choices=(Choice("3.-1", "Q1", True), Choice("3.+2", "Q2", False),
                                       Choice("3.~done", "✅ เสร็จ")), multi=True)],
        [f"ไตรมาส\n\n{TYPE_ONE}\n• ☑ Q1\n• ☐ Q2\n• ✅ เสร็จ"],
        id="ticks kept on a multi-select"),
    pytest.param(
        [Reply(text=card_text(CARD) + "\n\nข้อมูลครบแล้วค่ะ ✅", card=CARD, choices=(HUB,))],
        [f"{card_text(CARD)}\n\nข้อมูลครบแล้วค่ะ ✅\n\n{TYPE_ONE}\n• 📑 สารบัญ"],
        id="a card as its text, no Flex"),
    pytest.param(
        [Reply(text="กราฟค่ะ", attachment=Attachment("image", "chart.png", b"png", "image/png",
                                                      url="https://tidtam.example/files/t/chart.png"))],
        ["กราฟค่ะ\n📎 chart.png\nดาวน์โหลด (7 วัน): https://tidtam.example/files/t/chart.png"],
        id="an image as its link, no image message"),
    pytest.param(
        [Reply(text="มีรายงานที่ต้องส่งค่ะ", choices=(Choice("*q12.2570.1", "📝 เปิดรายงาน", role=ChoiceRole.LINK),))],
        ["มีรายงานที่ต้องส่งค่ะ"],
        id="a reminder's link button is not a choice to type"),
    pytest.param(
        [Reply(text=f"รับทราบ {number}") for number in range(7)] + [Reply(text="ต่อไปค่ะ", choices=(BACK,))],
        ["\n\n".join([*(f"รับทราบ {number}" for number in range(7)), f"ต่อไปค่ะ\n\n{TYPE_ONE}\n• ⬅️ ย้อนกลับ"])],
        id="acknowledgements ride on the live question"),
])
def test_a_turn_as_plain_text(replies: list[Reply], expected: list[str]) -> None:
    messages = render_plain(replies)
    assert messages == [{"type": "text", "text": text} for text in expected]
    assert [Message.from_dict(message).to_dict() for message in messages] == messages


def test_plain_text_keeps_within_five_messages_and_the_limits() -> None:
    long_question = Reply(text="ค" * 12_000, choices=tuple(Choice(encode(PROMPT, f"+{index}"), name, False)
                                                         for index, name in enumerate(PROVINCES)))
    messages = render_plain([Reply(text="ก" * 6_000)] * 4 + [long_question])
    assert len(messages) == 5 and all(message["type"] == "text" for message in messages)
    assert all(0 < length(message["text"]) <= MAX_TEXT for message in messages)
    assert messages[-1]["text"].endswith(f"• ☐ {PROVINCES[-1]}")  # the live question whole, to its last choice
    assert render_plain([]) == []
