from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_api_tokens')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SharedFile',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token', fields.CharField(unique=True, max_length=64)),
                ('filename', fields.CharField(max_length=255)),
                ('mime_type', fields.CharField(max_length=128)),
                ('content', fields.BinaryField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'shared_file', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A file the bot sent (an export, a chart), served at an unguessable link for platforms that fetch files'},
            bases=['Model'],
        ),
    ]
