"""The committed migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector

from models.db import Database, tortoise_config


async def test_models_and_migrations_agree(database: Database) -> None:
    """A model change without its migration fails here: run `tortoise makemigrations --name ...`."""
    assert Tortoise.apps is not None
    detector = MigrationAutodetector(Tortoise.apps, tortoise_config(database.url)["apps"])
    writers = await detector.changes()
    assert [writer.name for writer in writers] == []


async def test_migrating_again_applies_nothing(database: Database) -> None:
    assert await database.pending_migrations() == []
    assert await database.migrate() == []


async def test_every_model_table_exists(database: Database) -> None:
    for table in database.table_names:
        await database.connection().execute_query(f'SELECT COUNT(*) FROM "{table}"')  # raises if missing
    assert "project" in database.table_names and "conversation_session" in database.table_names
