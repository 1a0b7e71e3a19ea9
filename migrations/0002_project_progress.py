from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Project',
            name='sections_done',
            field=fields.SmallIntField(default=0),
        ),
        ops.AddField(
            model_name='Project',
            name='sections_total',
            field=fields.SmallIntField(default=0),
        ),
    ]
