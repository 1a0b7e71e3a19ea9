"""A quarter's report is created by one INSERT … ON CONFLICT DO NOTHING (issue 20): the row stored is the one
``get_or_create`` stored, and a report already there — made by another chat, or by another process while this
one was about to — is read, not made twice and not an error, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

from tortoise.transactions import in_transaction

from conversations.service.report_store import create_report
from models.db import Database
from models.enums import ItemStatus
from models.fiscal import FiscalQuarter
from models.project import Project
from models.report import QuarterReport
from tests.support.statements import statements
from tests.support.world import demo_world

Q1, Q3 = FiscalQuarter(2570, 1), FiscalQuarter(2570, 3)
STAMPS = ("id", "quarter", "created_at", "updated_at")


def _stored(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key not in STAMPS}


async def test_a_report_is_created_by_one_statement_as_create_stored_it(database: Database) -> None:
    async with demo_world(database):
        project = await Project.get(code="CMI1-2570-001")
        await QuarterReport.filter(project=project).delete()
        with statements() as seen:
            report = await create_report(project, Q1)
        assert seen.verbs() == ["INSERT"], seen.sql
        await QuarterReport.create(project=project, fiscal_year=2570, quarter=2)
        rows = {row["quarter"]: row for row in await QuarterReport.filter(project=project).values()}
        assert _stored(rows[1]) == _stored(rows[2])  # every column as the ORM's create writes it
        stored = await QuarterReport.get(id=report.id)
        assert report._saved_in_db and report.project_id == project.id and report.status is ItemStatus.DRAFT
        assert {name: getattr(report, name) for name in stored._meta.fields_db_projection} == {
            name: getattr(stored, name) for name in stored._meta.fields_db_projection}


async def test_a_report_already_there_is_read_not_made_again(database: Database) -> None:
    async with demo_world(database):
        project = await Project.get(code="CMI1-2570-001")
        await QuarterReport.filter(project=project).delete()
        there = await QuarterReport.create(project=project, fiscal_year=2570, quarter=1, output_progress="ก")
        with statements() as seen:
            report = await create_report(project, Q1)
        assert seen.verbs() == ["INSERT", "SELECT"], seen.sql
        assert (report.id, report.output_progress) == (there.id, "ก")
        assert await QuarterReport.filter(project=project, quarter=1).count() == 1


async def test_two_transactions_starting_one_report_make_it_once(database: Database) -> None:
    """The second waits for the first's row (PostgreSQL's unique index; SQLite's one writer) and reads it."""
    async with demo_world(database):
        project = await Project.get(code="CMI1-2570-001")
        await QuarterReport.filter(project=project).delete()
        inserted, release = asyncio.Event(), asyncio.Event()

        async def first() -> int:
            async with in_transaction():
                report = await create_report(project, Q3)
                inserted.set()
                await release.wait()
            return report.id

        async def second() -> int:
            await inserted.wait()
            async with in_transaction():
                return (await create_report(project, Q3)).id

        racing = asyncio.gather(first(), second())
        await inserted.wait()
        await asyncio.sleep(0.2)  # the second is waiting for the first's row by now
        release.set()
        made, read = await racing
        assert made == read
        assert await QuarterReport.filter(project=project, quarter=3).count() == 1
