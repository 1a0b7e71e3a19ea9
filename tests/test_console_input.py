"""The terminal channel reads a long answer whole: on a real (pseudo-)terminal, whose canonical mode cut a line at
4,095 bytes, and over pipes, where lines over 64 KiB stopped the channel; and the service's log goes to a file
named on the first line, never into the conversation."""

from __future__ import annotations

import asyncio
import re
import sys
import termios
from pathlib import Path

import aiohttp

from models.db import Database
from models.report import QuarterReport
from tests.support.console_driver import ConsoleDriver
from tests.support.processes import free_port, run_tidtam, tidtam_env
from tests.support.pty_terminal import PtyTerminal

WORDS = "การอ่านออกเขียนได้ของนักเรียน"  # Thai of three bytes a character, no character NFKC would change
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (DEBUG|INFO|WARNING|ERROR) ", re.MULTILINE)


def thai(length: int) -> str:
    """Thai text of exactly ``length`` characters."""
    return (WORDS * (length // len(WORDS) + 1))[:length]


async def demo_env(database_url: str, **extra: str) -> dict[str, str]:
    env = tidtam_env(database_url, PYTHONUNBUFFERED="1", TIDTAM_PORT=str(free_port()), **extra)
    for command in (["db", "migrate"], ["demo", "--if-empty"]):
        assert (await run_tidtam(command, env)).returncode == 0
    return env


async def stored_output(database_url: str) -> str:
    async with Database(database_url):
        report = await QuarterReport.get(fiscal_year=2570, quarter=1)
        return report.output_progress


async def test_a_long_paste_on_a_terminal_is_read_whole_and_the_log_goes_to_a_file(
        empty_database_url: str, tmp_path: Path) -> None:
    log_file = tmp_path / "serve.log"
    env = await demo_env(empty_database_url, TIDTAM_LOG_FILE=str(log_file))
    terminal = PtyTerminal(["serve", "--chat-as", "suda"], env)
    try:
        at = await terminal.wait_for("\n> ")
        assert terminal.text.splitlines()[0] == (
            f"tidtam: the service's log is written to {log_file} (this terminal is the chat; Ctrl-C stops the "
            "service)")
        assert terminal.local_modes() & termios.ICANON == 0  # read key by key: no kernel line limit
        at = await terminal.wait_for("\n> ", await terminal.type("2\r"))
        at = await terminal.wait_for("ผลผลิต (Output)", await terminal.type("1\r"))
        at = await terminal.wait_for("\n> ", at)

        typed = await terminal.type(thai(3000) + "\r")  # 9,000 bytes, typed (or pasted with no paste marks)
        at = await terminal.wait_for("ข้อความยาว 3,000 ตัวอักษร เกินกว่าที่รับได้ 2,000 ตัวอักษร", typed, seconds=20)
        assert thai(3000) in terminal.text[typed:]  # echoed as typed

        first, second = thai(999), thai(1000)[::-1]  # a paste of two paragraphs, 2,000 characters: one answer
        typed = await terminal.type(f"\x1b[200~{first}\r{second}\x1b[201~\r")
        await terminal.wait_for("ผลลัพธ์ (Outcome)", typed, seconds=20)
        assert await stored_output(empty_database_url) == f"{first}\n{second}"

        typed = await terminal.type("ผิด\x7f\x7f\x7fถูกต้อง\x15ครบ\r")  # backspace by character, Ctrl-U
        await terminal.wait_for("ตัวชี้วัด", typed, seconds=20)
        async with Database(empty_database_url):
            report = await QuarterReport.get(fiscal_year=2570, quarter=1)
            assert report.outcome_progress == "ครบ"

        async with aiohttp.ClientSession() as session, \
                session.get(f"http://127.0.0.1:{env['TIDTAM_PORT']}/healthz") as health:
            assert health.status == 200
        await asyncio.sleep(0.3)
    finally:
        code = await terminal.stop(ctrl_c=True)  # the kernel still turns Ctrl-C into SIGINT
        modes = terminal.local_modes()
        terminal.close()
    assert code == 0
    assert modes & termios.ICANON and modes & termios.ECHO  # the terminal is given back as it was
    assert not LOG_LINE.search(terminal.text), terminal.text[-3000:]  # no log line in the conversation
    log = log_file.read_text(encoding="utf-8")
    assert "Running on" in log and "GET /healthz" in log  # the service's log, in the file named first


async def test_a_line_of_any_length_over_pipes_is_read_whole(empty_database_url: str, tmp_path: Path) -> None:
    env = await demo_env(empty_database_url, TIDTAM_LOG_FILE=str(tmp_path / "serve.log"))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "api.cli", "serve", "--chat-as", "suda", env=env, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    terminal = ConsoleDriver(process)
    try:
        first = await terminal.read_screen()
        assert first.startswith("tidtam: the service's log is written to ")
        await terminal.send("2")
        assert "ผลผลิต (Output)" in await terminal.send("1")
        refused = await terminal.send(thai(30_000))  # 90 kB in one line: more than asyncio's 64 KiB
        assert "ข้อความยาว 30,000 ตัวอักษร" in refused
        assert "ผลลัพธ์ (Outcome)" in await terminal.send(thai(2000))
        assert await stored_output(empty_database_url) == thai(2000)
    finally:
        if process.stdin is not None:
            process.stdin.close()
        process.send_signal(2)
        _, errors = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0
    assert errors == b""  # the log went to its file, nothing to the terminal's error stream


async def test_ctrl_c_leaves_the_terminal_chat_quietly_and_gives_the_terminal_back(empty_database_url: str) -> None:
    env = await demo_env(empty_database_url)
    terminal = PtyTerminal(["chat", "--as", "suda"], env)
    try:
        await terminal.wait_for("\n> ")
        assert terminal.local_modes() & termios.ICANON == 0
        await terminal.type("ครึ่งบรรทัด")
        code = await terminal.stop(ctrl_c=True)
        modes = terminal.local_modes()
    finally:
        terminal.close()
    assert code == 130 and "Traceback" not in terminal.text, terminal.text[-2000:]
    assert modes & termios.ICANON and modes & termios.ECHO


async def test_tidtam_chat_logs_to_its_file_named_first(empty_database_url: str, tmp_path: Path) -> None:
    log_file = tmp_path / "chat.log"
    env = await demo_env(empty_database_url, TIDTAM_LOG_LEVEL="DEBUG", TIDTAM_LOG_FILE=str(log_file))
    finished = await run_tidtam(["chat", "--as", "suda"], env, stdin="เมนู\n")
    assert finished.returncode == 0, finished
    assert finished.stdout.splitlines()[0] == f"tidtam: the log is written to {log_file}"
    assert "สวัสดีค่ะ" in finished.stdout and " DEBUG " not in finished.stdout
    assert finished.stderr == ""  # nothing between the questions and answers of a terminal
    assert " DEBUG " in log_file.read_text(encoding="utf-8")


async def test_tidtam_chat_with_a_log_file_it_cannot_write_says_so(empty_database_url: str, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the log's folder should be")
    env = await demo_env(empty_database_url, TIDTAM_LOG_FILE=str(blocked / "chat.log"))
    finished = await run_tidtam(["chat", "--as", "suda"], env, stdin="เมนู\n")
    assert finished.returncode == 2 and "Traceback" not in finished.stderr, finished
    assert "TIDTAM_LOG_FILE" in finished.stderr
