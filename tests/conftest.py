"""Shared fixtures: one migrated database per session, emptied before each test that asks for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.settings import Settings
from models.db import Database
from tests.support.database import choose_database_url, empty_tables, reset_schema


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The database of this run, migrated once with the real migrations."""
    return choose_database_url(Path(tmp_path_factory.mktemp("db")))


@pytest.fixture(scope="session")
async def migrated_database_url(database_url: str) -> str:
    """Apply the committed migrations once per session, from an empty schema."""
    database = Database(database_url)
    await database.open()
    try:
        await reset_schema(database)
        await database.migrate()
    finally:
        await database.close()
    return database_url


@pytest.fixture
async def empty_database_url(migrated_database_url: str) -> str:
    """The migrated database with every table emptied, closed again for the code under test to open."""
    database = Database(migrated_database_url)
    await database.open()
    try:
        await empty_tables(database)
    finally:
        await database.close()
    return migrated_database_url


@pytest.fixture
async def database(empty_database_url: str) -> AsyncIterator[Database]:
    """An open database with every table empty."""
    database = Database(empty_database_url)
    await database.open()
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def settings(empty_database_url: str) -> Settings:
    """Settings of a test service: the empty test database, no chat platform configured."""
    return Settings(database_url=empty_database_url, telegram_bot_token=None, line_channel_secret=None,
                    line_channel_access_token=None, telegram_webhook_url=None)
