"""A registered project (sections M1–M5) and its child rows: plan links, KPIs, activities, budget lines.

Every column of a draft may still be empty: answers are written as they are given, so a half-filled
project is a normal, durable state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.enums import ExpenseCategory, FundingSource, ItemStatus, ProjectType

if TYPE_CHECKING:
    from models.org import Office, User
    from models.plans import PlanNode
    from models.report import QuarterReport

MONEY_DIGITS = 18  # up to 9,999,999,999,999,999.99 baht, in satang precision


class Project(Model):
    """One project or routine operation of one office in one fiscal year (Buddhist era)."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=40, unique=True, description="our human code, e.g. CMI1-2570-001")
    emenscr_id = fields.CharField(max_length=64, default="", description="the eMENSCR id, opaque, optional")
    emenscr_keyed: Any = fields.JSONField(default=list, description="steps of the eMENSCR pack keyed in there")
    emenscr_keyed_at = fields.DatetimeField(null=True, description="when the last step of the pack was keyed in")
    fiscal_year = fields.IntField(db_index=True)
    office: fields.ForeignKeyRelation[Office] = fields.ForeignKeyField(
        "models.Office", related_name="projects", on_delete=fields.RESTRICT
    )
    office_id: int
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="owned_projects", on_delete=fields.RESTRICT
    )
    owner_id: int
    status = fields.CharEnumField(ItemStatus, max_length=16, default=ItemStatus.DRAFT)

    # M2 general information
    name = fields.TextField(default="")
    project_type = fields.CharEnumField(ProjectType, max_length=16, null=True)
    budget_plan = fields.TextField(default="", description="แผนงาน the project falls under")
    uses_budget = fields.BooleanField(null=True)
    method_self = fields.BooleanField(default=False)
    method_contract = fields.BooleanField(default=False)
    director_name = fields.CharField(max_length=255, default="")
    director_email = fields.CharField(max_length=255, default="")
    director_phone = fields.CharField(max_length=32, default="")
    owner_name = fields.CharField(max_length=255, default="")
    owner_email = fields.CharField(max_length=255, default="")
    owner_phone = fields.CharField(max_length=32, default="")

    # M3 details
    rationale = fields.TextField(default="")
    objectives: Any = fields.JSONField(default=list, description="list of objective texts")
    output_target = fields.TextField(default="")
    outcome_target = fields.TextField(default="")
    target_groups = fields.TextField(default="")
    provinces: Any = fields.JSONField(default=list, description="list of province names")
    area_detail = fields.TextField(default="")
    start_date = fields.DateField(null=True)
    end_date = fields.DateField(null=True)

    # completion, recomputed whenever the draft is saved (for "my projects" without loading every answer)
    sections_done = fields.SmallIntField(default=0)
    sections_total = fields.SmallIntField(default=0)

    # approval round (#4)
    submitted_at = fields.DatetimeField(null=True)
    decided_at = fields.DatetimeField(null=True)
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="decided_projects", null=True, on_delete=fields.SET_NULL
    )
    decision_comment = fields.TextField(default="")

    # carried forward (#18): the project this draft was copied from, and what its owner has still to look at. No
    # constraint in the database: SQLite can then drop the column in place going back (a rebuilt project table
    # breaks the kept counts' triggers), and a source that is deleted (a draft) leaves its copies as they are.
    copied_from: fields.ForeignKeyNullableRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="copies", null=True, on_delete=fields.SET_NULL, db_constraint=False
    )
    copied_from_id: int | None
    copy_review: Any = fields.JSONField(
        default=dict, description="a copy's marks: sections not yet opened, plan links dropped (names)"
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    plan_links: fields.ReverseRelation[ProjectPlanLink]
    kpis: fields.ReverseRelation[Kpi]
    activities: fields.ReverseRelation[Activity]
    budget_lines: fields.ReverseRelation[BudgetLine]
    reports: fields.ReverseRelation[QuarterReport]

    class Meta:
        table = "project"
        indexes = (("office_id", "fiscal_year", "status"),)  # an office's projects of a year, for its tallies

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProjectPlanLink(Model):
    """M1: the project serves this plan node. Laws and cabinet resolutions carry a free reference."""

    id = fields.IntField(primary_key=True)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="plan_links", on_delete=fields.CASCADE
    )
    project_id: int
    plan_node: fields.ForeignKeyRelation[PlanNode] = fields.ForeignKeyField(
        "models.PlanNode", related_name="project_links", on_delete=fields.RESTRICT
    )
    plan_node_id: int
    reference_text = fields.TextField(default="", description="e.g. พ.ร.บ.การศึกษาแห่งชาติ พ.ศ. 2542 มาตรา 8")
    position = fields.IntField(default=0)

    class Meta:
        table = "project_plan_link"
        indexes = (("project_id",),)  # a project's rows, and joins from the project side
        ordering = ("position", "id")


class Kpi(Model):
    """M3: a key performance indicator with its unit and target value."""

    id = fields.IntField(primary_key=True)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="kpis", on_delete=fields.CASCADE
    )
    project_id: int
    name = fields.TextField()
    unit = fields.CharField(max_length=64)
    target_value = fields.DecimalField(max_digits=18, decimal_places=2)
    position = fields.IntField(default=0)

    class Meta:
        table = "kpi"
        indexes = (("project_id",),)  # a project's rows, and joins from the project side
        ordering = ("position", "id")


class Activity(Model):
    """M4: an activity or, with a parent, a sub-activity. ``quarters`` lists fiscal quarters 1–4."""

    id = fields.IntField(primary_key=True)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="activities", on_delete=fields.CASCADE
    )
    project_id: int
    parent: fields.ForeignKeyNullableRelation[Activity] = fields.ForeignKeyField(
        "models.Activity", related_name="children", null=True, on_delete=fields.CASCADE
    )
    parent_id: int | None
    name = fields.TextField()
    quarters: Any = fields.JSONField(default=list)
    position = fields.IntField(default=0)

    children: fields.ReverseRelation[Activity]

    class Meta:
        table = "activity"
        indexes = (("project_id",),)  # a project's rows, and joins from the project side
        ordering = ("position", "id")


class BudgetLine(Model):
    """M5: money from one source in one expense category, with its quarterly spending plan."""

    id = fields.IntField(primary_key=True)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="budget_lines", on_delete=fields.CASCADE
    )
    project_id: int
    source = fields.CharEnumField(FundingSource, max_length=16)
    source_agency = fields.CharField(max_length=255, default="", description="the other agency, or the province")
    expense_category = fields.CharEnumField(ExpenseCategory, max_length=16)
    amount = fields.DecimalField(max_digits=MONEY_DIGITS, decimal_places=2)
    plan_q1 = fields.DecimalField(max_digits=MONEY_DIGITS, decimal_places=2, default=0)
    plan_q2 = fields.DecimalField(max_digits=MONEY_DIGITS, decimal_places=2, default=0)
    plan_q3 = fields.DecimalField(max_digits=MONEY_DIGITS, decimal_places=2, default=0)
    plan_q4 = fields.DecimalField(max_digits=MONEY_DIGITS, decimal_places=2, default=0)
    position = fields.IntField(default=0)

    class Meta:
        table = "budget_line"
        indexes = (("project_id",),)  # a project's rows, and joins from the project side
        ordering = ("position", "id")
