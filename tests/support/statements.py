"""The SQL statements tortoise runs, as it logs them (every statement at DEBUG): for tests that pin what a turn
costs the database."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


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
