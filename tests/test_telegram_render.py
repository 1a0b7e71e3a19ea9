"""Rendering neutral replies as Telegram payloads: exact keyboards, pages, ticks, the calendar, long texts."""

from __future__ import annotations

from datetime import date

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram_calendar import month_title, picked_date, weekday_names, with_month
from bot.telegram_controls import Control, ControlKind, month_data, page_data, parse_control
from bot.telegram_limits import MAX_CALLBACK_DATA_BYTES, MAX_MESSAGE_CHARS
from bot.telegram_render import (
    OutFile,
    OutText,
    keyboard,
    marker_keyboard,
    page_of,
    pressed_label,
    render,
    reply_prompt,
    split_text,
    utf16_len,
    without_icon,
)
from conversations.button_data import picked
from conversations.messages import Attachment, Choice, ChoiceRole, InputHint, Reply

TODAY = date(2026, 11, 23)
NAVIGATION, LINK = ChoiceRole.NAVIGATION, ChoiceRole.LINK
NAV = (Choice("k.~back", "⬅️ ย้อนกลับ", role=NAVIGATION), Choice("k.~hub", "📑 สารบัญ", role=NAVIGATION),
       Choice("k.~save", "💾 พักไว้ก่อน", role=NAVIGATION))
NAV_ROWS = [[("⬅️ ย้อนกลับ", "k.~back"), ("📑 สารบัญ", "k.~hub")], [("💾 พักไว้ก่อน", "k.~save")]]
Rows = list[list[tuple[str, str]]]


def rows(markup: InlineKeyboardMarkup | None) -> Rows:
    """A keyboard as (text, callback data) rows, for exact comparison."""
    assert markup is not None
    return [[(item.text, str(item.callback_data)) for item in row] for row in markup.inline_keyboard]


def answers(count: int, label: str = "ตัวเลือก") -> tuple[Choice, ...]:
    return tuple(Choice(f"k.a{number}", f"{label} {number}") for number in range(1, count + 1))


KEYBOARDS: list[tuple[str, Reply, Rows]] = [
    ("yes/no share a row, navigation below",
     Reply("ใช้งบประมาณไหมคะ", choices=(Choice("k.y", "ใช่"), Choice("k.n", "ไม่ใช่"), *NAV), hint=InputHint.CHOICE),
     [[("ใช่", "k.y"), ("ไม่ใช่", "k.n")], *NAV_ROWS]),
    ("short units fill rows of at most four",
     Reply("หน่วยนับ", choices=tuple(Choice(f"k.u{i}", unit) for i, unit in enumerate(
         ["คน", "ร้อยละ", "แห่ง", "โรงเรียน", "ครั้ง", "เรื่อง", "ชิ้น"]))),
     [[("คน", "k.u0"), ("ร้อยละ", "k.u1"), ("แห่ง", "k.u2"), ("โรงเรียน", "k.u3")],
      [("ครั้ง", "k.u4"), ("เรื่อง", "k.u5"), ("ชิ้น", "k.u6")]]),
    ("a long label is alone on its row and shortened",
     Reply("แผน", choices=(Choice("k.p", "NESDP13-12 หมุดหมายที่ 12 ไทยมีกำลังคนสมรรถนะสูง มุ่งเรียนรู้อย่างต่อเนื่อง"
                                         " ตอบโจทย์การพัฒนาแห่งอนาคต"), Choice("k.q", "Q1"))),
     [[("NESDP13-12 หมุดหมายที่ 12 ไทยมีกำลังคนสมรรถนะสูง มุ่งเรียน…", "k.p")], [("Q1", "k.q")]]),
    ("multi-select ticks",
     Reply("วิธีดำเนินการ", choices=(Choice("k.-self", "ดำเนินการเอง", True), Choice("k.+contract", "จ้างเหมา", False),
                                  Choice("k.~done", "✅ เสร็จ", role=NAVIGATION)), multi=True, hint=InputHint.CHOICE),
     [[("☑ ดำเนินการเอง", "k.-self"), ("☐ จ้างเหมา", "k.+contract")], [("✅ เสร็จ", "k.~done")]]),
    ("navigation stays after answers wherever the engine put it",
     Reply("ข้อ", choices=(Choice("k.~skip", "⏭ ข้าม", role=NAVIGATION),
                          Choice("k.x", "ตัวเลือกที่ยาวพอสมควรจนต้องอยู่คนเดียว"))),
     [[("ตัวเลือกที่ยาวพอสมควรจนต้องอยู่คนเดียว", "k.x")], [("⏭ ข้าม", "k.~skip")]]),
    ("a token too long for callback data is dropped, not sent",
     Reply("ข้อ", choices=(Choice("k." + "x" * 70, "ยาวเกิน"), Choice("k.ok", "ได้"))),
     [[("ได้", "k.ok")]]),
]


@pytest.mark.parametrize(("reply", "expected"), [case[1:] for case in KEYBOARDS], ids=[case[0] for case in KEYBOARDS])
def test_keyboard_layout(reply: Reply, expected: Rows) -> None:
    assert rows(keyboard(reply, today=TODAY)) == expected


def test_a_reply_without_buttons_has_no_keyboard() -> None:
    assert render(Reply("✔️ รับทราบ: 2570"), today=TODAY) == [OutText("✔️ รับทราบ: 2570")]


@pytest.mark.parametrize(("page", "shown", "pager"), [
    (0, range(1, 9), [("·", "!x"), ("1/2", "!x"), ("▶️", "!p:k:1")]),
    (1, range(9, 14), [("◀️", "!p:k:0"), ("2/2", "!x"), ("·", "!x")]),
    (7, range(9, 14), [("◀️", "!p:k:0"), ("2/2", "!x"), ("·", "!x")]),  # past the end: the last page
    (-3, range(1, 9), [("·", "!x"), ("1/2", "!x"), ("▶️", "!p:k:1")]),
])
def test_long_lists_are_paged_with_navigation_on_every_page(page: int, shown: range, pager: list[tuple[str, str]]
                                                             ) -> None:
    reply = Reply("เลือกแผน", choices=(*answers(13, "แผนย่อยที่มีชื่อยาวพอสมควร"), *NAV))
    drawn = rows(keyboard(reply, today=TODAY, page=page))
    assert drawn[:-3] == [[(f"แผนย่อยที่มีชื่อยาวพอสมควร {n}", f"k.a{n}")] for n in shown]
    assert drawn[-3] == pager
    assert drawn[-2:] == NAV_ROWS


def test_eight_answers_fit_one_page_and_the_first_page_is_the_default() -> None:
    assert all("!p:" not in data for row in rows(keyboard(Reply("x", choices=answers(8)), today=TODAY))
               for _, data in row)
    paged = Reply("x", choices=answers(20, "รายการที่มีชื่อยาวพอสมควรมาก"))
    assert rows(keyboard(paged, today=TODAY))[-1][1] == ("1/3", "!x")
    assert rows(keyboard(paged, today=TODAY, page=2))[-1][1] == ("3/3", "!x")


def test_a_redrawn_question_stays_on_the_page_of_the_pressed_answer() -> None:
    provinces = tuple(Choice(f"p.+{n}", f"จังหวัด {n}", False) for n in range(20))
    reply = Reply("จังหวัด", choices=(*provinces, Choice("p.~done", "✅ เสร็จ", role=NAVIGATION)), multi=True)
    ticked = Reply("จังหวัด", choices=tuple(Choice(f"p.-{n}", f"จังหวัด {n}", True) for n in range(20)), multi=True)
    on_third = keyboard(ticked, today=TODAY, page=2)
    assert page_of(reply, "p.-17", on_third) == 2  # pressed while ticked on page 3; now drawn unticked as p.+17
    assert page_of(reply, "p.+9") == 1  # an answer whose token stays is found where it is
    assert page_of(reply, "p.+3", keyboard(reply, today=TODAY, page=1)) == 0
    assert page_of(reply, "p.~done") == 0 and page_of(reply, "p.-17") == 0  # no keyboard to read: the first page
    assert page_of(reply, "p.-17", keyboard(ticked, today=TODAY, page=1)) == 1


def test_a_date_question_gets_a_thai_month_calendar_above_its_buttons() -> None:
    reply = Reply("วันเริ่มโครงการ", choices=NAV[:1], hint=InputHint.DATE)
    drawn = rows(keyboard(reply, today=date(2026, 10, 15)))
    assert drawn[0] == [("◀️", "!c:k:202609"), ("ตุลาคม 2569", "!x"), ("▶️", "!c:k:202611")]
    assert [text for text, _ in drawn[1]] == ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"]
    day = picked("k", "2026-10-01")
    assert drawn[2] == [("·", "!x")] * 4 + [("1", day), ("2", "k.@2026-10-02"), ("3", "k.@2026-10-03")]
    assert drawn[6] == [(str(n), f"k.@2026-10-{n}") for n in range(25, 32)]
    assert drawn[7:] == [[("⬅️ ย้อนกลับ", "k.~back")]]
    assert max(len(data.encode()) for row in drawn for _, data in row) <= MAX_CALLBACK_DATA_BYTES
    shown = rows(keyboard(reply, today=date(2026, 10, 15), month=date(2026, 2, 1)))
    assert shown[0][1] == ("กุมภาพันธ์ 2569", "!x") and len(shown) == 2 + 4 + 1  # Feb 2026: Sunday 1st, 4 weeks


def test_the_calendar_moves_by_months_and_keeps_the_other_rows() -> None:
    reply = Reply("วันสิ้นสุด", choices=NAV, hint=InputHint.DATE)
    october = keyboard(reply, today=date(2026, 10, 1))
    assert october is not None
    january = rows(with_month(october, "k", date(2027, 1, 1)))
    assert january[0] == [("◀️", "!c:k:202612"), ("มกราคม 2570", "!x"), ("▶️", "!c:k:202702")]
    assert january[-2:] == NAV_ROWS
    assert picked_date("k.@2027-01-31") == date(2027, 1, 31)
    assert picked_date("k.~back") is None and picked_date("k.@not-a-date") is None


@pytest.mark.parametrize(("data", "control"), [
    ("!x", Control(ControlKind.INERT)),
    (page_data("1a", 3), Control(ControlKind.PAGE, "1a", page=3)),
    (month_data("1a", date(2027, 2, 1)), Control(ControlKind.MONTH, "1a", month=date(2027, 2, 1))),
    ("!c:1a:202713", Control(ControlKind.INERT)),  # no month 13: harmless
    ("!p:1a:", Control(ControlKind.INERT)),
    ("1a.~back", None),  # an engine token
])
def test_adapter_controls_round_trip(data: str, control: Control | None) -> None:
    assert parse_control(data) == control


def test_month_names_and_weekdays_come_from_pythainlp() -> None:
    assert month_title(date(2026, 10, 1)) == "ตุลาคม 2569"
    assert weekday_names()[0] == "อา" and len(weekday_names()) == 7


def test_the_part_with_the_keyboard_carries_its_plain_version_with_the_choices_to_type() -> None:
    reply = Reply("ไตรมาสใดบ้างคะ", choices=(Choice("k.-1", "Q1", True), Choice("k.+2", "Q2", False), *NAV,
                                            Choice("*q12.2570.1", "📝 เปิดรายงาน", role=LINK)), multi=True)
    [part] = render(reply, today=TODAY)
    assert isinstance(part, OutText) and part.keyboard is not None
    assert part.plain == ("ไตรมาสใดบ้างคะ\n\nแสดงปุ่มไม่ได้ พิมพ์ตัวเลือกที่ต้องการได้เลยค่ะ\n• ☑ Q1\n• ☐ Q2\n"
                          "• ⬅️ ย้อนกลับ\n• 📑 สารบัญ\n• 💾 พักไว้ก่อน",)  # a link button is not typed
    lines = [f"• บรรทัดที่ {number} " + "ก" * 90 for number in range(1, 35)]
    [part] = render(Reply("\n".join(lines), choices=answers(60)), today=TODAY)
    assert isinstance(part, OutText) and len(part.plain) == 2  # split under the limit like any text
    assert all(utf16_len(text) <= MAX_MESSAGE_CHARS for text in part.plain)
    assert part.plain[-1].endswith("• ตัวเลือก 60")


def test_long_text_is_split_at_line_breaks_and_the_keyboard_goes_last() -> None:
    lines = [f"• บรรทัดที่ {number} " + "ก" * 90 for number in range(1, 50)]
    reply = Reply("\n".join(lines), choices=(Choice("k.~submit", "📤 ส่ง"),))
    parts = render(reply, today=TODAY)
    assert len(parts) == 2 and all(isinstance(part, OutText) for part in parts)
    texts = [part.text for part in parts if isinstance(part, OutText)]
    assert all(utf16_len(text) <= MAX_MESSAGE_CHARS for text in texts)
    assert "\n".join(texts) == reply.text  # nothing lost, cut exactly at a line break
    assert [part.keyboard is not None for part in parts if isinstance(part, OutText)] == [False, True]


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("สั้น", 10, ["สั้น"]),
    ("หนึ่ง\nสอง\nสาม", 9, ["หนึ่ง\nสอง", "สาม"]),
    ("aaa bbb ccc", 7, ["aaa bbb", "ccc"]),  # one long line: cut at spaces
    ("abcdefghij", 4, ["abcd", "efgh", "ij"]),  # no space: cut between characters
    ("กกกี่", 4, ["กก", "กี่"]),  # never tear a vowel or tone mark off its consonant
    ("😀😀😀", 4, ["😀😀", "😀"]),  # an emoji counts two UTF-16 units, as Telegram counts
    ("a\n\n\nb", 2, ["a", "b"]),  # line breaks at the cut and blank parts are not sent
    (" \n ", 5, []),  # blank text: nothing to send
])
def test_split_text(text: str, limit: int, expected: list[str]) -> None:
    assert split_text(text, limit) == expected


def test_a_file_carries_the_text_as_caption_when_it_fits() -> None:
    pdf = Attachment("document", "สรุปโครงการ.pdf", b"%PDF-1.7", "application/pdf")
    short = render(Reply("สรุปโครงการค่ะ", choices=NAV[:1], attachment=pdf), today=TODAY)
    assert short == [OutFile(pdf, caption="สรุปโครงการค่ะ", keyboard=keyboard(Reply("", choices=NAV[:1]), today=TODAY))]
    long = render(Reply("ก" * 2000, attachment=pdf), today=TODAY)
    assert [type(part) for part in long] == [OutText, OutFile]


@pytest.mark.parametrize(("label", "bare"), [
    ("ปีงบประมาณ 2570", "ปีงบประมาณ 2570"),
    ("✅ เสร็จ", "เสร็จ"),
    ("✔️ ใช้ค่านี้", "ใช้ค่านี้"),
    ("⬅️ ย้อนกลับ", "ย้อนกลับ"),
    ("🔎", "🔎"),
])
def test_a_label_without_its_icon(label: str, bare: str) -> None:
    assert without_icon(label) == bare


def test_a_marker_keyboard_is_one_inert_button() -> None:
    assert rows(marker_keyboard("✔️ ตอบแล้ว: " + "ก" * 80)) == [[("✔️ ตอบแล้ว: " + "ก" * 47 + "…", "!x")]]


def test_the_label_of_a_pressed_button() -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("☑ ดำเนินการเอง", callback_data="j.-self"),
                                    InlineKeyboardButton("ใช่", callback_data="j.y")]])
    assert pressed_label(markup, "j.-self") == "ดำเนินการเอง"
    assert pressed_label(markup, "j.y") == "ใช่"
    assert pressed_label(markup, "j.@2026-10-01") == "1 ต.ค. 2569"  # a calendar day is named as a date
    assert pressed_label(None, "j.n") == ""


def test_the_screen_of_a_reply_is_named_by_its_buttons() -> None:
    assert reply_prompt(Reply("x", choices=(Choice("1z.a", "A"),))) == "1z"
    assert reply_prompt(Reply("x")) is None
    assert reply_prompt(Reply("x", choices=(Choice("*inbox", "📥", role=LINK),))) is None  # links belong to none
