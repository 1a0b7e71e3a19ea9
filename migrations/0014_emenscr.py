from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

from models.migration_ops import AddColumnDroppedInPlace, AddColumnWithDefault

# The JSON columns get a default in the database for the rows already there; going back drops the columns in place
# (SQLite's rebuild of project fails on the triggers of the kept counts).

class Migration(migrations.Migration):
    dependencies = [('models', '0013_values')]

    initial = False

    operations = [
        AddColumnWithDefault(
            model_name='Project',
            name='emenscr_keyed',
            field=fields.JSONField(default=list, description='steps of the eMENSCR pack keyed in there', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
            sql_default="'[]'",
        ),
        AddColumnDroppedInPlace(
            model_name='Project',
            name='emenscr_keyed_at',
            field=fields.DatetimeField(null=True, description='when the last step of the pack was keyed in', auto_now=False, auto_now_add=False),
        ),
        AddColumnWithDefault(
            model_name='QuarterReport',
            name='emenscr_keyed',
            field=fields.JSONField(default=list, description='steps of the eMENSCR pack keyed in there', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
            sql_default="'[]'",
        ),
        AddColumnDroppedInPlace(
            model_name='QuarterReport',
            name='emenscr_keyed_at',
            field=fields.DatetimeField(null=True, description='when the last step of the pack was keyed in', auto_now=False, auto_now_add=False),
        ),
    ]
