"""A turn's answers written by statements written out once per process, not built by the ORM each time.

A turn that saves a report updates its columns and, for a list (a KPI's value, an activity's progress), the rows
of its items: ``Model.save`` and ``create`` built the statement, a model and the values anew for each (a third of
the effects' CPU), and a list's rows were read first to tell an update from an insert. Here the report's UPDATE
converts each value by its column's own field, exactly as ``save`` does (the version column set to now on the
instance too), and a known item's row is written by one INSERT … ON CONFLICT on the row's unique key, which updates
only a row whose values differ — what reading the rows and then creating or updating each one did, in one
statement. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.models import Model

from models.sql import is_postgres, marks


@functools.cache
def _update_sql(model: type[Model], names: tuple[str, ...], postgres: bool) -> str:
    projection = model._meta.fields_db_projection
    numbered = marks(postgres, len(names) + 1)
    sets = ", ".join(f'"{projection[name]}" = {mark}' for name, mark in zip(names, numbered, strict=False))
    return f'UPDATE "{model._meta.db_table}" SET {sets} WHERE "{model._meta.db_pk_column}" = {numbered[-1]}'


async def update_columns(record: Model, names: Sequence[str]) -> None:
    """``record.save(update_fields=names)`` in the transaction the ORM uses in this task: each value converted by
    its field with the instance (an ``auto_now`` column takes now, on the instance too)."""
    model = type(record)
    connection = model._meta.db
    fields = model._meta.fields_map
    values = [fields[name].to_db_value(getattr(record, name), record) for name in names]
    values.append(model._meta.pk.to_db_value(record.pk, record))
    await connection.execute_query(_update_sql(model, tuple(names), is_postgres(connection)), values)


def unique_key(model: type[Model], columns: Sequence[str]) -> bool:
    """Whether ``columns`` (source columns such as ``report_id``) are one of the model's unique keys, so that a
    row of theirs can be written by an upsert."""
    fields = model._meta.fields_map
    wanted = set(columns)
    return any({getattr(fields[name], "source_field", None) or name for name in together} == wanted
               for together in model._meta.unique_together)


@functools.cache
def _upsert_sql(model: type[Model], key: tuple[str, ...], columns: tuple[str, ...], rows: int,
                postgres: bool) -> str:
    table = model._meta.db_table
    projection = model._meta.fields_db_projection
    names = [f'"{projection[column]}"' for column in columns]
    conflict = ", ".join(f'"{projection[column]}"' for column in key)
    tuples = ", ".join(f"({', '.join(marks(postgres, len(columns), row * len(columns) + 1))})" for row in range(rows))
    changed = [f'"{projection[column]}"' for column in columns if column not in key]
    distinct = "IS DISTINCT FROM" if postgres else "IS NOT"
    sets = ", ".join(f"{name} = excluded.{name}" for name in changed)
    differ = " OR ".join(f'"{table}".{name} {distinct} excluded.{name}' for name in changed)
    update = f"DO UPDATE SET {sets} WHERE {differ}" if changed else "DO NOTHING"
    return (f'INSERT INTO "{table}" ({", ".join(names)}) VALUES {tuples} '
            f'ON CONFLICT ({conflict}) {update} RETURNING "{model._meta.db_pk_column}"')


async def upsert_rows(model: type[Model], key: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> int:
    """Write each row (columns by their field's name, the unique ``key`` among them): inserted when its key is new,
    else updated where a value differs; values converted by the columns' fields as a model stores them. The
    number of rows written (a row already as given is not).

    Every row names every column the table needs: nothing is filled in as ``Model.create`` fills an ``auto_now``
    column or a default (the KPI value and activity progress rows it writes have none). Of rows with the same key
    the last is written, as saving them one after another did (PostgreSQL refuses one statement that would
    update a row twice)."""
    connection = model._meta.db
    fields = model._meta.fields_map
    last = {tuple(row[column] for column in key): row for row in rows}
    by_columns: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in last.values():
        by_columns.setdefault(tuple(row), []).append(row)
    written = 0
    for columns, same in by_columns.items():
        values = [fields[column].to_db_value(fields[column].to_python_value(row[column]), model)
                  for row in same for column in columns]
        # the rows written come back (asyncpg's INSERT status would not count the updated ones)
        written += len(await connection.execute_query_dict(
            _upsert_sql(model, tuple(key), columns, len(same), is_postgres(connection)), values))
    return written


@functools.cache
def _insert_sql(model: type[Model], names: tuple[str, ...], key: tuple[str, ...], postgres: bool) -> str:
    projection = model._meta.fields_db_projection
    columns = ", ".join(f'"{projection[name]}"' for name in names)
    conflict = ", ".join(f'"{projection[name]}"' for name in key)
    return (f'INSERT INTO "{model._meta.db_table}" ({columns}) VALUES ({", ".join(marks(postgres, len(names)))}) '
            f'ON CONFLICT ({conflict}) DO NOTHING RETURNING "{model._meta.db_pk_column}"')


async def insert_unless_present(record: Model, key: Sequence[str]) -> bool:
    """``record.save()`` of a new row, unless a row with the same unique ``key`` (source columns) is there: one
    INSERT … ON CONFLICT DO NOTHING, in the transaction the ORM uses in this task, with no read first and no
    savepoint. Each value converted by its field as ``create`` converts it (``auto_now`` columns take now, on the
    instance too). True when inserted: the instance then has its id and counts as saved. A row another process
    is inserting meanwhile is waited for, on PostgreSQL, and then not inserted again."""
    model = type(record)
    meta = model._meta
    names = tuple(name for name in meta.fields_db_projection if not meta.fields_map[name].generated)
    values = [meta.fields_map[name].to_db_value(getattr(record, name), record) for name in names]
    connection = meta.db
    inserted = await connection.execute_query_dict(
        _insert_sql(model, names, tuple(key), is_postgres(connection)), values)
    if not inserted:
        return False
    record.pk = inserted[0][meta.db_pk_column]
    record._saved_in_db = True
    return True


@functools.cache
def _guarded_sql(model: type[Model], names: tuple[str, ...], guard: str, allowed: int, postgres: bool) -> str:
    projection = model._meta.fields_db_projection
    numbered = marks(postgres, len(names) + 1 + allowed)
    sets = ", ".join(f'"{projection[name]}" = {mark}' for name, mark in zip(names, numbered, strict=False))
    among = ", ".join(numbered[len(names) + 1:])
    return (f'UPDATE "{model._meta.db_table}" SET {sets} WHERE "{model._meta.db_pk_column}" = {numbered[len(names)]} '
            f'AND "{projection[guard]}" IN ({among}) RETURNING "{model._meta.db_pk_column}"')


async def update_where_among(model: type[Model], pk: Any, values: Mapping[str, Any], guard: str,
                             allowed: Sequence[Any]) -> bool:
    """``model.filter(pk=pk, <guard>__in=allowed).update(**values)`` with the statement written out once: each
    value converted by its field as that ``update`` converts it (no instance: an ``auto_now`` column takes the value
    given). True when the row was updated (it still had one of the ``allowed`` values)."""
    fields = model._meta.fields_map
    names = tuple(values)
    converted = [fields[name].to_db_value(values[name], None) for name in names]  # type: ignore[arg-type]
    converted.append(model._meta.pk.to_db_value(pk, None))  # type: ignore[arg-type]
    converted += [fields[guard].to_db_value(value, None) for value in allowed]  # type: ignore[arg-type]
    connection = model._meta.db
    updated = await connection.execute_query_dict(
        _guarded_sql(model, names, guard, len(allowed), is_postgres(connection)), converted)
    return bool(updated)
