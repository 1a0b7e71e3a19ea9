from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

# Each office's counter for a fiscal year starts at the highest number among the codes its projects of that year
# already have (``CMI1-2570-007`` → 7), so that no code is handed out twice. Only codes of the form
# OFFICE-YEAR-DIGITS count; SQLite and PostgreSQL differ only in how "all digits" is written.
PREFIX = "o.code || '-' || CAST(p.fiscal_year AS TEXT) || '-'"
NUMBERED = (
    "SELECT p.office_id AS office_id, p.fiscal_year AS fiscal_year, "
    f"SUBSTR(p.code, LENGTH({PREFIX}) + 1) AS tail FROM project p JOIN office o ON o.id = p.office_id "
    f"WHERE SUBSTR(p.code, 1, LENGTH({PREFIX})) = {PREFIX}"
)
DIGITS = {"sqlite": "tail <> '' AND tail NOT GLOB '*[^0-9]*'", "postgres": "tail ~ '^[0-9]+$'"}
SEED = (
    "INSERT INTO project_code_counter (office_id, fiscal_year, last_number) "
    "SELECT office_id, fiscal_year, MAX(CAST(tail AS INTEGER)) FROM ({numbered}) AS numbered "
    "WHERE {digits} AND LENGTH(tail) <= 9 GROUP BY office_id, fiscal_year"
)


async def seed_counters(apps: object, schema_editor: object) -> None:
    """Start every office's counters after the codes its projects already have."""
    client = schema_editor.client  # type: ignore[attr-defined]
    dialect = "postgres" if client.capabilities.dialect == "postgres" else "sqlite"
    await client.execute_script(SEED.format(numbered=NUMBERED, digits=DIGITS[dialect]))


async def forget_counters(apps: object, schema_editor: object) -> None:
    """Nothing to undo: going back drops the table."""

class Migration(migrations.Migration):
    dependencies = [('models', '0009_shared_file_token_hash')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ProjectCodeCounter',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('office', fields.ForeignKeyField('models.Office', source_field='office_id', db_constraint=True, to_field='id', related_name='code_counters', on_delete=OnDelete.CASCADE)),
                ('fiscal_year', fields.IntField()),
                ('last_number', fields.IntField(default=0)),
            ],
            options={'table': 'project_code_counter', 'app': 'models', 'unique_together': (('office', 'fiscal_year'),), 'pk_attr': 'id', 'table_description': 'The last number given to a project code of one office in one fiscal year (it never goes down).'},
            bases=['Model'],
        ),
        ops.RunPython(seed_counters, forget_counters),
    ]
