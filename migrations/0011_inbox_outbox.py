from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import InboxStatus, Platform
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_project_code_counters')]

    initial = False

    operations = [
        ops.CreateModel(
            name='InboxEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharEnumField(description='TELEGRAM: telegram\nLINE: line\nCONSOLE: console', enum_type=Platform, max_length=16)),
                ('chat_ref', fields.CharField(description="the platform's id of the person who wrote", max_length=128)),
                ('event_id', fields.CharField(description='Telegram update_id, LINE webhookEventId', max_length=128)),
                ('payload', fields.TextField(description='the event as the platform sent it: JSON, non-ASCII escaped', unique=False)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(default=InboxStatus.PENDING, description='PENDING: pending\nREPLYING: replying\nDONE: done\nSET_ASIDE: set_aside', enum_type=InboxStatus, max_length=16)),
                ('available_at', fields.DatetimeField(description='not to be tried before (a backoff after a failure)', auto_now=False, auto_now_add=False)),
                ('claimed_by', fields.CharField(default='', description='the claim of the process working on it', max_length=64)),
                ('claimed_until', fields.DatetimeField(null=True, description='when a claim not renewed lapses', auto_now=False, auto_now_add=False)),
                ('claims', fields.IntField(default=0, description='times claimed: a process that died on it counts too')),
                ('failures', fields.IntField(default=0, description='turns that failed with an error that is not an outage')),
                ('delivery_failures', fields.IntField(default=0)),
                ('set_aside', fields.BooleanField(default=False, description='its turn kept failing: only an apology is sent')),
                ('handled_at', fields.DatetimeField(null=True, description='when its turn was stored', auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'inbox_event', 'app': 'models', 'unique_together': (('platform', 'event_id'),), 'indexes': [Index(fields=['status', 'platform', 'chat_ref'])], 'pk_attr': 'id', 'table_description': 'One event a platform delivered, from the moment it is stored until its replies went out.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxReply',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('inbox', fields.OneToOneField('models.InboxEvent', source_field='inbox_id', db_constraint=True, to_field='id', related_name='outbox', on_delete=OnDelete.CASCADE)),
                ('replies', fields.TextField(description="the turn's replies (conversations/reply_codec.py)", unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_reply', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The replies of one stored turn, as neutral messages in JSON, until they were sent.'},
            bases=['Model'],
        ),
        ops.DeleteModel(name='ProcessedEvent'),
    ]
