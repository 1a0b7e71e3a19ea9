from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.enums import ReminderKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_project_progress')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('recipient', fields.ForeignKeyField('models.User', source_field='recipient_id', db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='WINDOW_OPENED: window_opened\nDUE_SOON: due_soon\nOVERDUE: overdue\nDIRECTOR_DIGEST: director_digest\nSUBMITTED: submitted\nDECIDED: decided\nADMIN_WEEKLY: admin_weekly', enum_type=ReminderKind, max_length=32)),
                ('key', fields.CharField(description='copy key of the message', max_length=64)),
                ('params', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('project_id', fields.IntField(null=True)),
                ('report_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('shown_at', fields.DatetimeField(null=True, description='shown in a turn of the recipient', auto_now=False, auto_now_add=False)),
                ('pushed_at', fields.DatetimeField(null=True, description='pushed to a chat channel', auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notification', 'app': 'models', 'indexes': [Index(fields=['recipient_id', 'shown_at'])], 'pk_attr': 'id', 'table_description': 'A message for one person about something another did (a submission, a decision): an outbox row.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReportAttachment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('report', fields.ForeignKeyField('models.QuarterReport', source_field='report_id', db_constraint=True, to_field='id', related_name='attachments', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(description='image or document', max_length=16)),
                ('filename', fields.CharField(max_length=255)),
                ('mime_type', fields.CharField(default='application/octet-stream', max_length=128)),
                ('size', fields.IntField()),
                ('content', fields.BinaryField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'report_attachment', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Evidence sent with a report: a photo or a document, kept in the database with the report.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='QuarterReport',
            name='skipped',
            field=fields.JSONField(default=list, description='optional steps passed without an answer', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='ReportingWindow',
            name='locks_on',
            field=fields.DateField(null=True, description='last day late reports are taken, empty: the default'),
        ),
    ]
