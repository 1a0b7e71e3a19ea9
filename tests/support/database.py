"""Test databases: SQLite in a temporary file, or the PostgreSQL that DATABASE_URL names; one stopped at an older
migration, to test the next one on rows of its day."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from models.db import Database, is_postgres, tortoise_config


def choose_database_url(tmp_dir: Path) -> str:
    """The URL the suite runs against: ``$DATABASE_URL`` when it is PostgreSQL, else a fresh SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if url and is_postgres(url):
        name = urlsplit(url).path.lstrip("/")
        if "test" not in name:
            pytest.exit(f"refusing to run tests against PostgreSQL database {name!r}: its name must contain 'test'")
        return url
    return f"sqlite://{tmp_dir / 'tidtam-test.sqlite3'}"


async def reset_schema(database: Database) -> None:
    """Drop everything in a PostgreSQL test database so that migrations start from nothing."""
    if database.is_postgres:
        await database.connection().execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


async def empty_tables(database: Database) -> None:
    """Delete every row of our tables (fast between tests; the schema stays)."""
    tables = database.table_names
    if database.is_postgres:
        quoted = ", ".join(f'"{table}"' for table in tables)
        await database.connection().execute_script(f"TRUNCATE TABLE {quoted} RESTART IDENTITY CASCADE")
        return
    statements = ["PRAGMA foreign_keys = OFF"]
    statements += [f'DELETE FROM "{table}"' for table in tables]
    statements += ["DELETE FROM sqlite_sequence", "PRAGMA foreign_keys = ON"]
    await database.connection().execute_script(";\n".join(statements))


def latest_migration() -> str:
    """The name of the newest migration: where a test seeds with today's models before going back."""
    names = sorted(path.stem for path in (Path(__file__).resolve().parents[2] / "migrations").glob("[0-9]*.py"))
    return names[-1]


@asynccontextmanager
async def database_at(migration: str, database_url: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A database of its own (a fresh SQLite file, or a schema of the PostgreSQL test database) migrated up to
    ``migration``, dropped afterwards."""
    schema = f"at_{migration[:4]}"
    if not is_postgres(database_url):
        url = f"sqlite://{tmp_path / f'{schema}.sqlite3'}"
    else:
        async with Database(database_url) as main:
            await main.connection().execute_script(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        url = urlunsplit(urlsplit(database_url)._replace(query=f"schema={schema}"))
    try:
        async with Database(url) as database:
            executor = MigrationExecutor(database.connection(), tortoise_config(url)["apps"])
            await executor.migrate([MigrationTarget("models", migration)])
            yield database
    finally:
        if is_postgres(database_url):
            async with Database(database_url) as main:
                await main.connection().execute_script(f"DROP SCHEMA {schema} CASCADE")
