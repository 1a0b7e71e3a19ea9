"""The terminal channel: the same engine in a terminal, numbered choices, lines from standard input.

It also reads scripted input (stdin not a terminal), so a session can be replayed or tested; how lines are read
(never cut) is :mod:`bot.console_input`'s.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TextIO

from pythainlp.util import thai_digit_to_arabic_digit

from bot.chat_plain import copy_lines
from bot.console_input import LineSource
from conversations.copy.words import QUIT_WORDS
from conversations.messages import Attachment, Choice, Inbound, InputHint, Reply
from models.enums import Platform

Handler = Callable[[Inbound], Awaitable[list[Reply]]]
CONTINUE = "\\"  # a line ending in a backslash continues on the next line
FILES = Path("data") / "files"  # where the terminal saves the files the bot sends


LITERAL = "="  # ``=2`` answers the number 2 where a bare 2 would press the second button (``=a``: the letter)
EARLIER_KEYS = "abcdefghijklmnopqrstuvwxyz"  # the buttons of a turn's earlier messages (a notice): [a], [b]…


def numbers_answer(reply: Reply | None) -> bool:
    """Whether a bare number typed on this screen is the answer (an amount, a count, a quarter, an item number)
    rather than a button: there the buttons are shown as ``#1``, ``#2``…"""
    return reply is not None and reply.hint is InputHint.NUMBER


def render(reply: Reply, earlier_from: int | None = None) -> str:
    """A reply as terminal text: the message, then numbered buttons (ticked on multi-select).

    The buttons of a message above the screen (a notice shown before the question) are lettered from
    ``earlier_from`` instead, so that numbers always mean the screen's own buttons.
    """
    lines = [copy_lines(reply.copies), "", reply.text] if reply.copies else [reply.text]
    plain_numbers = not numbers_answer(reply)
    for number, choice in enumerate(reply.choices, start=1):
        tick = "" if choice.selected is None else ("☑ " if choice.selected else "☐ ")
        if earlier_from is None:
            key = f"[{number}]" if plain_numbers else f"[#{number}]"
        else:  # past the alphabet a button is shown, not pressable from the terminal
            at = earlier_from + number - 1
            key = f"[{EARLIER_KEYS[at]}]" if at < len(EARLIER_KEYS) else " • "
        lines.append(f"  {key} {tick}{choice.label}")
    if reply.attachment is not None:
        lines.append(f"  📎 {reply.attachment.filename}")
    return "\n".join(lines)


def save(attachment: Attachment, folder: Path) -> Path:
    """Write a file the bot sent (an export, a chart) where the terminal user can open it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(attachment.filename).name  # never a path the sender chose
    path.write_bytes(attachment.content)
    return path.resolve()


def normalize(line: str, screen: Reply | None, user_ref: str, earlier: Sequence[Choice] = ()) -> Inbound:
    """A typed line as an inbound message: ``#n`` presses button n anywhere, a bare ``n`` wherever the buttons
    are shown as ``[n]``; ``=n`` is the number n typed as an answer, never a button; a lone letter presses
    the button of an earlier message of the turn shown as ``[a]``, ``[b]``…"""
    text = line.rstrip("\r\n")
    stripped = text.strip()
    if _bare_number(thai_digit_to_arabic_digit(stripped.lstrip("#="))):  # ๓ is 3 (a Thai keyboard's digits)
        stripped = thai_digit_to_arabic_digit(stripped)
    choices: tuple[Choice, ...] = screen.choices if screen else ()
    letter = stripped.lower()
    if len(letter) == 1 and letter in EARLIER_KEYS[:len(earlier)]:  # "A" as well as "a"
        return Inbound(Platform.CONSOLE, user_ref, button=earlier[EARLIER_KEYS.index(letter)].token)
    literal = stripped[len(LITERAL):].strip()
    one_letter = len(literal) == 1 and literal.lower() in EARLIER_KEYS
    if stripped.startswith(LITERAL) and (_bare_number(literal) or one_letter):
        return Inbound(Platform.CONSOLE, user_ref, text=literal)
    number = stripped[1:] if stripped.startswith("#") else stripped
    by_number = stripped.startswith("#") or not numbers_answer(screen)
    if by_number and _bare_number(number) and 1 <= int(number) <= len(choices):
        return Inbound(Platform.CONSOLE, user_ref, button=choices[int(number) - 1].token)
    return Inbound(Platform.CONSOLE, user_ref, text=text)  # a terminal never redelivers: no event id


def _bare_number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 4


class ConsoleChannel:
    """Reads lines, runs each through the service, prints the replies; stops at end of input."""

    def __init__(self, handle: Handler, user_ref: str, output: TextIO | None = None,
                 files: Path = FILES) -> None:
        self.handle = handle
        self.user_ref = user_ref
        self.output = output or sys.stdout
        self.files = files
        self.screen: Reply | None = None
        self.earlier: list[Choice] = []  # the buttons of the turn's messages above the screen, lettered

    def show(self, replies: list[Reply]) -> None:
        """Print replies (a file is saved and its path printed); the last one with buttons becomes the screen
        that numbers refer to, and the buttons of the ones above it (a notice) are lettered."""
        self.earlier = []
        for index, reply in enumerate(replies):
            above = index < len(replies) - 1 and bool(reply.choices)
            print(render(reply, len(self.earlier) if above else None), file=self.output)
            if above:
                self.earlier.extend(reply.choices)
            if reply.attachment is not None:
                print(f"  💾 {save(reply.attachment, self.files)}", file=self.output)
            print(file=self.output)
        if replies:
            self.screen = replies[-1]
        self.output.flush()

    def notify(self, replies: Sequence[Reply], recipient: str | None = None) -> None:
        """Print a message nobody typed for (a reminder); its buttons become the screen numbers refer to.

        ``recipient`` names the account when the terminal shows messages for several (``reminders run-once``).
        """
        print(file=self.output)
        if recipient is not None:
            print(f"── {recipient} ──", file=self.output)
        for reply in replies:
            print(render(reply), file=self.output)
            print(file=self.output)
        if replies and replies[-1].choices:
            self.screen = replies[-1]
        if recipient is None:
            print("> ", end="", file=self.output)
        self.output.flush()

    async def send_line(self, line: str) -> None:
        """One typed line through the service."""
        inbound = normalize(line, self.screen, self.user_ref, self.earlier)
        self.show(await self.handle(inbound))

    async def run(self, lines: LineSource) -> None:
        """Show the current screen, then serve lines until end of input or ``/quit``.

        A line ending in a backslash continues on the next one, for answers of several paragraphs.
        """
        self.show(await self.handle(Inbound(Platform.CONSOLE, self.user_ref)))
        pending: list[str] = []
        while True:
            print("> " if not pending else "… ", end="", file=self.output, flush=True)
            raw = await lines.readline()
            if not raw:
                print(file=self.output)
                return
            line = raw.decode("utf-8", errors="surrogateescape").rstrip("\r\n")  # bad bytes: told, not guessed
            if line.endswith(CONTINUE):
                pending.append(line[: -len(CONTINUE)].rstrip())
                continue
            text = "\n".join([*pending, line])
            pending = []
            if text.strip().lower() in QUIT_WORDS:
                return
            if text.strip():
                await self.send_line(text)

