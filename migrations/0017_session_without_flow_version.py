from tortoise import migrations

from models.migration_ops import RemoveColumnInPlace

# A session names its step by key (issue 16): the flow version it was saved under is no longer kept. SQLite's way
# of removing a field rebuilds the table, and the rebuilt conversation_session would lose its one-session-per-chat
# unique index; both databases drop the column where it is (SQLite 3.35 and later).


class Migration(migrations.Migration):
    dependencies = [('models', '0016_copied')]

    initial = False

    operations = [
        RemoveColumnInPlace(model_name='ConversationSession', name='flow_version'),
    ]
