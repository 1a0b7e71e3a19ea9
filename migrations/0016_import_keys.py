from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0013_values')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ImportKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('office', fields.ForeignKeyField('models.Office', source_field='office_id', db_constraint=True, to_field='id', related_name='import_keys', on_delete=OnDelete.CASCADE)),
                ('fiscal_year', fields.IntField()),
                ('key', fields.CharField(description="the row id of the workbook's projects sheet", max_length=100)),
                ('project', fields.ForeignKeyField('models.Project', source_field='project_id', db_constraint=True, to_field='id', related_name='import_keys', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'import_key', 'app': 'models', 'unique_together': (('office_id', 'fiscal_year', 'key'),), 'pk_attr': 'id', 'table_description': "An imported project row's id (the workbook's own, or last year's code) for one office and fiscal year."},
            bases=['Model'],
        ),
    ]
