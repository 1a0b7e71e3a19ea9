"""The terminal channel: rendering, numbered buttons, and a whole registration through ``make run``'s service."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import aiohttp

from bot.console import normalize, render
from conversations.messages import Choice, InputHint, Reply
from models.db import Database
from models.enums import ItemStatus
from models.project import Project
from tests.support.console_driver import ConsoleDriver
from tests.support.processes import free_port, tidtam_env
from tests.support.scenario import register_project_a

SCREEN = Reply(text="เลือกค่ะ", choices=(Choice("1.a", "ตัวเลือกแรก"), Choice("1.b", "ตัวเลือกสอง")),
               hint=InputHint.CHOICE)
QUESTION = Reply(text="ค่าเป้าหมาย", choices=(Choice("2.~back", "⬅️ ย้อนกลับ"),), hint=InputHint.NUMBER)


def test_buttons_are_numbered_and_ticks_shown() -> None:
    assert render(SCREEN) == "เลือกค่ะ\n  [1] ตัวเลือกแรก\n  [2] ตัวเลือกสอง"
    multi = Reply(text="ไตรมาส", choices=(Choice("3.-1", "Q1", True), Choice("3.+2", "Q2", False)),
                  multi=True, hint=InputHint.CHOICE)
    assert render(multi).splitlines()[1:] == ["  [1] ☑ Q1", "  [2] ☐ Q2"]
    assert render(QUESTION).splitlines()[1] == "  [#1] ⬅️ ย้อนกลับ"


def test_numbers_press_buttons_only_where_a_number_is_not_an_answer() -> None:
    assert normalize("2\n", SCREEN, "suda").button == "1.b"
    assert normalize("3", SCREEN, "suda").text == "3"  # out of range: typed text
    assert normalize("1", QUESTION, "suda").text == "1"  # a number question: the answer 1
    assert normalize("#1", QUESTION, "suda").button == "2.~back"
    assert normalize("สวัสดี", None, "suda").text == "สวัสดี"
    quarters = Reply(text="ไตรมาส", choices=(Choice("4.+3", "Q3", False), Choice("4.+4", "Q4", False),
                                             *(Choice(f"4.~x{n}", "x") for n in range(3))),
                     multi=True, hint=InputHint.NUMBER)
    assert normalize("4", quarters, "suda").text == "4"  # quarter 4, not the fourth button
    name = Reply(text="ชื่อผู้อำนวยการ", choices=(Choice("5.~keep", "✔️ ใช้ค่านี้"), Choice("5.~back", "⬅️ ย้อนกลับ")),
                 hint=InputHint.TEXT)
    assert render(name).splitlines()[1] == "  [1] ✔️ ใช้ค่านี้"  # a text question: plain numbers
    assert normalize("1", name, "suda").button == "5.~keep"
    assert normalize("=1", name, "suda").text == "1"  # the number itself, typed as the answer
    assert normalize(" = 2 ", QUESTION, "suda").text == "2"
    assert normalize("=ก", name, "suda").text == "=ก"  # only a number is escaped
    assert normalize("3", name, "suda").text == "3"  # no third button: the answer 3
    assert normalize("๒", SCREEN, "suda").button == "1.b"  # Thai digits press as Arabic ones do
    assert normalize("#๑", QUESTION, "suda").button == "2.~back"
    assert normalize("=๑", name, "suda").text == "1"
    assert normalize("๘๐", QUESTION, "suda").text == "๘๐"  # a number answer goes as typed, read by its parser


async def test_a_newcomer_registers_project_a_in_the_terminal_of_make_run(empty_database_url: str) -> None:
    env = tidtam_env(empty_database_url, PYTHONUNBUFFERED="1")
    for command in (["db", "migrate"], ["demo", "--if-empty"]):
        setup = await asyncio.create_subprocess_exec(sys.executable, "-m", "api.cli", *command, env=env,
                                                     stdout=asyncio.subprocess.DEVNULL)
        assert await setup.wait() == 0
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "api.cli", "serve", "--chat-as", "suda", env=env | {"TIDTAM_PORT": str(port)},
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
    terminal = ConsoleDriver(process)
    try:
        first = await terminal.read_screen()
        assert "สวัสดีค่ะ นางสาวสุดา ศรีสุข" in first
        await register_project_a(terminal)  # type: ignore[arg-type]
        assert "ข้อมูลครบแล้วค่ะ" in terminal.screen
        await terminal.tap("📤 ส่งให้ผู้อำนวยการ")
        assert "ส่งโครงการ CMI1-2570-003 ให้ผู้อำนวยการแล้ว" in terminal.screen
        await terminal.tap("📋 โครงการของฉัน")
        assert "CMI1-2570-003" in terminal.screen and "📤 ส่งแล้ว รออนุมัติ" in terminal.screen
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as health:
            assert health.status == 200  # the HTTP service runs beside the terminal
        assert process.stdin is not None
        process.stdin.close()  # end of input: the terminal stops, the service does not
        await asyncio.sleep(0.5)
        assert process.returncode is None
    finally:
        if process.returncode is None:
            os.kill(process.pid, signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    async with Database(empty_database_url):
        project = await Project.get(code="CMI1-2570-003")
        assert project.status is ItemStatus.SUBMITTED
