"""``tidtam serve`` as the benchmarks run it: a process of its own, on a fresh database, talking to the stand-ins.

Shared by the turn and memory benchmarks: a throw-away database (a SQLite file, or a PostgreSQL database
created and dropped again), the service started with both platforms configured the way production is
(LINE webhook, Telegram in webhook mode) but pointed at the stand-ins, and its resident memory.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bench.chat_standins import ChatStandins
from models.db import Database
from tests.support.processes import free_port, tidtam_env

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
LINE_SECRET = "0123456789abcdef0123456789abcdef"  # a channel secret is 32 hex digits
TELEGRAM_SECRET = "bench-webhook-secret_0123456789"
HEALTHY_WITHIN = 60.0
# A file name: ``tidtam serve`` runs under cProfile and writes its profile there when it stops (see README,
# "What limits a turn"); the CPU it then reports includes the profiler's own. ``{port}`` in the name is replaced
# by the service's port, so that two instances write a profile each (without it, the last to stop wins).
PROFILE = os.environ.get("BENCH_SERVE_PROFILE", "")
# A file name: the service's log is copied there when it stops (with TIDTAM_LOG_LEVEL=DEBUG, every statement);
# ``{port}`` in it as in PROFILE.
KEEP_LOG = os.environ.get("BENCH_SERVE_LOG", "")
# Runs the rest of its arguments as ``python ARGS`` (the same process, by exec) after asking Linux to send it
# SIGTERM when the benchmark dies, so that a benchmark killed by a timeout leaves no service running.
DIE_WITH_PARENT = ("import ctypes, os, signal, sys\n"
                   "try:\n    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG\n"
                   "except (OSError, AttributeError):\n    pass\n"
                   "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])")


class Unreachable(Exception):
    """No PostgreSQL answers where the benchmark looks for one."""


@asynccontextmanager
async def fresh_database(kind: str, name: str) -> AsyncIterator[str]:
    """A migrated, empty database (``kind`` is ``sqlite`` or ``postgres``), gone after the block.

    Raises:
        Unreachable: ``kind`` is postgres and no server answers at ``BENCH_PG_SERVER``.
    """
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite://{Path(folder) / f'{name}.sqlite3'}"
            await _migrate(url)
            yield url
        return
    import asyncpg  # only the PostgreSQL runs need it

    try:
        server = await asyncio.wait_for(asyncpg.connect(f"{PG_SERVER}/postgres"), 10)
    except (TimeoutError, OSError, asyncpg.PostgresError) as error:
        raise Unreachable(f"no PostgreSQL at {PG_SERVER} ({type(error).__name__}: {error})") from None
    try:
        await server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # a run killed half-way
        await server.execute(f'CREATE DATABASE "{name}"')
        url = f"{PG_SERVER}/{name}"
        try:
            await _migrate(url)
            yield url
        finally:
            await server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await server.close()


async def _migrate(url: str) -> None:
    database = Database(url)
    await database.open()
    try:
        await database.migrate()
    finally:
        await database.close()


@dataclass(frozen=True, slots=True)
class Served:
    """A running ``tidtam serve``: its process id and where its webhooks are."""

    pid: int
    port: int
    log: Path

    @property
    def line_webhook(self) -> str:
        """Where LINE posts."""
        return f"http://127.0.0.1:{self.port}/webhook/line"

    @property
    def telegram_webhook(self) -> str:
        """Where Telegram posts."""
        return f"http://127.0.0.1:{self.port}/webhook/telegram"

    def rss_mb(self) -> float:
        """The service's resident memory now (VmRSS), in MB."""
        return rss_mb(self.pid)


def rss_mb(pid: int) -> float:
    """A process's resident memory (VmRSS of /proc/<pid>/status), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


@asynccontextmanager
async def served(database_url: str, standins: ChatStandins, **extra: str) -> AsyncIterator[Served]:
    """Start ``tidtam serve`` on the database with LINE and Telegram (webhook mode) at the stand-ins.

    Reminders are off: their loop would message every seeded owner of the open quarter in the middle of
    the measurement. The log goes to a file (a pipe nobody reads would fill up and stall the service).
    """
    port = free_port()
    env = tidtam_env(database_url, TIDTAM_PORT=str(port), LINE_CHANNEL_SECRET=LINE_SECRET,
                     LINE_CHANNEL_ACCESS_TOKEN=standins.line_token, LINE_API_BASE_URL=standins.line_url,
                     TELEGRAM_BOT_TOKEN=standins.telegram_token, TELEGRAM_API_BASE_URL=standins.telegram_url,
                     TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/webhook/telegram",
                     TELEGRAM_WEBHOOK_SECRET=TELEGRAM_SECRET, TIDTAM_REMINDERS="false", **extra)
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "serve.log"
        profile = ("-m", "cProfile", "-o", PROFILE.replace("{port}", str(port))) if PROFILE else ()
        with log.open("w") as output:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-c", DIE_WITH_PARENT, *profile,
                "-m", "api.cli", "serve", env=env,
                stdin=asyncio.subprocess.DEVNULL, stdout=output, stderr=asyncio.subprocess.STDOUT)
        try:
            await _healthy(port, process, log)
            yield Served(process.pid, port, log)
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), 40)
            except TimeoutError:
                process.kill()
                await process.wait()
        if KEEP_LOG:
            shutil.copy(log, KEEP_LOG.replace("{port}", str(port)))
        tail = log.read_text()[-3000:]
        if process.returncode != 0 or "Traceback" in tail:
            print(f"tidtam serve exited {process.returncode}; its log ends:\n{tail}", file=sys.stderr)


async def _healthy(port: int, process: asyncio.subprocess.Process, log: Path) -> None:
    async with aiohttp.ClientSession() as session, asyncio.timeout(HEALTHY_WITHIN):
        while True:
            if process.returncode is not None:
                output = await asyncio.to_thread(log.read_text)
                raise RuntimeError(f"tidtam serve exited early: {output[-3000:]}")
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
