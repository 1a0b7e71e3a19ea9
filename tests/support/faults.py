"""Tools of the fault tests: a ``tidtam serve`` that can be killed and started again, many linked LINE owners,
and a database that goes away for a moment (a TCP forwarder to PostgreSQL that can be cut or made to hang, or an
exclusive lock on the SQLite file held from another connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

from models.enums import Platform, Role
from models.org import ChatAccount, Office, User
from tests.support.line_user import new_user_id
from tests.support.processes import start_tidtam, wait_until_healthy


@dataclass
class Served:
    """One ``tidtam serve`` at a fixed port, killed with SIGKILL and started again on demand.

    ``up`` is set while the process answers; ``generation`` counts the starts, so that a client can tell
    that the process it posted to has since died.
    """

    env: dict[str, str]
    port: int
    log_path: Path
    process: subprocess.Popen[str] | None = None
    generation: int = 0
    kills: int = 0
    up: asyncio.Event = field(default_factory=asyncio.Event)
    _log: IO[str] | None = None

    async def start(self) -> None:
        """Start the process and wait until it answers ``/healthz``."""
        if self._log is None:
            self._log = self.log_path.open("a", encoding="utf-8")
        self.process = start_tidtam(["serve"], self.env, log=self._log)
        await wait_until_healthy(self.port, self.process, seconds=60.0)
        self.generation += 1
        self.up.set()

    async def kill(self) -> None:
        """SIGKILL: no shutdown, no grace, whatever was running is cut off."""
        assert self.process is not None
        self.up.clear()
        self.process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(self.process.wait)
        self.kills += 1

    async def stop(self) -> int:
        """Stop cleanly (SIGINT) and return the exit status."""
        self.up.clear()
        status = 0
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            status = await asyncio.to_thread(self.process.wait, 30)
        if self._log is not None:
            self._log.close()
            self._log = None
        return status

    def output(self) -> str:
        """Everything the process (all its lives) wrote."""
        return self.log_path.read_text(encoding="utf-8") if self.log_path.exists() else ""


async def line_owners(office: Office, count: int, prefix: str = "เจ้าของ") -> list[tuple[str, User]]:
    """``count`` owners of ``office``, each with a LINE account already linked: (LINE user id, person)."""
    owners = []
    for number in range(count):
        user = await User.create(name=f"{prefix} {number:03d}", role=Role.OWNER, office=office)
        line_id = new_user_id()
        await ChatAccount.create(platform=Platform.LINE, external_id=line_id, user=user)
        owners.append((line_id, user))
    return owners


# --- a database that goes away --------------------------------------------------------------------------------


class TcpCut:
    """A TCP forwarder on 127.0.0.1 to a database server, in one of three modes the test switches between:

    - open (at start, and after :meth:`restore`): every connection is forwarded both ways;
    - cut (:meth:`cut`): the network or the server gone: every connection is reset, and new ones are reset as soon
      as they are accepted, so a driver fails at once (connection refused or reset);
    - hung (:meth:`hang`): the server stopped answering: every connection is reset, and new ones are accepted but
      nothing is forwarded nor answered (what the client sends is read and dropped), so a driver's connect waits
      until its own timeout; the connections held so are reset when the mode changes again or at :meth:`close`.

    Point the service at :meth:`url_through`; :func:`tcp_cut` gives one for a block.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.mode = "open"
        self.accepted = 0  # connections accepted in any mode (a test can tell that a driver tried again)
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()  # both ends of every forwarded connection
        self._held: set[asyncio.StreamWriter] = set()  # connections accepted while hung

    @property
    def open(self) -> bool:
        """Whether connections are forwarded."""
        return self.mode == "open"

    async def start(self) -> None:
        """Listen on a free port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        """Stop listening and close everything."""
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut(self) -> None:
        """Reset every connection; new ones are reset as soon as they arrive."""
        self._switch("cut")

    def hang(self) -> None:
        """Reset every connection; new ones are accepted and then left without an answer until the mode changes."""
        self._switch("hung")

    def restore(self) -> None:
        """Forward new connections again (those held while hung are reset: their clients try again)."""
        self._switch("open")

    def _switch(self, mode: str) -> None:
        self.mode = mode
        for writer in [*self._links, *self._held]:
            writer.transport.abort()
        self._links.clear()
        self._held.clear()

    def url_through(self, database_url: str) -> str:
        """``database_url`` with its host and port replaced by this forwarder's."""
        parts = urlsplit(database_url)
        credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        return urlunsplit(parts._replace(netloc=f"{credentials}127.0.0.1:{self.port}"))

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        if self.mode == "cut":
            writer.transport.abort()
            return
        if self.mode == "hung":
            await self._hold(reader, writer)
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        if self.mode != "open":  # switched while connecting upstream
            writer.transport.abort()
            upstream_writer.transport.abort()
            return
        self._links.update((writer, upstream_writer))
        await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))
        self._links.discard(writer)
        self._links.discard(upstream_writer)

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Read and drop what the client sends, answer nothing, until the mode changes (which resets it)."""
        self._held.add(writer)
        try:
            while await reader.read(65536):
                pass
        except (ConnectionError, OSError):
            pass
        finally:
            self._held.discard(writer)
            writer.transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.transport.abort()


@contextlib.asynccontextmanager
async def tcp_cut(database_url: str) -> AsyncIterator[TcpCut]:
    """A forwarder to the PostgreSQL of ``database_url``, for the block."""
    parts = urlsplit(database_url)
    forwarder = TcpCut(parts.hostname or "127.0.0.1", parts.port or 5432)
    await forwarder.start()
    try:
        yield forwarder
    finally:
        await forwarder.close()


def sqlite_path(database_url: str) -> str:
    """The file of a ``sqlite://`` URL."""
    parts = urlsplit(database_url)
    return (parts.netloc + parts.path).split("?", 1)[0]


@contextlib.asynccontextmanager
async def sqlite_locked(database_url: str) -> AsyncIterator[None]:
    """Hold an exclusive lock on the SQLite file from another connection (as a stuck writer or a backup would):
    every other connection's reads and writes fail with "database is locked" once their busy timeout runs out.

    The lock is taken in a thread: a service in this process may be inside a write transaction that needs the event
    loop to reach its commit, and waiting for the lock on the loop itself would stop that commit until the wait
    timed out (seen on a loaded machine)."""
    holder = sqlite3.connect(sqlite_path(database_url), isolation_level=None, timeout=30, check_same_thread=False)
    try:
        await asyncio.to_thread(holder.execute, "BEGIN EXCLUSIVE")
        yield
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
