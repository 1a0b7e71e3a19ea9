"""Quarterly performance (section M6): reports, their KPI values and activity progress, and the windows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.enums import ActivityState, ItemStatus

if TYPE_CHECKING:
    from models.org import Office, User
    from models.project import Activity, Kpi, Project


class QuarterReport(Model):
    """What one project achieved and spent in one fiscal quarter."""

    id = fields.IntField(primary_key=True)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="reports", on_delete=fields.CASCADE
    )
    project_id: int
    fiscal_year = fields.IntField()
    quarter = fields.SmallIntField()
    status = fields.CharEnumField(ItemStatus, max_length=16, default=ItemStatus.DRAFT)
    output_progress = fields.TextField(default="")
    outcome_progress = fields.TextField(default="")
    plan_contributions: Any = fields.JSONField(default=dict, description="plan node code -> contribution text")
    law_contribution = fields.TextField(default="")
    planned_amount = fields.DecimalField(max_digits=18, decimal_places=2, null=True)
    disbursed_amount = fields.DecimalField(max_digits=18, decimal_places=2, null=True)
    shortfall_reason = fields.TextField(default="")
    problems = fields.TextField(default="")
    skipped: Any = fields.JSONField(default=list, description="optional steps passed without an answer")
    late = fields.BooleanField(default=False)
    submitted_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="submitted_reports", null=True, on_delete=fields.SET_NULL
    )
    submitted_at = fields.DatetimeField(null=True)
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="decided_reports", null=True, on_delete=fields.SET_NULL
    )
    decided_at = fields.DatetimeField(null=True)
    decision_comment = fields.TextField(default="")
    emenscr_keyed: Any = fields.JSONField(default=list, description="steps of the eMENSCR pack keyed in there")
    emenscr_keyed_at = fields.DatetimeField(null=True, description="when the last step of the pack was keyed in")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    kpi_values: fields.ReverseRelation[KpiValue]
    activity_progress: fields.ReverseRelation[ActivityProgress]
    attachments: fields.ReverseRelation[ReportAttachment]

    class Meta:
        table = "quarter_report"
        unique_together = (("project", "fiscal_year", "quarter"),)
        indexes = (("fiscal_year", "quarter", "status"),)  # a quarter's picture, nationally


class KpiValue(Model):
    """The value of one KPI as reported for one quarter."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[QuarterReport] = fields.ForeignKeyField(
        "models.QuarterReport", related_name="kpi_values", on_delete=fields.CASCADE
    )
    report_id: int
    kpi: fields.ForeignKeyRelation[Kpi] = fields.ForeignKeyField(
        "models.Kpi", related_name="values", on_delete=fields.CASCADE
    )
    kpi_id: int
    value = fields.DecimalField(max_digits=18, decimal_places=2, null=True,
                                description="empty: not measured yet (never counted as 0)")

    class Meta:
        table = "kpi_value"
        unique_together = (("report", "kpi"),)


class ActivityProgress(Model):
    """How far one planned activity got in one quarter."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[QuarterReport] = fields.ForeignKeyField(
        "models.QuarterReport", related_name="activity_progress", on_delete=fields.CASCADE
    )
    report_id: int
    activity: fields.ForeignKeyRelation[Activity] = fields.ForeignKeyField(
        "models.Activity", related_name="progress", on_delete=fields.CASCADE
    )
    activity_id: int
    state = fields.CharEnumField(ActivityState, max_length=16)
    percent = fields.SmallIntField(default=0)

    class Meta:
        table = "activity_progress"
        unique_together = (("report", "activity"),)


class ReportAttachment(Model):
    """Evidence sent with a report: a photo or a document, kept in the database with the report."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[QuarterReport] = fields.ForeignKeyField(
        "models.QuarterReport", related_name="attachments", on_delete=fields.CASCADE
    )
    report_id: int
    kind = fields.CharField(max_length=16, description="image or document")
    filename = fields.CharField(max_length=255)
    mime_type = fields.CharField(max_length=128, default="application/octet-stream")
    size = fields.IntField()
    content = fields.BinaryField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "report_attachment"


class ReportingWindow(Model):
    """An override of the default reporting window of one fiscal quarter (dates in Asia/Bangkok)."""

    id = fields.IntField(primary_key=True)
    fiscal_year = fields.IntField()
    quarter = fields.SmallIntField()
    opens_on = fields.DateField()
    due_on = fields.DateField()
    locks_on = fields.DateField(null=True, description="last day late reports are taken, empty: the default")
    note = fields.TextField(default="", description="e.g. the ministry circular that set these dates")

    exceptions: fields.ReverseRelation[WindowException]

    class Meta:
        table = "reporting_window"
        unique_together = (("fiscal_year", "quarter"),)


class WindowException(Model):
    """An admin lets one office report a quarter outside its window, until a given day."""

    id = fields.IntField(primary_key=True)
    fiscal_year = fields.IntField()
    quarter = fields.SmallIntField()
    office: fields.ForeignKeyRelation[Office] = fields.ForeignKeyField(
        "models.Office", related_name="window_exceptions", on_delete=fields.CASCADE
    )
    office_id: int
    until = fields.DateField()
    reason = fields.TextField(default="")
    granted_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="granted_exceptions", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "window_exception"
        unique_together = (("fiscal_year", "quarter", "office"),)
