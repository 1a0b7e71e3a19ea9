"""A report's known context read by plain statements (issue 20): the same rows, in the same order, with the same
values and types as the querysets that read them before."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from api.demo import seed_demo
from conversations.service import context_reads
from models.db import Database
from models.plans import PlanNode
from models.project import Activity, BudgetLine, Kpi, Project, ProjectPlanLink
from tests.support.world import demo_world


async def test_the_plain_reads_give_what_the_querysets_gave(database: Database) -> None:
    async with demo_world(database):
        project = await Project.get(code="CMI1-2570-001")
        law = await PlanNode.filter(family="LAW").first()
        assert law is not None
        await ProjectPlanLink.create(project=project, plan_node=law, reference_text="มาตรา 8", position=9)
        await Kpi.create(project=project, name="ใหม่", unit="คน", target_value=Decimal("12.5"), position=0)
        line = await BudgetLine.filter(project=project).first()
        assert line is not None
        await BudgetLine.create(project=project, source=line.source, expense_category=line.expense_category,
                                amount=Decimal("1000.25"), plan_q1=Decimal("250.75"), position=7)
        kpis = await Kpi.filter(project=project).values("id", "name", "unit", "target_value")
        activities = await Activity.filter(project=project).values("id", "name", "parent_id", "quarters")
        links = await ProjectPlanLink.filter(project=project).values(
            "reference_text", code="plan_node__code", level="plan_node__level", family="plan_node__family",
            title_th="plan_node__title_th")
        assert kpis and activities and links
        assert await context_reads.kpis(project.id) == kpis
        assert await context_reads.activities(project.id) == activities
        assert await context_reads.plan_links(project.id) == links
        for read, before in ((context_reads.kpis, kpis), (context_reads.activities, activities),
                             (context_reads.plan_links, links)):
            assert [[type(value) for value in row.values()] for row in await read(project.id)] == [
                [type(value) for value in row.values()] for row in before]
        for quarter in (1, 2, 3, 4):
            plans = await BudgetLine.filter(project=project).values_list(f"plan_q{quarter}", flat=True)
            assert str(await context_reads.planned_amount(project.id, quarter)) == str(sum(
                (Decimal(plan) for plan in plans), Decimal(0)))  # as the answers keep it
        assert await context_reads.kpis(0) == [] and await context_reads.planned_amount(0, 1) == Decimal(0)


async def test_each_database_read_in_turn_gets_its_own_conversions(empty_database_url: str, tmp_path: Path) -> None:
    """Which columns come as they are depends on the database (PostgreSQL's driver hands decimals, SQLite stores
    them as text): one process opening both in turn (``bench.turns`` does) gets each one's values as ``values()``
    gives them — after PostgreSQL, SQLite's decimals are still decimals. (On a SQLite run both are SQLite.)"""
    for url in (empty_database_url, f"sqlite://{tmp_path / 'second.sqlite3'}"):
        database = Database(url)
        await database.open()
        try:
            if url != empty_database_url:
                await database.migrate()
            await seed_demo()
            project = await Project.get(code="CMI1-2570-001")
            kpis = await context_reads.kpis(project.id)
            assert kpis == await Kpi.filter(project=project).values("id", "name", "unit", "target_value"), url
            assert kpis and all(isinstance(row["target_value"], Decimal) for row in kpis), kpis
        finally:
            await database.close()
