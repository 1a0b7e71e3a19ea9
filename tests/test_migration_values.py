"""The migration of unmeasured KPIs and people's own details (``0013_values``): one value per KPI still holds
after SQLite rebuilds the table, and going back drops only the "not measured yet" rows it cannot hold."""

from __future__ import annotations

from pathlib import Path

from tortoise.exceptions import IntegrityError
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from api.demo import seed_demo
from models.db import tortoise_config
from models.project import Kpi, Project
from models.report import KpiValue, QuarterReport
from tests.support.database import database_at, latest_migration

MIGRATION = "0013_values"


async def test_one_value_per_kpi_survives_and_going_back_drops_only_unmeasured(empty_database_url: str,
                                                                               tmp_path: Path) -> None:
    async with database_at(latest_migration(), empty_database_url, tmp_path) as database:
        await seed_demo()  # today's models write today's columns; the way back to 0012 passes every later migration
        project = await Project.get(code="CMI1-2570-001")
        first, second = await Kpi.filter(project=project).order_by("id").limit(2)
        report = await QuarterReport.create(project=project, fiscal_year=2570, quarter=1)
        await KpiValue.create(report=report, kpi=first, value=None)  # not measured yet
        await KpiValue.create(report=report, kpi=second, value=62)
        try:
            await KpiValue.create(report=report, kpi=second, value=70)
        except IntegrityError:
            pass
        else:
            raise AssertionError("a second value of one KPI in one report was stored")

        connection = database.connection()
        executor = MigrationExecutor(connection, tortoise_config(database.url)["apps"])
        await executor.migrate([MigrationTarget("models", "0012_telegram")])
        _, rows = await connection.execute_query("SELECT kpi_id, value FROM kpi_value")
        assert [(row["kpi_id"], float(row["value"])) for row in rows] == [(second.id, 62.0)]
        await executor.migrate([MigrationTarget("models", MIGRATION)])
        _, rows = await connection.execute_query("SELECT COUNT(*) AS n FROM kpi_value")
        assert rows[0]["n"] == 1
