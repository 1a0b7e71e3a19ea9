"""The SQL statements tortoise runs, as it logs them (every statement at DEBUG): for tests that pin what a turn
costs the database."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from models.runtime import LiveQuestion
from models.sql import is_postgres

WRITES = ("INSERT", "UPDATE", "DELETE", "WITH")


class Statements(logging.Handler):
    """The SQL tortoise logs (it logs every statement at DEBUG)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sql: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.sql.append(record.getMessage())

    def verbs(self) -> list[str]:
        """The first word of every statement, in order."""
        return [sql.split(None, 1)[0].upper() for sql in self.sql]

    def touching(self, table: str) -> list[str]:
        """The statements naming ``table``, by verb; the turn's opening SELECT (of the chat account) as OPEN."""
        return ["OPEN" if "FROM chat_account a " in sql else sql.split(None, 1)[0].upper() for sql in self.sql
                if f'"{table}"' in sql or f" {table} " in sql]

@contextmanager
def statements() -> Iterator[Statements]:
    """Collect the statements run inside the ``with`` block."""
    logger = logging.getLogger("tortoise.db_client")
    handler, level = Statements(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@asynccontextmanager
async def sqlite_commits() -> AsyncIterator[list[list[str]]]:
    """On SQLite, the writes made inside the ``async with`` block, grouped by the commit that made them durable (one
    fsync each): a write outside BEGIN … COMMIT commits by itself. SQLite traces what it runs, BEGIN and COMMIT
    included; tortoise logs neither. Empty on PostgreSQL."""
    connection: Any = LiveQuestion._meta.db
    groups: list[list[str]] = []
    if is_postgres(connection):  # nothing traced there: the caller counts statements
        yield groups
        return
    traced: list[str] = []
    await connection._connection.set_trace_callback(traced.append)
    try:
        yield groups
    finally:
        await connection._connection.set_trace_callback(None)
        current: list[str] | None = None
        for sql in traced:
            verb = sql.split(None, 1)[0].upper()
            if verb == "BEGIN":
                current = []
            elif verb == "COMMIT" and current is not None:
                groups.append(current)
                current = None
            elif verb in WRITES:
                if current is None:
                    groups.append([sql])
                else:
                    current.append(sql)
