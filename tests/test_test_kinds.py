"""The kinds of test (tests/support/kinds.py): each test is marked from what it uses, and a pure one is held to it."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest

from models.db import Database
from tests.support.kinds import Kind, PureTestError, kinds_of, process_signs

TESTS = Path(__file__).resolve().parent


def marks(request: pytest.FixtureRequest) -> set[str]:
    return {mark.name for mark in request.node.iter_markers() if mark.name in set(Kind)}


def test_a_pure_test_can_open_no_database_socket_or_process(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    assert marks(request) == {"pure"}
    with pytest.raises(PureTestError, match="open a database"):
        sqlite3.connect(tmp_path / "x.sqlite3")
    with pytest.raises(PureTestError, match="connect a socket"):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(PureTestError, match="start a process"):
        subprocess.run(["true"], check=True)
    assert not (tmp_path / "x.sqlite3").exists()


async def test_a_pure_test_cannot_open_the_service_database(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    assert marks(request) == {"pure"}
    async with Database(f"sqlite://{tmp_path / 'x.sqlite3'}") as database:
        with pytest.raises(Exception) as raised:  # noqa: PT011 (the driver's wrapping of it varies)
            await database.connection().execute_query("SELECT 1")
    assert "a pure test may not open a database" in str(raised.value)


async def test_a_test_using_the_database_is_db_and_may_open_it(database: Database,
                                                               request: pytest.FixtureRequest) -> None:
    assert marks(request) == {"db"}
    assert await database.connection().execute_query_dict("SELECT 1 AS one") == [{"one": 1}]


@pytest.mark.parametrize(("fixtures", "explicit", "starts_processes", "expected"), [
    ((), set(), False, {Kind.PURE}),
    (("tmp_path", "database_url", "database"), set(), False, {Kind.DB}),
    (("tmp_path",), set(), True, {Kind.PROCESS}),
    (("database_url",), set(), True, {Kind.DB, Kind.PROCESS}),
    ((), {Kind.PROCESS}, False, {Kind.PROCESS}),
    ((), {Kind.DB}, False, {Kind.DB}),
    ((), {Kind.PURE}, True, {Kind.PURE}),  # a module that starts servers may hold a pure test, said so by hand
])
def test_the_kinds_of_a_test(fixtures: tuple[str, ...], explicit: set[Kind], starts_processes: bool,
                             expected: set[Kind]) -> None:
    assert kinds_of(fixtures, explicit, starts_processes=starts_processes) == expected


def test_a_test_marked_pure_by_hand_may_not_ask_for_the_database() -> None:
    with pytest.raises(pytest.UsageError, match="mark it db"):
        kinds_of(("database_url", "database"), {Kind.PURE}, starts_processes=False)


def test_modules_that_start_servers_or_processes_are_told_by_their_support() -> None:
    assert process_signs(TESTS / "test_telegram_serve.py")  # tests.support.processes
    assert process_signs(TESTS / "test_line_webhook.py")  # the LINE stand-in server, through line_world
    assert not process_signs(TESTS / "test_parsers.py")
    assert not process_signs(TESTS / "test_golden.py")  # the database, not a process
