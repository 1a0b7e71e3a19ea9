"""The terminal channel's input: lines from standard input, never cut, whatever their length.

A terminal in canonical mode keeps at most 4,095 bytes of a line (Linux's ``N_TTY_BUF_SIZE``) and silently drops
the rest: a 3,000-character Thai paste (9,000 bytes of UTF-8) arrived as 1,382 characters. So on a terminal the
channel turns canonical mode and the kernel's echo off (signals stay on: Ctrl-C still stops the service) and edits
the line itself — echo, backspace by character, Ctrl-U, Ctrl-D on an empty line for end of input — and asks the
terminal for bracketed paste, so that a pasted text keeps its line breaks as one answer. A pipe or a file is read
line by line with no length limit (asyncio's default refuses lines over 64 KiB). An over-long answer thus reaches
the question whole, and its parser refuses it stating the length received.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import sys
import termios
import unicodedata
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Protocol

CHUNK = 65536
PASTE_ON, PASTE_OFF = "\x1b[?2004h", "\x1b[?2004l"  # ask the terminal to mark pastes, and stop asking
PASTE_START, PASTE_END = "[200~", "[201~"  # the marks, after ESC
BACKSPACE = ("\x7f", "\x08")
KILL_LINE = "\x15"  # Ctrl-U
END_OF_INPUT = "\x04"  # Ctrl-D


class LineSource(Protocol):
    """Where the channel's lines come from: one line (with its ``\\n``) per call, ``b""`` at end of input."""

    async def readline(self) -> bytes:
        """The next line, or ``b""`` at end of input."""
        ...


class PipeLines:
    """Lines of a pipe or a file, as long as they come."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self.reader = reader
        self.buffer = b""

    async def readline(self) -> bytes:
        """The next line, however long; the last one may lack its ``\\n``."""
        while (end := self.buffer.find(b"\n")) < 0:
            chunk = await self.reader.read(CHUNK)
            if not chunk:
                line, self.buffer = self.buffer, b""
                return line
            self.buffer += chunk
        line, self.buffer = self.buffer[: end + 1], self.buffer[end + 1:]
        return line


def _width(character: str) -> int:
    """Columns a character takes: none for a combining mark (a Thai vowel above or below, a tone mark)."""
    if unicodedata.combining(character) or unicodedata.category(character) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


class TerminalLines:
    """Lines typed or pasted on a terminal in non-canonical mode, edited and echoed here.

    Enter ends a line, except inside a bracketed paste, where a line break stays in the text.
    """

    def __init__(self, reader: asyncio.StreamReader, echo: Callable[[str], None]) -> None:
        self.reader = reader
        self.echo = echo
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        self.pending = ""  # received, not yet taken into a line
        self.escape: str | None = None  # an escape sequence being received (after its ESC)
        self.pasting = False
        self.line: list[str] = []

    async def readline(self) -> bytes:
        """The next line (bytes as typed, with ``\\n``); ``b""`` at end of input."""
        while True:
            done = self._take()
            if done is not None:
                return done.encode("utf-8", errors="surrogateescape")
            chunk = await self.reader.read(CHUNK)
            if not chunk:
                rest = "".join(self.line) + self.decoder.decode(b"", final=True)
                self.line = []
                return rest.encode("utf-8", errors="surrogateescape")
            self.pending += self.decoder.decode(chunk)

    def _take(self) -> str | None:
        """Edit the line with what was received; the line when one ends (``""`` stands for end of input)."""
        shown: list[str] = []
        try:
            while self.pending:
                character, self.pending = self.pending[0], self.pending[1:]
                if self.escape is not None:
                    self._escaped(character)
                elif character == "\x1b":
                    self.escape = ""
                elif character in ("\r", "\n"):
                    if self.pasting:
                        self.line.append("\n")
                        shown.append("\r\n")
                        continue
                    line = "".join(self.line) + "\n"
                    self.line = []
                    shown.append("\r\n")
                    return line
                elif character in BACKSPACE:
                    shown.append(self._erase())
                elif character == KILL_LINE:
                    while self.line and self.line[-1] != "\n":
                        shown.append(self._erase())
                elif character == END_OF_INPUT:
                    if not self.line:
                        return ""
                elif character == "\t" or character >= " ":
                    self.line.append(character)
                    shown.append(character)
            return None
        finally:
            if shown:
                self.echo("".join(shown))

    def _escaped(self, character: str) -> None:
        """One more character of an escape sequence: paste marks are obeyed, arrows and the like ignored."""
        assert self.escape is not None
        self.escape += character
        sequence = self.escape
        if sequence in ("[", "O") or (sequence.startswith("[") and not ("@" <= character <= "~")):
            return  # not finished
        self.escape = None
        if sequence == PASTE_START:
            self.pasting = True
        elif sequence == PASTE_END:
            self.pasting = False

    def _erase(self) -> str:
        """Remove the last character as seen (with its marks); what to echo to wipe it."""
        columns = 0
        while self.line and self.line[-1] != "\n":
            character = self.line.pop()
            columns = _width(character)
            if columns:
                break
        return "\b \b" * columns


@contextlib.contextmanager
def line_editing_here(fd: int, write: Callable[[str], None]) -> Iterator[None]:
    """The terminal on ``fd`` in non-canonical mode without echo, pastes marked, until the block ends."""
    saved = termios.tcgetattr(fd)
    mode = termios.tcgetattr(fd)
    mode[3] &= ~(termios.ICANON | termios.ECHO)  # local flags; ISIG kept: Ctrl-C still stops the service
    mode[6][termios.VMIN], mode[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSANOW, mode)
    write(PASTE_ON)
    try:
        yield
    finally:
        write(PASTE_OFF)
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


@contextlib.asynccontextmanager
async def stdin_lines() -> AsyncIterator[LineSource]:
    """Standard input as lines: a terminal edited here (and put back as it was at the end), a pipe or a file."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    except ValueError:  # a regular file (``< script.txt``) is not a pipe: read it whole
        reader.feed_data(sys.stdin.buffer.read())
        reader.feed_eof()
    fd = sys.stdin.fileno()
    if not os.isatty(fd):
        yield PipeLines(reader)
        return
    with line_editing_here(fd, _write_stdout):
        yield TerminalLines(reader, _write_stdout)
