"""The quarter list's rows read by one plain statement: an owner's approved projects with every report of theirs.

``Project.filter(…)`` and ``QuarterReport.filter(project_id__in=…)`` built two statements through the query builder
on every quarter list and a model for every row (a quarter list is read on most report turns). Here one LEFT JOIN,
written out once per database, reads both; the rows are kept as the open item's are (``turn_store.ProjectRow``,
``ReportRow``), their models built only if an effect asks for one.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import NamedTuple

from conversations.service.turn_store import ProjectRow, ReportRow
from models.enums import ItemStatus
from models.project import Project
from models.report import QuarterReport
from models.sql import is_postgres, marks


class Quarterly(NamedTuple):
    """What the quarter list needs of a project."""

    id: int
    code: str
    name: str
    office_id: int
    fiscal_year: int
    start_date: date | None
    end_date: date | None

    @classmethod
    def of(cls, project: Project | ProjectRow) -> Quarterly:
        if isinstance(project, ProjectRow):
            value = project.value
            return cls(project.id, value("code"), value("name"), project.office_id, value("fiscal_year"),
                       value("start_date"), value("end_date"))
        return cls(project.id, project.code, project.name, project.office_id, project.fiscal_year,
                   project.start_date, project.end_date)


@functools.cache
def _owned_sql(postgres: bool) -> str:
    columns = ", ".join(f'{alias}."{column}" AS {alias}__{column}' for alias, model in (("p", Project),
                                                                                          ("r", QuarterReport))
                        for column in model._meta.db_fields)
    owner, status = marks(postgres, 2)
    return (f"SELECT {columns} FROM project p LEFT JOIN quarter_report r ON r.project_id = p.id "
            f"WHERE p.owner_id = {owner} AND p.status = {status} ORDER BY p.id, r.id")


async def approved_with_reports(owner_id: int) -> tuple[list[ProjectRow], list[ReportRow]]:
    """The owner's approved projects and all their reports, in one statement of the turn's transaction."""
    connection = Project._meta.db
    status = Project._meta.fields_map["status"].to_db_value(ItemStatus.APPROVED, Project)
    rows = await connection.execute_query_dict(_owned_sql(is_postgres(connection)), [owner_id, status])
    projects: dict[int, ProjectRow] = {}
    reports: list[ReportRow] = []
    for row in rows:
        if row["p__id"] not in projects:
            projects[row["p__id"]] = ProjectRow(Project, row, "p")
        if row["r__id"] is not None:
            reports.append(ReportRow(QuarterReport, row, "r"))
    return list(projects.values()), reports
