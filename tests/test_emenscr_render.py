"""Values to copy, rendered by each channel (pure): Telegram's HTML blocks escaped and split under its limit, LINE's
value messages alone and paged within five messages with what was said before kept, the terminal's lines."""

from __future__ import annotations

from datetime import date

from bot.console import render as console_render
from bot.line_render import copy_pages, render, render_plain
from bot.telegram_render import copy_messages
from bot.telegram_render import render as telegram_render
from conversations.messages import Choice, ChoiceRole, Copyable, Reply
from tests.support.telegram_standin_methods import entity_texts, parse_html

COPIES = tuple(Copyable(f"M3 รายละเอียดโครงการ · ช่อง {number}", f"ค่า {number} <b>&</b>") for number in range(1, 6))
SCREEN = Reply(text="👉 ขั้นที่ 4/7 · M3", copies=COPIES, key="pack.text",
               choices=(Choice("7.~keyed", "✅ กรอกแล้ว"), Choice("7.~back", "⬅️ ย้อนกลับ", role=ChoiceRole.NAVIGATION)))


def test_telegram_shows_each_value_in_a_code_block_under_its_place_then_the_screen_with_buttons() -> None:
    outs = telegram_render(SCREEN, today=date(2026, 10, 1))
    *blocks, screen = outs
    assert all(out.html and out.keyboard is None for out in blocks) and not screen.html
    assert screen.text == SCREEN.text and screen.keyboard is not None
    text, entities = parse_html(blocks[0].text)
    message = {"text": text, "entities": entities}
    assert entity_texts(message, "code")[0] == "ค่า 1 <b>&</b>"  # escaped in HTML, whole when copied
    assert entity_texts(message, "bold")[0] == "M3 รายละเอียดโครงการ · ช่อง 1"
    assert blocks[0].plain[0].startswith("M3 รายละเอียดโครงการ · ช่อง 1\nค่า 1 <b>&</b>")  # if HTML is refused


def test_telegram_splits_long_values_under_its_limit_and_uses_pre_for_several_lines() -> None:
    long = Copyable("M3 · หลักการและเหตุผล", "บรรทัด\n" * 900)
    outs = copy_messages((long, Copyable("M3 · จังหวัด", "เชียงใหม่")), limit=4096)
    assert len(outs) >= 2 and all(len(out.text.encode("utf-16-le")) // 2 <= 4096 for out in outs)
    assert all(parse_html(out.text)[0] for out in outs) and "<pre>" in outs[0].text
    assert "<code>เชียงใหม่</code>" in outs[-1].text


def test_line_sends_values_alone_two_to_a_page_and_keeps_what_was_said_before() -> None:
    said = Reply(text="🆔 บันทึกรหัส eMENSCR “6904-0001” ของ CMI1-2570-001 แล้ว")
    assert len(copy_pages(SCREEN)) == 3
    messages = render([said, SCREEN], page=1)
    assert len(messages) == 5
    assert [message["text"] for message in messages[:4]] == [
        "⬇️ M3 รายละเอียดโครงการ · ช่อง 3", "ค่า 3 <b>&</b>", "⬇️ M3 รายละเอียดโครงการ · ช่อง 4", "ค่า 4 <b>&</b>"]
    assert messages[-1]["text"].startswith(said.text) and messages[-1]["text"].endswith(SCREEN.text)
    labels = [item["action"]["label"] for item in messages[-1]["quickReply"]["items"]]
    assert labels == ["▶️ ช่องต่อไป 3/3", "✅ กรอกแล้ว", "⬅️ ย้อนกลับ"]
    last = render([SCREEN], page=2)
    assert [message["text"] for message in last[:2]] == ["⬇️ M3 รายละเอียดโครงการ · ช่อง 5", "ค่า 5 <b>&</b>"]
    assert last[-1]["quickReply"]["items"][0]["action"]["label"] == "⏮ ช่องแรก 1/3"
    plain = render_plain([SCREEN])
    assert plain[1]["text"] == "ค่า 1 <b>&</b>" and "quickReply" not in plain[-1] and "กรอกแล้ว" in plain[-1]["text"]


def test_the_terminal_writes_each_place_then_its_value_before_the_screen() -> None:
    lines = console_render(SCREEN).splitlines()
    assert lines[:2] == ["▸ M3 รายละเอียดโครงการ · ช่อง 1", "ค่า 1 <b>&</b>"]
    assert SCREEN.text in lines and lines.index(SCREEN.text) > lines.index("ค่า 5 <b>&</b>")
