"""A report's known context (its project's KPIs, activities, linked plans, planned spending) read by plain
statements written out once per database.

``known_context`` is read every time a report is opened or refreshed, and its four querysets had the query builder
write each statement anew (about as much CPU as running them). The statements here are the ones the querysets
ran, in the same order (``Meta.ordering``), and each value is converted as ``values()`` converts it: by its field's
``to_python_value``, except for the columns the database hands as they are (the model's native fields).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tortoise.models import Model

from models.plans import PlanNode
from models.project import Activity, BudgetLine, Kpi, ProjectPlanLink
from models.sql import is_postgres

Column = tuple[str, type[Model], str]  # the name a row gives it, and the model field it is read from

_KPIS = ('SELECT "id", "name", "unit", "target_value" FROM "kpi" WHERE "project_id" = {mark} '
         'ORDER BY "position" ASC, "id" ASC')
_KPI_COLUMNS: tuple[Column, ...] = (("id", Kpi, "id"), ("name", Kpi, "name"), ("unit", Kpi, "unit"),
                                    ("target_value", Kpi, "target_value"))
_ACTIVITIES = ('SELECT "id", "name", "parent_id", "quarters" FROM "activity" WHERE "project_id" = {mark} '
               'ORDER BY "position" ASC, "id" ASC')
_ACTIVITY_COLUMNS: tuple[Column, ...] = (("id", Activity, "id"), ("name", Activity, "name"),
                                         ("parent_id", Activity, "parent_id"), ("quarters", Activity, "quarters"))
_LINKS = ('SELECT l."reference_text" AS reference_text, n."code" AS code, n."level" AS level, '
          'n."family" AS family, n."title_th" AS title_th FROM "project_plan_link" l '
          'LEFT OUTER JOIN "plan_node" n ON n."id" = l."plan_node_id" WHERE l."project_id" = {mark} '
          'ORDER BY l."position" ASC, l."id" ASC')
_LINK_COLUMNS: tuple[Column, ...] = (("reference_text", ProjectPlanLink, "reference_text"),
                                     ("code", PlanNode, "code"), ("level", PlanNode, "level"),
                                     ("family", PlanNode, "family"), ("title_th", PlanNode, "title_th"))


@functools.cache
def _converters(columns: tuple[Column, ...], postgres: bool) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """How ``values()`` converts each column on PostgreSQL or SQLite: not at all for a native field, the type its
    driver hands as it is (which fields are native depends on the database tortoise was set up with, so the
    database is part of the key: a process that opens one database after the other, as ``bench.turns`` does,
    must not keep the first one's; SQLite's decimals would come back as text after PostgreSQL's)."""
    return tuple((key, _python(model, name)) for key, model, name in columns)


def _python(model: type[Model], name: str) -> Callable[[Any], Any]:
    if any(native == name for _, native, _ in model._meta.db_native_fields):
        return lambda value: value
    return model._meta.fields_map[name].to_python_value


@functools.cache
def _sql(template: str, postgres: bool) -> str:
    return template.format(mark="$1" if postgres else "?")


async def _values(template: str, columns: tuple[Column, ...], project_id: int) -> list[dict[str, Any]]:
    connection = Kpi._meta.db
    postgres = is_postgres(connection)
    rows = await connection.execute_query_dict(_sql(template, postgres), [project_id])
    converters = _converters(columns, postgres)
    return [{key: convert(row[key]) for key, convert in converters} for row in rows]


async def kpis(project_id: int) -> list[dict[str, Any]]:
    """The project's KPIs: id, name, unit, target_value."""
    return await _values(_KPIS, _KPI_COLUMNS, project_id)


async def activities(project_id: int) -> list[dict[str, Any]]:
    """The project's activities: id, name, parent_id, quarters."""
    return await _values(_ACTIVITIES, _ACTIVITY_COLUMNS, project_id)


async def plan_links(project_id: int) -> list[dict[str, Any]]:
    """The project's plan links: reference_text, and its plan's code, level, family, title_th."""
    return await _values(_LINKS, _LINK_COLUMNS, project_id)


async def planned_amount(project_id: int, quarter: int) -> Decimal:
    """The quarter's planned spending from M5 (all sources)."""
    name = f"plan_q{quarter}"
    template = f'SELECT "{name}" FROM "budget_line" WHERE "project_id" = {{mark}} ORDER BY "position" ASC, "id" ASC'
    plans = await _values(template, ((name, BudgetLine, name),), project_id)
    return sum((Decimal(row[name]) for row in plans), Decimal(0))
