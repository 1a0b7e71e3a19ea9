"""Each office's quarter counts, kept up to date so the national picture is read in time that does not grow with
the number of projects.

Database triggers (migration 0008) put a mark in ``tally_mark`` whenever an approved project, one of its budget
lines or a sent report changes, whichever code path or bulk statement made the change. The marked offices are
counted again, from the same aggregation as an owner's own picture, before a picture is read
(``conversations/oversight/tallies.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.org import Office


class QuarterTally(Model):
    """One office's approved projects in one fiscal quarter and where their reports stand."""

    id = fields.IntField(primary_key=True)
    office: fields.ForeignKeyRelation[Office] = fields.ForeignKeyField(
        "models.Office", related_name="tallies", on_delete=fields.CASCADE
    )
    office_id: int
    fiscal_year = fields.IntField()
    quarter = fields.SmallIntField()
    projects = fields.IntField(default=0)
    on_time = fields.IntField(default=0)
    late = fields.IntField(default=0)
    waiting = fields.IntField(default=0)
    approved = fields.IntField(default=0)
    returned = fields.IntField(default=0)
    planned = fields.DecimalField(max_digits=18, decimal_places=2, default=0)
    disbursed = fields.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        table = "quarter_tally"
        unique_together = (("office", "fiscal_year", "quarter"),)
        indexes = (("fiscal_year", "quarter"),)


class TallyMark(Model):
    """An office and fiscal year whose tallies must be counted again (written by database triggers only)."""

    id = fields.BigIntField(primary_key=True)
    office_id = fields.IntField()
    fiscal_year = fields.IntField()

    class Meta:
        table = "tally_mark"
        indexes = (("fiscal_year",),)
