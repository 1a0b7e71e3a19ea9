"""Opening a quarter's report from the list (issue 20): the project and the reports the list read are not read
again for the report (a report there is found among them, none there is not looked for again)."""

from __future__ import annotations

from datetime import UTC, datetime

from models.db import Database
from models.project import Project
from models.report import QuarterReport, WindowException
from tests.support.statements import Statements, statements
from tests.support.world import World, demo_world

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
PROJECT = "CMI1-2570-001"


async def _without_reports(world: World) -> Project:
    """Q1 open in January with no lock exception, and Project A without any report yet."""
    world.clock.set(JAN_5)
    await WindowException.all().delete()
    project = await Project.get(code=PROJECT)
    await QuarterReport.filter(project=project).delete()
    return project


async def _open_q1(world: World, asked: str) -> Statements:
    owner = world.chat("suda")
    await owner.say("รายงานผล")
    with statements() as seen:
        await owner.tap("Q1/2570 โครงการยกระดับ")
    assert owner.screen.key == asked, owner.text
    return seen


async def test_a_new_report_opened_from_the_list_reads_its_project_and_reports_once(database: Database) -> None:
    async with demo_world(database) as world:
        project = await _without_reports(world)
        seen = await _open_q1(world, "rep.output")
        assert seen.touching("project") == ["SELECT"], seen.sql  # the list's; not again for the report
        assert [verb for verb in seen.touching("quarter_report") if verb != "OPEN"] == ["SELECT", "INSERT",
                                                                                         "UPDATE"], seen.sql
        assert await QuarterReport.filter(project=project, quarter=1).count() == 1


async def test_a_report_there_is_found_among_those_the_list_read(database: Database) -> None:
    async with demo_world(database) as world:
        project = await _without_reports(world)
        there = await QuarterReport.create(project=project, fiscal_year=2570, quarter=1, output_progress="อบรม 1 รุ่น")
        seen = await _open_q1(world, "rep.outcome")  # the report there: its output is answered
        assert seen.touching("project") == ["SELECT"], seen.sql
        assert "INSERT" not in seen.touching("quarter_report"), seen.sql  # not taken for a report to create
        assert await QuarterReport.filter(project=project, quarter=1).count() == 1
        assert (await QuarterReport.get(id=there.id)).output_progress == "อบรม 1 รุ่น"


async def test_the_quarter_list_reads_projects_reports_windows_and_exceptions_in_two_statements(
        database: Database) -> None:
    """The list's projects come with their reports (one statement), its windows with the office's lock exceptions
    (one more): four statements before."""
    async with demo_world(database) as world:
        world.clock.set(JAN_5)
        owner = world.chat("suda")
        with statements() as seen:
            await owner.say("รายงานผล")
        reads = [sql for sql in seen.sql if any(f" {table} " in sql or f'"{table}"' in sql for table in (
            "project", "quarter_report", "reporting_window", "window_exception"))]
        assert len(reads) == 2, seen.sql
        assert "Q1/2570 · 🟢 เปิดรายงาน" in owner.text, owner.text
