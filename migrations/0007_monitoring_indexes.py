from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_shared_files')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Activity',
            index=Index(fields=['project_id']),
        ),
        ops.AddIndex(
            model_name='BudgetLine',
            index=Index(fields=['project_id']),
        ),
        ops.AddIndex(
            model_name='Kpi',
            index=Index(fields=['project_id']),
        ),
        ops.AddIndex(
            model_name='ProjectPlanLink',
            index=Index(fields=['project_id']),
        ),
        ops.AddIndex(
            model_name='QuarterReport',
            index=Index(fields=['fiscal_year', 'quarter', 'status']),
        ),
    ]
