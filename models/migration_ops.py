"""Migration operations that change a column where it is, for the migrations that need them.

SQLite's way of adding or removing a field going back (and of removing one going forward) rebuilds the whole
table, which loses the unique indexes a migration created by hand and fails where triggers or other tables
refer to it (the counts kept up to date name project, report and budget_line). Both databases can add and drop
a column in place (SQLite since 3.35), so these operations do that.
"""

from __future__ import annotations

from typing import Any

from tortoise.migrations import operations as ops


async def _drop_column(state: Any, app_label: str, model_name: str, name: str, state_editor: Any) -> None:
    meta = state.apps.get_model(f"{app_label}.{model_name}")._meta
    source = getattr(meta.fields_map[name], "source_field", None) or name  # a foreign key's column: ``…_id``
    column = meta.fields_db_projection.get(source, source)
    await state_editor.client.execute_script(f'ALTER TABLE "{meta.db_table}" DROP COLUMN "{column}"')


class AddColumnDroppedInPlace(ops.AddField):
    """Add a column as usual; going back, drop it with ALTER TABLE instead of rebuilding the table."""

    async def database_backward(self, app_label: str, old_state: Any, new_state: Any,
                                state_editor: Any = None) -> None:
        if state_editor is not None:
            await _drop_column(old_state, app_label, self.model_name, self.name, state_editor)


class RemoveColumnInPlace(ops.RemoveField):
    """Drop a column with ALTER TABLE instead of rebuilding the table; going back, add it as usual."""

    async def database_forward(self, app_label: str, old_state: Any, new_state: Any,
                               state_editor: Any = None) -> None:
        if state_editor is not None:
            await _drop_column(old_state, app_label, self.model_name, self.name, state_editor)


class AddColumnWithDefault(AddColumnDroppedInPlace):
    """Add a NOT NULL column to a table that already holds rows, with ``sql_default`` (an SQL literal) in the
    database for the rows there: the ORM's default lives in Python, and neither database adds a NOT NULL column
    without a default to a table with rows. Going back, the column is dropped in place."""

    def __init__(self, model_name: str, name: str, field: Any, *, sql_default: str) -> None:
        super().__init__(model_name, name, field)
        self.sql_default = sql_default

    async def database_forward(self, app_label: str, old_state: Any, new_state: Any,
                               state_editor: Any = None) -> None:
        if state_editor is None:
            return
        meta = new_state.apps.get_model(f"{app_label}.{self.model_name}")._meta
        dialect = state_editor.client.capabilities.dialect
        sql_type = meta.fields_map[self.name].get_for_dialect(dialect, "SQL_TYPE")
        column = meta.fields_db_projection[self.name]
        await state_editor.client.execute_script(
            f'ALTER TABLE "{meta.db_table}" ADD COLUMN "{column}" {sql_type} NOT NULL DEFAULT {self.sql_default}')


class DescribeOnly(ops.AlterField):
    """A change of a field's description alone (an enum's new value): nothing to do in the database, where
    SQLite would otherwise rebuild the table and lose its unique rules."""

    async def database_forward(self, app_label: str, old_state: Any, new_state: Any,
                               state_editor: Any = None) -> None:
        return None

    async def database_backward(self, app_label: str, old_state: Any, new_state: Any,
                                state_editor: Any = None) -> None:
        return None
