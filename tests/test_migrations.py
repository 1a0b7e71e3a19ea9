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


async def test_every_unique_rule_of_the_models_is_in_the_database(database: Database) -> None:
    """A table rebuilt by a migration (SQLite alters a column so) keeps its ``unique_together`` and unique
    columns: each is a unique index of the table, whatever the index is called."""
    assert Tortoise.apps is not None
    connection = database.connection()
    for model in Tortoise.apps["models"].values():
        meta = model._meta
        fields = meta.fields_map
        rules = [tuple(fields[name].source_field or name for name in rule) for rule in meta.unique_together]
        rules = [tuple(f"{name}_id" if name in meta.fk_fields else name for name in rule) for rule in rules]
        rules += [(field.source_field or name,) for name, field in fields.items()
                  if field.unique and not field.pk and name in meta.db_fields]
        present = await _unique_column_sets(connection, meta.db_table, database.is_postgres)
        for rule in rules:
            assert frozenset(rule) in present, f"{meta.db_table}: nothing keeps {rule} unique ({present})"


async def _unique_column_sets(connection: object, table: str, postgres: bool) -> set[frozenset[str]]:
    run = connection.execute_query  # type: ignore[attr-defined]
    if postgres:
        _, rows = await run(
            "SELECT array_agg(a.attname::text) AS columns FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = t.oid "
            "AND a.attnum = ANY(i.indkey) WHERE t.relname = $1 AND i.indisunique "
            "AND t.relnamespace = current_schema()::regnamespace GROUP BY i.indexrelid", [table])
        return {frozenset(row["columns"]) for row in rows}
    _, indexes = await run(f'PRAGMA index_list("{table}")')
    found: set[frozenset[str]] = set()
    for index in indexes:
        if index["unique"]:
            _, columns = await run(f'PRAGMA index_info("{index["name"]}")')
            found.add(frozenset(column["name"] for column in columns))
    return found
