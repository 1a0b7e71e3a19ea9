"""Human project codes such as ``CMI1-2570-003``: office, fiscal year, and a number from a per-office counter.

Each office and fiscal year has one row in ``project_code_counter``. Taking a code increments that row with one
statement inside the caller's transaction (an upsert that returns the new number, on SQLite 3.35+ and
PostgreSQL), so two drafts created at the same moment — in one process or in two — never get the same number:
on PostgreSQL the second waits for the first's row lock until its transaction ends. The counter only goes up,
so the code of a deleted draft is never handed out again. Migration 0010 seeded it from the codes projects
already had.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from models.project import Project

if TYPE_CHECKING:
    from models.org import Office

# Both the office id and the year are ints, inlined safely (SQLite and asyncpg disagree on placeholders).
TAKE_NUMBER = (
    "INSERT INTO project_code_counter (office_id, fiscal_year, last_number) VALUES ({office}, {year}, 1) "
    "ON CONFLICT (office_id, fiscal_year) DO UPDATE SET last_number = project_code_counter.last_number + 1 "
    "RETURNING last_number"
)


class ProjectCodeCounter(Model):
    """The last number given to a project code of one office in one fiscal year (it never goes down)."""

    id = fields.IntField(primary_key=True)
    office: fields.ForeignKeyRelation[Office] = fields.ForeignKeyField(
        "models.Office", related_name="code_counters", on_delete=fields.CASCADE
    )
    office_id: int
    fiscal_year = fields.IntField()
    last_number = fields.IntField(default=0)

    class Meta:
        table = "project_code_counter"
        unique_together = (("office", "fiscal_year"),)


def project_code(office_code: str, fiscal_year: int, number: int) -> str:
    """The code of a project: ``CMI1-2570-003`` (at least three digits)."""
    return f"{office_code}-{fiscal_year}-{number:03d}"


async def take_number(office_id: int, fiscal_year: int, *, connection: BaseDBAsyncClient | None = None) -> int:
    """Increment the office's counter for the year (creating it at 1) and return the new number.

    Runs on ``connection``, else on the connection of the current transaction, if any: the counter's row stays
    locked until that transaction ends, and a rolled-back transaction gives its number back.
    """
    db = connection or ProjectCodeCounter._meta.db
    rows = await db.execute_query_dict(TAKE_NUMBER.format(office=int(office_id), year=int(fiscal_year)))
    return int(rows[0]["last_number"])


async def allocate_project_code(office: Office, fiscal_year: int, *,
                                connection: BaseDBAsyncClient | None = None) -> str:
    """The next code of ``office`` for ``fiscal_year``, taken from its counter; call it inside the transaction
    that creates the project.

    A number whose code a project already has (one written by hand or restored from a backup, not counted) is
    skipped, so the new code is always free.
    """
    db = connection or ProjectCodeCounter._meta.db
    while True:
        code = project_code(office.code, fiscal_year, await take_number(office.id, fiscal_year, connection=db))
        if not await Project.filter(code=code).using_db(db).exists():
            return code
