"""Audit entries written by one plain INSERT: a turn that changes answers writes them on every answer, and the
ORM's ``bulk_create`` built a model for each entry and the statement anew each time (about a tenth of the effects'
CPU). Values are converted by the columns' own fields, exactly as the ORM stores them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from models.runtime import AuditEntry
from models.sql import is_postgres, marks

_COLUMNS = ("actor_id", "at", "entity", "entity_id", "project_id", "field", "before", "after")


async def insert_entries(actor_id: int | None, at: datetime, entity: str, entity_id: int, project_id: int | None,
                         changes: Sequence[tuple[str, str, str]]) -> None:
    """One row per (field, before, after), in the transaction the ORM uses in this task."""
    if not changes:
        return
    connection = AuditEntry._meta.db
    column = AuditEntry._meta.fields_map["at"]
    stored_at = column.to_db_value(column.to_python_value(at), AuditEntry)  # as a model does: set, then stored
    postgres = is_postgres(connection)
    rows: list[str] = []
    values: list[Any] = []
    for field, before, after in changes:
        start = len(values)
        values += [actor_id, stored_at, entity, entity_id, project_id, field, before, after]
        rows.append(f"({', '.join(marks(postgres, len(_COLUMNS), start + 1))})")
    await connection.execute_query(
        f"INSERT INTO audit_entry ({', '.join(_COLUMNS)}) VALUES {', '.join(rows)}", values)
