from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

# Triggers mark an office and fiscal year whose tallies must be counted again, whatever made the change
# (see models/tallies.py). Only what the counts read marks: approved projects, their budget lines, and reports
# that are not drafts (a draft counts as not sent, like no report at all).
MARK = "INSERT INTO tally_mark (office_id, fiscal_year) "
SQLITE = [
    "CREATE TRIGGER tally_project_insert AFTER INSERT ON project WHEN NEW.status = 'approved' "
    f"BEGIN {MARK} VALUES (NEW.office_id, NEW.fiscal_year); END",
    "CREATE TRIGGER tally_project_update AFTER UPDATE ON project "
    "WHEN OLD.status = 'approved' OR NEW.status = 'approved' "
    f"BEGIN {MARK} VALUES (OLD.office_id, OLD.fiscal_year); {MARK} VALUES (NEW.office_id, NEW.fiscal_year); END",
    "CREATE TRIGGER tally_project_delete AFTER DELETE ON project WHEN OLD.status = 'approved' "
    f"BEGIN {MARK} VALUES (OLD.office_id, OLD.fiscal_year); END",
] + [
    f"CREATE TRIGGER tally_{table}_{event.lower()} AFTER {event} ON {table} {when} "
    f"BEGIN {MARK} SELECT office_id, fiscal_year FROM project WHERE id = {row}.project_id "
    f"AND status = 'approved'; {extra}END"
    for table, event, when, row, extra in [
        ("budget_line", "INSERT", "", "NEW", ""),
        ("budget_line", "DELETE", "", "OLD", ""),
        ("budget_line", "UPDATE", "", "NEW",
         f"{MARK} SELECT office_id, fiscal_year FROM project WHERE id = OLD.project_id AND status = 'approved'; "),
        ("quarter_report", "INSERT", "WHEN NEW.status <> 'draft'", "NEW", ""),
        ("quarter_report", "DELETE", "WHEN OLD.status <> 'draft'", "OLD", ""),
        ("quarter_report", "UPDATE", "WHEN OLD.status <> 'draft' OR NEW.status <> 'draft'", "NEW",
         f"{MARK} SELECT office_id, fiscal_year FROM project WHERE id = OLD.project_id AND status = 'approved'; "),
    ]
]
PROJECT_OF = "SELECT office_id, fiscal_year FROM project WHERE status = 'approved' AND id = "


def _postgres_function(name: str, old: str, new: str) -> str:
    """A trigger function that marks for the old row where ``old`` holds and for the new where ``new`` holds."""
    return (f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN IF {old} THEN {MARK} {{old}}; END IF; END IF; "
            f"IF TG_OP <> 'DELETE' THEN IF {new} THEN {MARK} {{new}}; END IF; END IF; "
            "RETURN NULL; END $$")


POSTGRES = [
    _postgres_function("tally_mark_project", "OLD.status = 'approved'", "NEW.status = 'approved'").format(
        old="VALUES (OLD.office_id, OLD.fiscal_year)", new="VALUES (NEW.office_id, NEW.fiscal_year)"),
    _postgres_function("tally_mark_budget_line", "TRUE", "TRUE").format(
        old=f"{PROJECT_OF}OLD.project_id", new=f"{PROJECT_OF}NEW.project_id"),
    _postgres_function("tally_mark_quarter_report", "OLD.status <> 'draft'", "NEW.status <> 'draft'").format(
        old=f"{PROJECT_OF}OLD.project_id", new=f"{PROJECT_OF}NEW.project_id"),
] + [
    f"CREATE TRIGGER tally_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION tally_mark_{table}()"
    for table in ("project", "budget_line", "quarter_report")
]
EXISTING = f"{MARK} SELECT DISTINCT office_id, fiscal_year FROM project WHERE status = 'approved'"


async def create_triggers(apps: object, schema_editor: object) -> None:
    """The triggers in the database's own dialect, and a mark for every office with approved projects already."""
    client = schema_editor.client  # type: ignore[attr-defined]
    for statement in (POSTGRES if client.capabilities.dialect == "postgres" else SQLITE) + [EXISTING]:
        await client.execute_script(statement)

class Migration(migrations.Migration):
    dependencies = [('models', '0007_monitoring_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='QuarterTally',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('office', fields.ForeignKeyField('models.Office', source_field='office_id', db_constraint=True, to_field='id', related_name='tallies', on_delete=OnDelete.CASCADE)),
                ('fiscal_year', fields.IntField()),
                ('quarter', fields.SmallIntField()),
                ('projects', fields.IntField(default=0)),
                ('on_time', fields.IntField(default=0)),
                ('late', fields.IntField(default=0)),
                ('waiting', fields.IntField(default=0)),
                ('approved', fields.IntField(default=0)),
                ('returned', fields.IntField(default=0)),
                ('planned', fields.DecimalField(default=0, max_digits=18, decimal_places=2)),
                ('disbursed', fields.DecimalField(default=0, max_digits=18, decimal_places=2)),
            ],
            options={'table': 'quarter_tally', 'app': 'models', 'unique_together': (('office', 'fiscal_year', 'quarter'),), 'indexes': [Index(fields=['fiscal_year', 'quarter'])], 'pk_attr': 'id', 'table_description': "One office's approved projects in one fiscal quarter and where their reports stand."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TallyMark',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('office_id', fields.IntField()),
                ('fiscal_year', fields.IntField()),
            ],
            options={'table': 'tally_mark', 'app': 'models', 'indexes': [Index(fields=['fiscal_year'])], 'pk_attr': 'id', 'table_description': 'An office and fiscal year whose tallies must be counted again (written by database triggers only).'},
            bases=['Model'],
        ),
        ops.AddIndex(
            model_name='Project',
            index=Index(fields=['office_id', 'fiscal_year', 'status']),
        ),
        ops.RunPython(create_triggers),
    ]
