"""Drives a real ``tidtam`` process through its terminal channel: type lines, tap buttons by label."""

from __future__ import annotations

import asyncio
import re

BUTTON = re.compile(r"^\s+\[(#?\d+)\] (?:[☑☐] )?(.*)$")
PROMPT = "\n> "


class ConsoleDriver:
    """Talks to a child process whose stdin/stdout are the terminal channel."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.screen = ""
        self.transcript: list[str] = []

    async def read_screen(self, seconds: float = 30.0) -> str:
        """Everything printed up to the next ``> `` prompt."""
        assert self.process.stdout is not None
        raw = b""
        async with asyncio.timeout(seconds):
            while not raw.endswith(PROMPT.encode()):
                chunk = await self.process.stdout.read(4096)
                if not chunk:
                    raise AssertionError(f"the process stopped; last output: {raw[-2000:].decode(errors='replace')}")
                raw += chunk
        buffer = raw.decode("utf-8")
        self.screen = buffer
        self.transcript.append(buffer)
        return buffer

    async def send(self, line: str) -> str:
        """Type one line and wait for the answer."""
        assert self.process.stdin is not None
        self.transcript.append(f"> {line}\n")
        self.process.stdin.write(f"{line}\n".encode())
        await self.process.stdin.drain()
        return await self.read_screen()

    async def say(self, text: str) -> None:
        """Type an answer; its line breaks become backslash continuations."""
        await self.send(" \\\n".join(text.split("\n")))

    def buttons(self) -> list[tuple[str, str]]:
        """(key to type, label) of the buttons on the last screen."""
        last = self.screen.rsplit("\n\n", 2)
        lines = "\n\n".join(last[-2:]).splitlines()
        return [(match.group(1), match.group(2)) for line in lines if (match := BUTTON.match(line))]

    async def tap(self, label: str) -> None:
        """Type the number of the button with that label (exact, else the only one containing it)."""
        buttons = self.buttons()
        exact = [key for key, text in buttons if text == label]
        found = exact or [key for key, text in buttons if label in text]
        assert len(found) == 1, f"button {label!r}: {found} among {buttons}\n{''.join(self.transcript[-4:])}"
        await self.send(found[0])
