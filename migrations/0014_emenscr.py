from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0013_values')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Project',
            name='emenscr_keyed',
            field=fields.JSONField(default=list, description='steps of the eMENSCR pack keyed in there', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Project',
            name='emenscr_keyed_at',
            field=fields.DatetimeField(null=True, description='when the last step of the pack was keyed in', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='QuarterReport',
            name='emenscr_keyed',
            field=fields.JSONField(default=list, description='steps of the eMENSCR pack keyed in there', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='QuarterReport',
            name='emenscr_keyed_at',
            field=fields.DatetimeField(null=True, description='when the last step of the pack was keyed in', auto_now=False, auto_now_add=False),
        ),
    ]
