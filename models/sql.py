"""Statements written out by hand on the hot path (a turn's opening read, its writes, the inbox) name their
parameters the way the connection's driver wants them: ``?`` for SQLite, ``$1``, ``$2``… for PostgreSQL's asyncpg.
One place says how, so every such statement runs on both databases."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient


def is_postgres(connection: BaseDBAsyncClient) -> bool:
    """Whether the connection is PostgreSQL's (else SQLite's)."""
    return connection.capabilities.dialect == "postgres"


def marks(postgres: bool, count: int, first: int = 1) -> list[str]:
    """``count`` parameter marks, numbered from ``first`` on PostgreSQL (a statement's later parameters)."""
    return [f"${number}" for number in range(first, first + count)] if postgres else ["?"] * count


def placeholders(connection: BaseDBAsyncClient, count: int, first: int = 1) -> list[str]:
    """``count`` parameter marks for a statement on ``connection``."""
    return marks(is_postgres(connection), count, first)
