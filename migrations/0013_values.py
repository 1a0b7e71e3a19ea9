from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

# SQLite makes a column nullable by rebuilding the table, and the rebuilt kpi_value loses its one-value-per-KPI
# rule (``unique_together`` of 0001); PostgreSQL keeps its constraint.
ONE_VALUE_PER_KPI = 'CREATE UNIQUE INDEX IF NOT EXISTS "uid_kpi_value_report_kpi" ON "kpi_value" ("report_id", "kpi_id")'


async def keep_one_value_per_kpi(apps: object, schema_editor: object) -> None:
    client = schema_editor.client  # type: ignore[attr-defined]
    if client.capabilities.dialect == "sqlite":
        await client.execute_script(ONE_VALUE_PER_KPI)


async def forget_unmeasured(apps: object, schema_editor: object) -> None:
    """Going back, "not measured yet" has no place: those rows go before the column is NOT NULL again."""
    client = schema_editor.client  # type: ignore[attr-defined]
    await client.execute_script("DELETE FROM kpi_value WHERE value IS NULL")


class AddColumnDroppedInPlace(ops.AddField):
    """Going back drops the column where it is: SQLite's way of removing a field rebuilds the table, and
    dropping app_user for that fails while chat accounts, projects and reports refer to it."""

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):  # type: ignore[no-untyped-def]
        if state_editor is None:
            return
        table = old_state.apps.get_model(f"{app_label}.{self.model_name}")._meta.db_table
        await state_editor.client.execute_script(f'ALTER TABLE "{table}" DROP COLUMN "{self.name}"')


class Migration(migrations.Migration):
    dependencies = [('models', '0012_telegram')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='KpiValue',
            name='value',
            field=fields.DecimalField(null=True, description='empty: not measured yet (never counted as 0)', max_digits=18, decimal_places=2),
        ),
        ops.RunPython(keep_one_value_per_kpi, forget_unmeasured),
        AddColumnDroppedInPlace(
            model_name='User',
            name='profile_asks',
            field=fields.JSONField(null=True, description='own details still to ask (name, phone, email): joined by a role invite, else empty', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
    ]
