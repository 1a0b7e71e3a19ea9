"""A submission's notifications written by statements written out once: who directs an office, and a row for
each of them.

``report_submitted`` ran ``User.filter(…).values_list`` and ``Notification.bulk_create`` on every report sent,
the query builder writing both statements anew and ``bulk_create`` building a model for each row. Here the same
SELECT and INSERT are written once per database; each value is converted as a model converts it (set on the
instance by ``to_python_value``, stored by ``to_db_value``), every column named as ``bulk_create`` names them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from models.enums import Role
from models.org import User
from models.runtime import Notification
from models.sql import is_postgres, marks


@functools.cache
def _directors_sql(postgres: bool) -> str:
    office, role, active = marks(postgres, 3)
    return f'SELECT "id" FROM "app_user" WHERE "office_id" = {office} AND "role" = {role} AND "active" = {active}'


async def directors_of(office_id: int) -> list[int]:
    """The active directors of an office."""
    fields = User._meta.fields_map
    connection = User._meta.db
    rows = await connection.execute_query_dict(_directors_sql(is_postgres(connection)), [
        office_id, fields["role"].to_db_value(Role.DIRECTOR, User), fields["active"].to_db_value(True, User)])
    return [int(row["id"]) for row in rows]


def _columns() -> tuple[str, ...]:
    meta = Notification._meta
    return tuple(name for name in meta.fields_db_projection if not meta.fields_map[name].generated)


@functools.cache
def _insert_sql(rows: int, postgres: bool) -> str:
    names = _columns()
    projection = Notification._meta.fields_db_projection
    columns = ", ".join(f'"{projection[name]}"' for name in names)
    tuples = ", ".join(f"({', '.join(marks(postgres, len(names), row * len(names) + 1))})" for row in range(rows))
    return f'INSERT INTO "notification" ({columns}) VALUES {tuples}'


async def insert_notifications(recipient_ids: list[int], values: Mapping[str, Any]) -> None:
    """One notification per recipient, each with ``values`` (the other columns: unset ones take the field's
    default, as a new model has it); nothing when there is no recipient."""
    if not recipient_ids:
        return
    fields = Notification._meta.fields_map
    shared = {name: _default(name) for name in _columns()} | dict(values)
    stored: list[Any] = []
    for recipient in recipient_ids:
        row = shared | {"recipient_id": recipient}
        stored += [fields[name].to_db_value(fields[name].to_python_value(row[name]), Notification)
                   for name in _columns()]
    connection = Notification._meta.db
    await connection.execute_query(_insert_sql(len(recipient_ids), is_postgres(connection)), stored)


def _default(name: str) -> Any:
    default = Notification._meta.fields_map[name].default
    return default() if callable(default) else default
