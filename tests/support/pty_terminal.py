"""A real ``tidtam`` process on a pseudo-terminal, so that the kernel's terminal line discipline (its canonical
mode and the 4,095-byte limit of a line) is the one a person at a terminal meets."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import signal
import subprocess
import sys
import termios
from collections.abc import Mapping


def _control_terminal() -> None:
    """In the child, a session leader already: make the terminal its controlling one, so that Ctrl-C typed on it
    interrupts the child as it would at a real terminal. Ctrl-C's signal is set back to its default, as a shell at a
    terminal starts a program: a run started in the background by a shell without job control (``.ci/run &``)
    ignores SIGINT, the children inherit that, and Python then installs no KeyboardInterrupt at all."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyTerminal:
    """Types into a child's terminal and reads what the terminal shows (``\\r\\n`` read as ``\\n``)."""

    def __init__(self, args: list[str], env: Mapping[str, str]) -> None:
        self.master, self.slave = pty.openpty()  # the slave stays open here, to read its mode back at the end
        self.process = subprocess.Popen([sys.executable, "-m", "api.cli", *args], env=dict(env), stdin=self.slave,
                                        stdout=self.slave, stderr=self.slave, start_new_session=True,
                                        preexec_fn=_control_terminal)
        self.shown = bytearray()
        self.changed = asyncio.Event()
        os.set_blocking(self.master, False)
        asyncio.get_running_loop().add_reader(self.master, self._read)

    def _read(self) -> None:
        try:
            chunk = os.read(self.master, 65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # EIO: no process has the terminal open any more
            chunk = b""
        if not chunk:
            asyncio.get_running_loop().remove_reader(self.master)
        self.shown += chunk
        self.changed.set()

    @property
    def text(self) -> str:
        """Everything the terminal showed so far."""
        return self.shown.decode("utf-8", errors="replace").replace("\r\n", "\n")

    async def wait_for(self, wanted: str, after: int = 0, seconds: float = 30.0) -> int:
        """Wait until ``wanted`` is shown past position ``after`` of :attr:`text`; return the position past it."""
        try:
            async with asyncio.timeout(seconds):
                while (found := self.text.find(wanted, after)) < 0:
                    self.changed.clear()
                    await self.changed.wait()
        except TimeoutError:
            raise AssertionError(f"{wanted!r} not shown; the terminal shows: …{self.text[after:][-3000:]}") from None
        return found + len(wanted)

    async def type(self, data: str) -> int:
        """Type (or paste) ``data``; return the position in :attr:`text` where its effects start."""
        start = len(self.text)
        payload = data.encode()
        while payload:  # the terminal takes as much as its buffers hold: the rest once the process has read it
            try:
                written = os.write(self.master, payload)
            except BlockingIOError:
                written = 0
            payload = payload[written:]
            if payload:
                await asyncio.sleep(0.01)
        return start

    def local_modes(self) -> int:
        """The terminal's local mode flags now (``termios.ICANON`` and so on)."""
        return int(termios.tcgetattr(self.slave)[3])

    async def stop(self, *, ctrl_c: bool = False) -> int:
        """Interrupt the process (by typing Ctrl-C on the terminal with ``ctrl_c``, else with SIGINT) and wait for
        its exit status."""
        if self.process.poll() is None:
            if ctrl_c:
                await self.type("\x03")
            else:
                self.process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(asyncio.to_thread(self.process.wait), 30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            await asyncio.sleep(0.1)
            self._read_rest()
        return self.process.returncode

    def _read_rest(self) -> None:
        with contextlib.suppress(OSError):
            asyncio.get_running_loop().remove_reader(self.master)
            while chunk := os.read(self.master, 65536):
                self.shown += chunk

    def close(self) -> None:
        """Close both ends of the terminal."""
        with contextlib.suppress(OSError):
            asyncio.get_running_loop().remove_reader(self.master)
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)
