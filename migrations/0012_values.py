from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0011_inbox')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='KpiValue',
            name='value',
            field=fields.DecimalField(null=True, description='empty: not measured yet (never counted as 0)', max_digits=18, decimal_places=2),
        ),
    ]
