"""``is_outage`` tells a database that could not be reached or was busy from a statement that is wrong, and the
timeouts that make an outage show within seconds are really set on the connection."""

from __future__ import annotations

import asyncio
import errno
import socket
import sqlite3
from pathlib import Path

import asyncpg
import pytest
from tortoise.exceptions import DBConnectionError, IntegrityError, OperationalError
from tortoise.transactions import in_transaction

from models.db import MIGRATING, SERVING, Database, connection_config, is_outage
from models.org import Office
from tests.support.faults import sqlite_locked
from tests.support.processes import free_port


def caused(error: BaseException, cause: BaseException) -> BaseException:
    """``error`` raised ``from cause``."""
    error.__cause__ = cause
    return error


def during(error: BaseException, context: BaseException, *, suppressed: bool = False) -> BaseException:
    """``error`` raised while ``context`` was being handled (``from None`` when ``suppressed``)."""
    error.__context__ = context
    error.__suppress_context__ = suppressed
    return error


OUTAGES = [
    asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.PostgresConnectionError("connection failure"),
    asyncpg.InterfaceError("connection is closed"),
    asyncpg.CannotConnectNowError("the database system is starting up"),
    asyncpg.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.QueryCanceledError("canceling statement due to statement timeout"),
    asyncpg.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.LockNotAvailableError("canceling statement due to lock timeout"),
    DBConnectionError("Can't establish connection to database tidtam"),
    ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed ('127.0.0.1', 5432)"),
    ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"),
    TimeoutError(),
    socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
    OSError("Multiple exceptions: [Errno 111] Connect call failed ('::1', 5432, 0, 0), [Errno 111] …"),
    OSError(errno.EHOSTUNREACH, "No route to host"),
    sqlite3.OperationalError("database is locked"),
    sqlite3.OperationalError("database table is locked"),
    sqlite3.OperationalError("unable to open database file"),
    sqlite3.OperationalError("disk I/O error"),
    during(OperationalError("database is locked"), sqlite3.OperationalError("database is locked")),
    caused(RuntimeError("turn failed"), ConnectionResetError(errno.ECONNRESET, "reset")),
    during(KeyError("rollback"), caused(OperationalError("x"), asyncpg.ConnectionDoesNotExistError("gone"))),
]
NOT_OUTAGES = [
    asyncpg.PostgresSyntaxError('syntax error at or near "SELEC"'),
    asyncpg.UniqueViolationError("duplicate key value violates unique constraint"),
    asyncpg.RaiseError("refused by a trigger"),
    asyncpg.CharacterNotInRepertoireError("invalid byte sequence for encoding UTF8: 0x00"),
    asyncpg.InvalidPasswordError('password authentication failed for user "postgres"'),
    asyncpg.ClientConfigurationError("invalid connection parameter"),
    caused(IntegrityError("UNIQUE constraint failed"), sqlite3.IntegrityError("UNIQUE constraint failed")),
    sqlite3.OperationalError('near "SELEC": syntax error'),
    sqlite3.OperationalError("no such table: nothing"),
    FileNotFoundError(errno.ENOENT, "No such file or directory"),
    PermissionError(errno.EACCES, "Permission denied"),
    OSError("cannot identify image file"),  # what Pillow raises for a picture that is not one
    ValueError("a bug"),
    OperationalError("database is locked"),  # Tortoise's class alone says nothing: what it wraps does (above)
    during(ValueError("a bug"), ConnectionResetError(errno.ECONNRESET, "reset"), suppressed=True),
]


@pytest.mark.parametrize("error", OUTAGES, ids=lambda error: f"{type(error).__name__}: {error}"[:60])
def test_a_failure_to_reach_the_database_is_an_outage(error: BaseException) -> None:
    assert is_outage(error)


@pytest.mark.parametrize("error", NOT_OUTAGES, ids=lambda error: f"{type(error).__name__}: {error}"[:60])
def test_a_statement_at_fault_or_a_bug_is_no_outage(error: BaseException) -> None:
    assert not is_outage(error)


def test_a_cycle_of_causes_ends() -> None:
    first, second = ValueError("a"), ValueError("b")
    first.__context__, second.__context__ = second, first
    assert not is_outage(first)


async def _error_of(statement: str, connection_url: str) -> BaseException:
    async with Database(connection_url) as database:
        with pytest.raises(Exception) as raised:  # noqa: PT011 - any error: which one is the point
            await database.connection().execute_query(statement)
    return raised.value


async def _transaction_error(*statements: str) -> BaseException:
    """The error of running ``statements`` in one transaction, which is rolled back (nothing they did remains)."""
    try:
        async with in_transaction() as connection:
            for statement in statements:
                await connection.execute_script(statement)
    except Exception as error:  # any error: which one is the point
        return error
    raise AssertionError(f"no error from {statements}")


async def test_real_errors_of_a_wrong_statement_are_no_outage(database: Database) -> None:
    with pytest.raises(OperationalError) as syntax:
        await database.connection().execute_query("SELEC 1")
    assert not is_outage(syntax.value)
    await Office.create(code="CMI1", name="หนึ่ง")
    with pytest.raises(IntegrityError) as duplicate:
        await Office.create(code="CMI1", name="สอง")
    assert not is_outage(duplicate.value)
    trigger = ("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
               "'refused by a trigger'; END $$; CREATE TRIGGER refusing BEFORE INSERT ON refusing FOR EACH ROW "
               "EXECUTE FUNCTION refuse()") if database.is_postgres else (
               "CREATE TRIGGER refusing BEFORE INSERT ON refusing BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); "
               "END")
    refused = await _transaction_error("CREATE TABLE refusing (x int)", trigger, "INSERT INTO refusing VALUES (1)")
    assert "refused by a trigger" in str(refused)
    assert not is_outage(refused)


async def test_a_server_that_refuses_connections_is_an_outage_within_the_connect_timeout() -> None:
    loop = asyncio.get_running_loop()
    began = loop.time()
    error = await _error_of("SELECT 1", f"postgres://tidtam@127.0.0.1:{free_port()}/nothing")
    assert is_outage(error), repr(error)
    assert loop.time() - began < SERVING.connect


async def test_a_sqlite_file_that_cannot_be_opened_is_an_outage(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder-not-a-file"
    folder.mkdir()
    error = await _error_of("SELECT 1", f"sqlite://{folder}")
    assert is_outage(error), repr(error)


async def test_a_locked_sqlite_file_is_an_outage_after_the_busy_timeout(database: Database) -> None:
    if database.is_postgres:
        pytest.skip("the file lock is SQLite's")
    loop = asyncio.get_running_loop()
    async with sqlite_locked(database.url):
        began = loop.time()
        with pytest.raises(OperationalError) as locked:
            await Office.create(code="CMI1", name="หนึ่ง")
        waited = loop.time() - began
    assert is_outage(locked.value)
    assert SERVING.busy * 0.9 <= waited < SERVING.busy + 1.5


async def test_postgres_statement_and_lock_timeouts_are_outages(database: Database) -> None:
    if not database.is_postgres:
        pytest.skip("statement_timeout and lock_timeout are PostgreSQL's")
    cancelled = await _transaction_error("SET LOCAL statement_timeout = 100", "SELECT pg_sleep(2)")
    assert isinstance(cancelled, asyncpg.QueryCanceledError) and is_outage(cancelled)

    holding, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with in_transaction() as connection:
            await connection.execute_query("SELECT pg_advisory_xact_lock(4242)")
            holding.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await holding.wait()
    try:
        busy = await _transaction_error("SET LOCAL lock_timeout = 100", "SELECT pg_advisory_xact_lock(4242)")
    finally:
        release.set()
        await holder
    assert isinstance(busy, asyncpg.LockNotAvailableError) and is_outage(busy)


async def test_the_timeouts_are_set_on_the_connection(database: Database) -> None:
    connection = database.connection()
    if database.is_postgres:
        _, rows = await connection.execute_query(
            "SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock, "
            "current_setting('idle_in_transaction_session_timeout') AS idle")
        assert dict(rows[0]) == {"statement": "10s", "lock": "5s", "idle": "1min"}
    else:
        _, rows = await connection.execute_query("PRAGMA busy_timeout")
        assert list(dict(rows[0]).values()) == [round(SERVING.busy * 1000)]


def test_migrating_has_no_statement_limit_and_the_password_is_no_string() -> None:
    url = "postgres://tidtam:s3cret-passw0rd@db.example:5432/tidtam"
    serving, migrating = connection_config(url)["credentials"], connection_config(url, MIGRATING)["credentials"]
    assert serving["server_settings"]["statement_timeout"] == "10000" and serving["command_timeout"] == 12.0
    assert migrating["server_settings"]["statement_timeout"] == "0" and migrating["command_timeout"] is None
    assert migrating["server_settings"]["lock_timeout"] == "5000"  # a schema change must not queue everyone
    assert serving["password"]() == "s3cret-passw0rd"
    assert "s3cret" not in repr(serving)  # Tortoise logs this dict at DEBUG
