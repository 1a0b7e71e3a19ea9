"""The three kinds of test, so that a run can pick the fast ones: ``pytest -m pure`` takes seconds.

- ``db``: uses the test database (any fixture built on ``database_url`` in tests/conftest.py);
- ``process``: starts processes or servers, told by the support it imports (tests/support/processes.py, the
  stand-in servers, the app under a test server, a terminal) or by a ``@pytest.mark.process`` of its own;
- ``pure``: neither, and held to it: while it runs, opening SQLite, a socket, a server or a process fails.

A test may be ``db`` and ``process`` at once; ``pure`` is never combined.
"""

from __future__ import annotations

import ast
import socket
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import pytest

DATABASE_FIXTURE = "database_url"  # every database fixture depends on it
PROCESS_IMPORTS = frozenset({"subprocess", "pty", "aiohttp.web", "aiohttp.test_utils"})
SUPPORT = "tests.support"
NOT_A_SIGN = frozenset({__name__})  # this module imports subprocess and socket to refuse them, not to use them
ROOT = Path(__file__).resolve().parents[2]


class Kind(StrEnum):
    PURE = "pure"
    DB = "db"
    PROCESS = "process"


class PureTestError(RuntimeError):
    """A test marked pure reached for a database, a socket or a process."""


def kinds_of(fixtures: Iterable[str], explicit: set[Kind], *, starts_processes: bool) -> set[Kind]:
    """The kinds of one test: from the fixtures it uses, whether its module starts processes, its own marks."""
    kinds = explicit - {Kind.PURE}
    if DATABASE_FIXTURE in set(fixtures):
        if Kind.PURE in explicit:
            raise pytest.UsageError("a test marked pure asks for the database: mark it db instead")
        kinds.add(Kind.DB)
    if starts_processes and Kind.PURE not in explicit:
        kinds.add(Kind.PROCESS)
    return kinds or {Kind.PURE}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@cache
def _support_starts_processes(module: str) -> bool:
    """Whether a support module, or one it imports however indirectly, starts servers or processes."""
    seen, todo = set(), [module]
    while todo:
        path = ROOT.joinpath(*(name := todo.pop()).split(".")).with_suffix(".py")
        if name in seen or name in NOT_A_SIGN or not path.is_file():
            continue
        seen.add(name)
        imports = _imports(path)
        if imports & PROCESS_IMPORTS:
            return True
        todo += [name for name in imports if name.startswith(f"{SUPPORT}.")]
    return False


def process_signs(path: Path) -> bool:
    """Whether a test module uses support that starts servers or processes (its own imports are its own
    business: a test that starts one itself says so with ``@pytest.mark.process``)."""
    return any(_support_starts_processes(name) for name in _imports(path) if name.startswith(f"{SUPPORT}."))


def _refuse(what: str) -> Any:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise PureTestError(f"a pure test may not {what}: mark it db or process (see tests/support/kinds.py)")
    return refused


@contextmanager
def nothing_but_memory() -> Iterator[None]:
    """While inside: no SQLite connection, no socket connected or listening, no child process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite3, "connect", _refuse("open a database"))
        patch.setattr(socket.socket, "connect", _refuse("connect a socket"))
        patch.setattr(socket.socket, "connect_ex", _refuse("connect a socket"))
        patch.setattr(socket.socket, "bind", _refuse("start a server"))
        patch.setattr(subprocess.Popen, "__init__", _refuse("start a process"))
        yield
