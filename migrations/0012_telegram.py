from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0011_inbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LiveQuestion',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('chat_id', fields.BigIntField(unique=True)),
                ('message_id', fields.BigIntField()),
                ('text', fields.TextField(description="the message's text as sent, to append what retired it", unique=False)),
                ('prompt', fields.CharField(default='', description='the question its buttons answer', max_length=16)),
            ],
            options={'table': 'telegram_live_question', 'app': 'models', 'pk_attr': 'id', 'table_description': "The Telegram message that carries the buttons of a chat's question on screen."},
            bases=['Model'],
        ),
    ]
