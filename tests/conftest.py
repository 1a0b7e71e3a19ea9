"""Shared fixtures: one migrated database per session, emptied before each test that asks for it; and the kinds
of test (``pure``, ``db``, ``process``, see tests/support/kinds.py), marked here and held to in ``pure``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from api.settings import Settings
from models.db import Database
from tests.support.database import choose_database_url, empty_tables, reset_schema
from tests.support.kinds import Kind, kinds_of, nothing_but_memory, process_signs


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test ``pure``, ``db`` and/or ``process``: from the fixtures it uses, the support it imports
    (servers, processes) and its own marks. A test marked ``pure`` by hand that asks for the database is refused."""
    signs: dict[str, bool] = {}
    for item in items:
        path = str(item.path)
        if path not in signs:
            signs[path] = process_signs(item.path)
        explicit = {Kind(mark.name) for mark in item.iter_markers() if mark.name in Kind.__members__.values()}
        for kind in sorted(kinds_of(getattr(item, "fixturenames", ()), explicit, starts_processes=signs[path])):
            item.add_marker(kind.value)


@pytest.fixture(autouse=True)
def _pure_tests_touch_nothing_but_memory(request: pytest.FixtureRequest) -> Iterator[None]:
    """A ``pure`` test that opens a database, a socket or a process fails, so ``pytest -m pure`` stays honest."""
    if request.node.get_closest_marker(Kind.PURE.value) is None:
        yield
        return
    with nothing_but_memory():
        yield


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
