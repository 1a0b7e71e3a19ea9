"""Interim: whether a database error is an outage (to be replaced by models.db.is_outage)."""

from __future__ import annotations

import sqlite3

from asyncpg.exceptions import InterfaceError, PostgresConnectionError
from tortoise.exceptions import DBConnectionError

CONNECTION = (DBConnectionError, PostgresConnectionError, InterfaceError, OSError, TimeoutError)
SQLITE_AWAY = ("locked", "busy", "unable to open", "disk i/o")


def is_outage(error: BaseException) -> bool:
    """Whether the error (or what caused it) says the database could not be reached or was busy."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, CONNECTION):
            return True
        if isinstance(current, sqlite3.OperationalError) and any(word in str(current).lower()
                                                                 for word in SQLITE_AWAY):
            return True
        current = current.__cause__ or current.__context__
    return False
