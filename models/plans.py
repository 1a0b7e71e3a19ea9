"""The plan catalog of section M1: a tree of national plans at levels 1–3, versioned by fiscal year."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class PlanNode(Model):
    """One node of the catalog: a family (e.g. แผนแม่บท), a plan, a sub-plan or a target (Y1/Y2).

    ``valid_from_fy``/``valid_to_fy`` are Buddhist-era fiscal years, empty means unbounded. A node is
    offered for a project of fiscal year N when ``valid_from_fy <= N <= valid_to_fy``.
    """

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True, description="our stable code, e.g. MP-12-01-Y1")
    family = fields.CharField(max_length=32, db_index=True, description="family code, e.g. MP, NS, LAW")
    level = fields.SmallIntField(description="plan level 1, 2 or 3")
    kind = fields.CharField(max_length=16, description="family, plan, subplan or target")
    parent: fields.ForeignKeyNullableRelation[PlanNode] = fields.ForeignKeyField(
        "models.PlanNode", related_name="children", null=True, on_delete=fields.CASCADE
    )
    parent_id: int | None
    title_th = fields.TextField()
    title_en = fields.TextField(default="")
    nesdc_code = fields.CharField(max_length=16, default="", description="NESDC numbering where known")
    confirmed = fields.BooleanField(default=False, description="seen in a cited public source")
    basis = fields.CharField(max_length=32, default="", description="source, recollection or news paraphrase")
    note = fields.TextField(default="")
    position = fields.IntField(default=0, description="order among siblings")
    valid_from_fy = fields.IntField(null=True)
    valid_to_fy = fields.IntField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    children: fields.ReverseRelation[PlanNode]

    class Meta:
        table = "plan_node"
        ordering = ("position", "id")

    def __str__(self) -> str:
        return f"{self.code} {self.title_th}"
