from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import InboxStatus, Platform
from tortoise import fields
from tortoise.indexes import Index

# The event ids already processed stay remembered (as finished events) for as long as the inbox keeps its own, so that
# a platform's redelivery across the upgrade is still dropped as a duplicate.
KEEP_SEEN = ("INSERT INTO inbox_event (platform, chat_ref, event_id, payload, received_at, status, available_at, "
             "claimed_by, claims, failures, delivery_failures, set_aside, finished_at, last_error) "
             "SELECT platform, '', event_id, '{}', processed_at, 'done', processed_at, '', 0, 0, 0, FALSE, processed_at, '' "
             "FROM processed_event")


async def keep_seen_event_ids(apps: object, schema_editor: object) -> None:
    """Copy processed_event into the inbox as finished events, before that table goes."""
    await schema_editor.client.execute_script(KEEP_SEEN)  # type: ignore[attr-defined]


async def forget_seen_event_ids(apps: object, schema_editor: object) -> None:
    """Undoing: the ids go with the inbox table (the processed_event table comes back empty)."""


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
                ('claims', fields.IntField(default=0, description='claims taken over from a process that died on it')),
                ('failures', fields.IntField(default=0, description='turns that failed with an error that is not an outage')),
                ('delivery_failures', fields.IntField(default=0)),
                ('set_aside', fields.BooleanField(default=False, description='its turn kept failing: only an apology is sent')),
                ('replies', fields.TextField(null=True, description="the stored turn's replies until sent (reply_codec)", unique=False)),
                ('finished_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'inbox_event', 'app': 'models', 'unique_together': (('platform', 'event_id'),), 'indexes': [Index(fields=['status', 'platform', 'chat_ref'])], 'pk_attr': 'id', 'table_description': 'One event a platform delivered, from the moment it is stored until its replies went out.'},
            bases=['Model'],
        ),
        ops.RunPython(keep_seen_event_ids, forget_seen_event_ids),
        ops.DeleteModel(name='ProcessedEvent'),
    ]
