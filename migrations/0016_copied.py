from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

from models.migration_ops import AddColumnDroppedInPlace, AddColumnWithDefault

# The JSON columns get a default in the database for the rows already there; going back drops the columns in place
# (SQLite's rebuild of project fails on the triggers of the kept counts).

class Migration(migrations.Migration):
    dependencies = [('models', '0015_import_keys')]

    initial = False

    operations = [
        AddColumnDroppedInPlace(
            model_name='Project',
            name='copied_from',
            field=fields.ForeignKeyField('models.Project', source_field='copied_from_id', null=True, db_constraint=False, to_field='id', related_name='copies', on_delete=OnDelete.SET_NULL),
        ),
        AddColumnWithDefault(
            model_name='Project',
            name='copy_review',
            field=fields.JSONField(default=dict, description="a copy's marks: sections not yet opened, plan links dropped (names)", encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
            sql_default="'{}'",
        ),
    ]
