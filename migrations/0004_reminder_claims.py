from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import Platform
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_reporting')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ReminderDelivery',
            name='claim',
            field=fields.CharField(default='', db_index=True, description='the run that holds the claim', max_length=36),
        ),
        ops.AddField(
            model_name='ReminderDelivery',
            name='platform',
            field=fields.CharEnumField(null=True, description='the channel it went out on', enum_type=Platform, max_length=16),
        ),
        ops.AddField(
            model_name='ReminderDelivery',
            name='retry_at',
            field=fields.DatetimeField(null=True, description='when a claim not yet sent may be taken over', auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name='ReminderDelivery',
            index=Index(fields=['status', 'retry_at']),
        ),
    ]
