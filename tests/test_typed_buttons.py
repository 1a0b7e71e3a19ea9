"""A live button's words typed, or its number in the terminal, act as that button on every question — text
questions included — so "ใช้ค่านี้" or "1" is never stored as somebody's name; a number meant as the answer
stays reachable in the terminal (``=1``), and amounts typed as bare numbers stay amounts."""

from __future__ import annotations

import asyncio
import sys

import pytest

from conversations.parsers.choices import exact_choice
from models.db import Database
from models.project import Project
from tests.support.console_driver import ConsoleDriver
from tests.support.line_world import line_world
from tests.support.processes import tidtam_env
from tests.support.scenario import fill_m1, start_project
from tests.support.transcript import Chat

DIRECTOR = "นายสมชาย ใจดี"
BUTTONS = [("~keep", "✔️ ใช้ค่านี้"), ("~back", "⬅️ ย้อนกลับ"), ("b0", "แผนงานพื้นฐานด้านการพัฒนา")]


@pytest.mark.parametrize(("typed", "value"), [
    ("ใช้ค่านี้", "~keep"), ("✔️ ใช้ค่านี้", "~keep"), ("  ใช้ค่านี้ ", "~keep"), ("ใช้ค่านี้!", "~keep"),
    ("แผนงานพื้นฐานด้านการพัฒนา", "b0"),
    ("1", None), ("ใช้ค่า", None), ("แผนงานพื้นฐาน", None),  # a number or a label's start stays an answer
    ("ใช้ค่านี้ค่ะ นายสมชาย", None), ("นายสมชาย ใจดี", None), ("", None),
])
def test_only_a_whole_label_typed_stands_for_its_button(typed: str, value: str | None) -> None:
    assert exact_choice(typed, BUTTONS) == value  # the demo office's director, offered as the prefilled answer


async def _to_director_question(chat: Chat) -> None:
    """A new project, M1 filled, M2 answered (its contacts taken from the people records), and the director's
    name opened from M2's view to change it: the value shown, ✔️ ใช้ค่านี้ keeps it."""
    await start_project(chat)
    await fill_m1(chat)
    await chat.tap("โครงการ")
    await chat.tap("แผนงานพื้นฐานด้านการพัฒนา")
    await chat.say("ใช่ค่ะ")
    await chat.tap("ดำเนินการเอง")
    await chat.tap("เสร็จ")
    await chat.tap("สารบัญ")
    await chat.tap("M2")
    await chat.tap("✏️ ผู้อำนวยการ")


async def test_typing_the_keep_buttons_words_on_line_keeps_the_prefilled_name(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda = await world.linked("suda")
        await _to_director_question(suda)  # type: ignore[arg-type]
        assert "ชื่อ-นามสกุล ผู้อำนวยการ" in suda.text and DIRECTOR in suda.text, suda.text
        assert "✔️ ใช้ค่านี้" in suda.labels()
        await suda.say("ใช้ค่านี้")
        assert f"รับทราบ: {DIRECTOR}" in suda.text, suda.text
        await suda.tap("✏️ อีเมลผู้อำนวยการ")
        await suda.say("✔️ ใช้ค่านี้")  # the label as shown, emoji and all: the director's e-mail kept
        assert "รับทราบ: somchai.j@example.go.th" in suda.text, suda.text
        project = await Project.filter(name__startswith="โครงการยกระดับ").order_by("-id").first()
        assert project is not None
        assert project.director_name == DIRECTOR and project.director_email == "somchai.j@example.go.th"


async def test_a_bare_number_presses_the_terminal_button_and_an_equals_sign_types_it(
        empty_database_url: str) -> None:
    env = tidtam_env(empty_database_url, PYTHONUNBUFFERED="1")
    for command in (["db", "migrate"], ["demo", "--if-empty"]):
        setup = await asyncio.create_subprocess_exec(sys.executable, "-m", "api.cli", *command, env=env,
                                                     stdout=asyncio.subprocess.DEVNULL)
        assert await setup.wait() == 0
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "api.cli", "chat", "--as", "suda", env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
    terminal = ConsoleDriver(process)
    try:
        await terminal.read_screen()
        await _to_director_question(terminal)  # type: ignore[arg-type]
        assert ("1", "✔️ ใช้ค่านี้") in terminal.buttons(), terminal.screen  # a text question: plain numbers
        await terminal.send("1")
        assert f"รับทราบ: {DIRECTOR}" in terminal.screen, terminal.screen
        await terminal.tap("✏️ อีเมลผู้อำนวยการ")
        await terminal.send("1")  # the e-mail kept too
        await terminal.tap("✏️ ผู้รับผิดชอบโครงการ")
        await terminal.send("=1")  # the owner's name: the number 1 typed as the answer, not a button
        assert "รับทราบ: 1" in terminal.screen, terminal.screen
        await terminal.tap("✏️ ผู้รับผิดชอบโครงการ")
        assert ("1", "✔️ ใช้ค่านี้") in terminal.buttons()
        await terminal.send("#1")  # "#n" presses button n on every screen
        assert "รับทราบ: 1" in terminal.screen
    finally:
        assert process.stdin is not None
        process.stdin.close()
        assert await asyncio.wait_for(process.wait(), 30) == 0
    async with Database(empty_database_url):
        project = await Project.filter(name__startswith="โครงการยกระดับ").order_by("-id").first()
        assert project is not None
        assert project.director_name == DIRECTOR and project.director_email == "somchai.j@example.go.th"
        assert project.director_phone == "053-112-233" and project.owner_name == "1"
