"""Running ``tidtam`` as a real process, for the tests that need a real server or a real restart."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import aiohttp


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tidtam_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a child ``tidtam``: ours without chat credentials, plus the given values."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "LINE_"))}
    quiet_log = str(Path(tempfile.gettempdir()) / f"tidtam-test-{os.getpid()}.log")  # not the checkout's data/
    return environment | {"DATABASE_URL": database_url, "TIDTAM_HOST": "127.0.0.1",
                          "TIDTAM_LOG_FILE": quiet_log} | dict(extra)


def start_tidtam(
    args: list[str], env: Mapping[str, str], *, stdin: int | None = subprocess.DEVNULL, log: IO[str] | None = None
) -> subprocess.Popen[str]:
    """Start ``python -m api.cli ARGS`` with its output captured (into ``log`` when given: a long run's output
    would fill a pipe nobody reads, and the server would block on it)."""
    output: IO[str] | int = subprocess.PIPE if log is None else log
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args], env=dict(env), stdin=stdin, stdout=output,
        stderr=output, text=True,
    )


@dataclass(frozen=True)
class Finished:
    """What a finished ``tidtam`` command left: its exit status and its output."""

    returncode: int
    stdout: str
    stderr: str


async def run_tidtam(args: list[str], env: Mapping[str, str], *, stdin: str = "", python: str = "",
                     seconds: float = 60.0) -> Finished:
    """Run ``python -m api.cli ARGS`` to its end without blocking the event loop, so that stand-ins served by this
    process go on answering it. With ``python``, run that program (``python -c``) with ``ARGS`` instead."""
    command = ["-c", python, *args] if python else ["-m", "api.cli", *args]
    process = await asyncio.create_subprocess_exec(
        sys.executable, *command, env=dict(env), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(stdin.encode()), seconds)
    except TimeoutError:
        process.kill()
        out, err = await process.communicate()
        raise AssertionError(f"tidtam {' '.join(args)} still running after {seconds:.0f} s: {err.decode()}") from None
    assert process.returncode is not None
    return Finished(process.returncode, out.decode(), err.decode())


async def wait_until_healthy(port: int, process: subprocess.Popen[str], seconds: float = 30.0) -> None:
    """Poll ``/healthz`` until it answers 200, or fail with the server's output."""
    async with aiohttp.ClientSession() as session, asyncio.timeout(seconds):
        while True:
            if process.poll() is not None:
                raise AssertionError(f"server exited early: {process.communicate()[1]}")
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.2)


def stop(process: subprocess.Popen[str], sig: int = signal.SIGINT, timeout: float = 20.0) -> tuple[int, str, str]:
    """Send a signal and collect the exit code and output."""
    if process.poll() is None:
        process.send_signal(sig)
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err
