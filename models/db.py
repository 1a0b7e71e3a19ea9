"""Opening, migrating and closing the one database Tidtam writes to (SQLite or PostgreSQL)."""

from __future__ import annotations

import errno
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext
from tortoise.exceptions import DBConnectionError
from tortoise.migrations.executor import MigrationExecutor

APP_LABEL = "models"
MODEL_MODULES = (  # every module defining ORM models, loaded by tortoise as the app "models"
    "models.imports", "models.inbox", "models.org", "models.plans", "models.project", "models.report",
    "models.runtime", "models.tallies", "models.numbering",
)
MIGRATIONS_MODULE = "migrations"


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long the database may take before a request fails as an outage (see the README's "Timeouts").

    ``statement`` and ``command`` of 0 mean no limit (``tidtam db migrate``: a schema change may run long).
    """

    connect: float = 3.0  # PostgreSQL: TCP connect, TLS and authentication of one new connection
    statement: float = 10.0  # PostgreSQL statement_timeout: the server cancels a statement running longer
    command: float = 12.0  # asyncpg's own limit per statement: the answer of a server that went silent
    lock: float = 5.0  # PostgreSQL lock_timeout: waiting for a row, table or advisory lock
    idle_in_transaction: float = 60.0  # PostgreSQL ends a session left idle inside a transaction
    busy: float = 2.0  # SQLite busy_timeout: waiting for another process's write lock on the file


SERVING = Timeouts()
# Connections a process may open to PostgreSQL (asyncpg's pool; Tortoise's default is 5): the inbox handles up to
# TIDTAM_INBOX_CONCURRENCY (32) turns at once, and webhooks, claims, the API and reminders need some beside them.
# Two instances stay within PostgreSQL's default max_connections of 100. A ``maxsize`` in the URL wins.
POOL_SIZE = 40
MIGRATING = Timeouts(statement=0, command=0)


def is_postgres(database_url: str) -> bool:
    """Whether the URL points at PostgreSQL (where row locks and advisory locks are real)."""
    return urlsplit(database_url).scheme in {"postgres", "postgresql", "asyncpg"}


def location(database_url: str) -> str:
    """Where the database is, for messages: PostgreSQL's host, port and database, or SQLite's file; no password."""
    parts = urlsplit(database_url)
    if is_postgres(database_url):
        return f"PostgreSQL at {parts.hostname or 'localhost'}:{parts.port or 5432}/{parts.path.lstrip('/')}"
    return f"SQLite file {(parts.netloc + parts.path).split('?', 1)[0]}"


def connection_name(database_url: str) -> str:
    """One connection name per backend.

    Tortoise caches compiled SQL per connection name for the whole process, so a process that opens
    SQLite and later PostgreSQL (the test suite does) must not reuse one name for both.
    """
    return "postgres" if is_postgres(database_url) else "sqlite"


def connection_config(database_url: str, timeouts: Timeouts = SERVING) -> dict[str, Any]:
    """Tortoise's connection settings for the URL, with our timeouts.

    On PostgreSQL the password is handed to asyncpg as a function, not a string: Tortoise logs its
    configuration at DEBUG with the first third of every string password left readable.
    """
    expanded = expand_db_url(database_url)
    credentials: dict[str, Any] = expanded["credentials"]
    if not is_postgres(database_url):
        # first, so that it applies to the PRAGMAs after it (journal_mode=WAL takes the lock too)
        credentials = {"busy_timeout": round(timeouts.busy * 1000)} | credentials
        return {"engine": expanded["engine"], "credentials": credentials}
    password = credentials.pop("password", None)
    if password is not None:
        credentials["password"] = _Password(password)
    settings = dict(credentials.pop("server_settings", None) or {})
    settings |= {"statement_timeout": _milliseconds(timeouts.statement), "lock_timeout": _milliseconds(timeouts.lock),
                 "idle_in_transaction_session_timeout": _milliseconds(timeouts.idle_in_transaction)}
    credentials |= {"timeout": timeouts.connect, "command_timeout": timeouts.command or None,
                    "server_settings": settings}
    credentials.setdefault("maxsize", POOL_SIZE)
    return {"engine": expanded["engine"], "credentials": credentials}


class _Password:
    """The database password as asyncpg's password callable: the string itself never sits in a logged dict."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def __call__(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<password>"


def _milliseconds(seconds: float) -> str:
    return str(round(seconds * 1000))


def tortoise_config(database_url: str, timeouts: Timeouts = SERVING) -> dict[str, Any]:
    """The Tortoise configuration for our single app, with its migrations package."""
    name = connection_name(database_url)
    return {
        "connections": {name: connection_config(database_url, timeouts)},
        "apps": {
            APP_LABEL: {
                "models": list(MODEL_MODULES),
                "default_connection": name,
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _ensure_sqlite_directory(database_url: str) -> None:
    """SQLite creates the file but not its folder; make ``./data/`` on first use."""
    parts = urlsplit(database_url)
    if parts.scheme != "sqlite":
        return
    path = (parts.netloc + parts.path).split("?", 1)[0]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


class Database:
    """Owns the Tortoise context of one process: open once, close once.

    The context is registered as Tortoise's global fallback so that every task of the process
    (aiohttp handlers, background loops) sees the same connections, whichever task opened them.
    """

    def __init__(self, database_url: str, timeouts: Timeouts = SERVING) -> None:
        self.url = database_url
        self.timeouts = timeouts
        self._context: TortoiseContext | None = None

    @property
    def is_postgres(self) -> bool:
        """Whether row locks and advisory locks are available."""
        return is_postgres(self.url)

    async def open(self) -> None:
        """Connect (lazily, on first query) and load the models."""
        _ensure_sqlite_directory(self.url)
        config = tortoise_config(self.url, self.timeouts)
        self._context = await Tortoise.init(config=config, _enable_global_fallback=True)

    async def close(self) -> None:
        """Close every connection; safe to call twice."""
        if self._context is not None:
            await self._context.close_connections()
            self._context = None

    @property
    def table_names(self) -> list[str]:
        """Tables of our models (not tortoise's migration records)."""
        if self._context is None or self._context.apps is None:
            raise RuntimeError("database is not open")
        return [model._meta.db_table for model in self._context.apps.get_models_iterable()]

    def connection(self) -> BaseDBAsyncClient:
        """The default connection, for raw SQL such as locks."""
        if self._context is None:
            raise RuntimeError("database is not open")
        return self._context.db()

    def _executor(self) -> MigrationExecutor:
        return MigrationExecutor(self.connection(), tortoise_config(self.url, self.timeouts)["apps"])

    async def pending_migrations(self) -> list[str]:
        """Names of the migrations not yet applied, in order; raises when the database cannot be reached.

        Tortoise reads the applied migrations swallowing every error (a new database has no table of them), so
        that an unreachable database would look unmigrated: one query first lets an outage raise as itself.
        """
        await self.connection().execute_query("SELECT 1")
        return [step.migration.name for step in await self._executor().plan() if not step.backward]

    async def migrate(self) -> list[str]:
        """Apply every migration not yet applied; return the names applied."""
        pending = await self.pending_migrations()
        await self._executor().migrate()
        return pending

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


# --- outages ----------------------------------------------------------------------------------------------------

OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # class 08: the connection failed or was lost
    asyncpg.CannotConnectNowError,  # the server is starting up or shutting down
    asyncpg.OperatorInterventionError,  # class 57: shut down, or a statement cancelled (statement_timeout)
    asyncpg.InsufficientResourcesError,  # class 53: too many connections, disk full, out of memory
    asyncpg.LockNotAvailableError,  # lock_timeout: another transaction holds the lock (busy)
    DBConnectionError,  # Tortoise could not connect
    ConnectionError,
    TimeoutError,  # asyncpg's connect timeout and command_timeout, asyncio's timeouts
    socket.gaierror,  # the database host's name does not resolve
)
SQLITE_OUTAGES = ("database is locked", "database table is locked", "database schema is locked", "busy",
                  "unable to open database file", "disk i/o error", "database or disk is full")
NETWORK_ERRNOS = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN, errno.EADDRNOTAVAIL,
                            errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.ETIMEDOUT, errno.EPIPE})


def is_outage(error: BaseException) -> bool:
    """Whether the database could not be reached or was busy, so that the same work may succeed later.

    Walks ``error`` and what caused it (``__cause__``, and ``__context__`` unless the raiser suppressed it).
    True for connection-level failures: the server unreachable, a connection lost or timed out, the server
    shutting down or refusing connections, a statement cancelled by ``statement_timeout``, a lock not granted
    within ``lock_timeout``, and on SQLite a file that is locked, busy or cannot be opened or read. False for
    errors that are the statement's own fault (a syntax error, a constraint, a ``RAISE`` from a trigger) and for
    any other error, a bug included.
    """
    return any(_is_outage_itself(link) for link in _chain(error))


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)


def _is_outage_itself(error: BaseException) -> bool:
    if isinstance(error, asyncpg.InterfaceError):  # "connection is closed", "pool is closing", …
        return not isinstance(error, asyncpg.ClientConfigurationError)
    if isinstance(error, OUTAGE_ERRORS):
        return True
    if isinstance(error, sqlite3.OperationalError):
        message = str(error).lower()
        return any(phrase in message for phrase in SQLITE_OUTAGES)
    if isinstance(error, OSError):  # a network error, not a file's (nor a picture that does not open)
        return error.errno in NETWORK_ERRNOS or str(error).startswith(("Multiple exceptions", "Connect call failed"))
    return False


# For tortoise's own CLI (``tortoise makemigrations``): models and migrations only, no real database.
MIGRATIONS_CONFIG = tortoise_config("sqlite://:memory:")
