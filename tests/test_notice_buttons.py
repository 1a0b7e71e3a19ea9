"""A notice shown above the next question keeps its own buttons on LINE (a bubble's buttons, as quick replies
show on the newest message only) and in the terminal (lettered, so numbers still mean the question's buttons)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from bot.console import ConsoleChannel
from models.db import Database
from models.report import WindowException
from tests.support.line_user import LineUser
from tests.support.line_world import line_world
from tests.support.scenario import submit_and_return_q1
from tests.support.world import demo_world

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok: Q1's window is open
JAN_5_NIGHT = datetime(2027, 1, 5, 14, 0, tzinfo=UTC)  # 21:00: outside the sending hours, nothing is pushed
COMMENT = "ยอดเบิกจ่ายไม่ตรงกับ GFMIS"
NOTICE = "ส่งรายงาน Q1/2570 ของ CMI1-2570-001 กลับให้แก้ไข"
OPEN_REPORT = "📝 เปิดรายงาน"


async def _file_and_return(owner: Any, director: Any) -> None:
    await submit_and_return_q1(owner, director, COMMENT)
    assert "ส่งรายงาน Q1/2570 ของ CMI1-2570-001 กลับ" in director.text, director.text


def _bubble_buttons(user: LineUser, wanted: str) -> list[dict[str, Any]]:
    """The postback actions on the footer of the Flex message whose alt text has ``wanted``."""
    [bubble] = [message for message in user.last if message["type"] == "flex" and wanted in message["altText"]]
    return [part["action"] for part in bubble["contents"]["footer"]["contents"] if part["type"] == "button"]


async def test_line_a_notice_above_the_question_keeps_its_button(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        world.clock.set(JAN_5)
        await WindowException.all().delete()
        suda, somchai = await world.linked("suda"), await world.linked("somchai")
        await _file_and_return(suda, somchai)
        world.clock.set(JAN_5_NIGHT)
        await suda.say("สวัสดี")  # the notice comes first, then the menu with its quick replies
        assert NOTICE in suda.text and suda.last[-1].get("quickReply"), suda.last
        [action] = _bubble_buttons(suda, NOTICE)
        assert (action["type"], action["label"]) == ("postback", OPEN_REPORT)
        await suda.press({"type": "action", "action": action})
        assert COMMENT in suda.text, suda.text  # the returned report, opened with the director's comment


async def test_terminal_a_notice_above_the_question_has_lettered_buttons(database: Database) -> None:
    async with demo_world(database) as world:
        world.clock.set(JAN_5)
        await WindowException.all().delete()
        await _file_and_return(world.chat("suda"), world.chat("somchai"))
        output = io.StringIO()
        terminal = ConsoleChannel(world.service.handle, "suda", output=output)
        await terminal.send_line("สวัสดี")
        shown = output.getvalue()
        assert NOTICE in shown and f"  [a] {OPEN_REPORT}" in shown, shown
        assert "  [1] " in shown  # the menu below keeps its numbers
        output.truncate(0)
        await terminal.send_line("A")  # a capital letter is the same key
        assert COMMENT in output.getvalue(), output.getvalue()
