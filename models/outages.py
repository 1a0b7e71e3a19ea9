"""Interim: whether a database error is an outage (to be replaced by models.db.is_outage)."""

from __future__ import annotations

from asyncpg.exceptions import InterfaceError, PostgresConnectionError
from tortoise.exceptions import DBConnectionError, OperationalError

OUTAGES = (OperationalError, DBConnectionError, PostgresConnectionError, InterfaceError, OSError, TimeoutError)


def is_outage(error: BaseException) -> bool:
    """Whether the error says the database could not be reached or was busy."""
    return isinstance(error, OUTAGES)
