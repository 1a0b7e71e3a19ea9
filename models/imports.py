"""Which draft an imported row became: a re-import of the same workbook updates that draft, never a second one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.org import Office
    from models.project import Project


class ImportKey(Model):
    """An imported project row's id (the workbook's own, or last year's code) for one office and fiscal year."""

    id = fields.IntField(primary_key=True)
    office: fields.ForeignKeyRelation[Office] = fields.ForeignKeyField(
        "models.Office", related_name="import_keys", on_delete=fields.CASCADE
    )
    office_id: int
    fiscal_year = fields.IntField()
    key = fields.CharField(max_length=100, description="the row id of the workbook's projects sheet")
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="import_keys", on_delete=fields.CASCADE
    )
    project_id: int

    class Meta:
        table = "import_key"
        unique_together = (("office_id", "fiscal_year", "key"),)
