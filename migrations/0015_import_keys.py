from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from models.enums import ReminderKind
from models.migration_ops import DescribeOnly


# The annual action plan's imports: each project row's id per office and fiscal year, and the notice to the
# owners of the drafts made (a new kind of notification; the enum's values are only the column's description).

class Migration(migrations.Migration):
    dependencies = [('models', '0014_emenscr')]

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
        DescribeOnly(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='WINDOW_OPENED: window_opened\nDUE_SOON: due_soon\nOVERDUE: overdue\nDIRECTOR_DIGEST: director_digest\nSUBMITTED: submitted\nDECIDED: decided\nADMIN_WEEKLY: admin_weekly\nIMPORTED: imported', enum_type=ReminderKind, max_length=32),
        ),
        DescribeOnly(
            model_name='ReminderDelivery',
            name='kind',
            field=fields.CharEnumField(description='WINDOW_OPENED: window_opened\nDUE_SOON: due_soon\nOVERDUE: overdue\nDIRECTOR_DIGEST: director_digest\nSUBMITTED: submitted\nDECIDED: decided\nADMIN_WEEKLY: admin_weekly\nIMPORTED: imported', enum_type=ReminderKind, max_length=32),
        ),
    ]
