from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0012_telegram')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='KpiValue',
            name='value',
            field=fields.DecimalField(null=True, description='empty: not measured yet (never counted as 0)', max_digits=18, decimal_places=2),
        ),
        ops.AddField(
            model_name='User',
            name='profile_asks',
            field=fields.JSONField(null=True, description='own details still to ask (name, phone, email): joined by a role invite, else empty', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
    ]
