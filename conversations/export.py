"""The Excel export: one wide sheet of projects and long sheets of their parts and reports, keyed to re-join.

Every sheet carries the project's code (and the fiscal year and quarter for report rows), so that a pivot
table or a lookup joins them again; activities name their parent activity's id. Headers are Thai, dates are
written as officials write them (``1 ต.ค. 2569``), money has the baht number format. Only projects the
person may see are exported.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from conversations.copy import render
from conversations.formatting import format_date
from conversations.monitoring import scope
from models.fiscal import BANGKOK
from models.org import User
from models.project import Activity, BudgetLine, Kpi, Project, ProjectPlanLink
from models.report import KpiValue, QuarterReport

BAHT = "#,##0.00"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Progress = Callable[[str, int], None]

# (header copy key, column) of the wide projects sheet
PROJECT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("xl.code", "code"), ("xl.emenscr_id", "emenscr_id"), ("xl.fiscal_year", "fiscal_year"),
    ("xl.office_code", "office__code"), ("xl.office", "office__name"), ("xl.status", "status"),
    ("xl.name", "name"), ("xl.project_type", "project_type"), ("xl.budget_plan", "budget_plan"),
    ("xl.uses_budget", "uses_budget"), ("xl.method_self", "method_self"),
    ("xl.method_contract", "method_contract"), ("xl.director_name", "director_name"),
    ("xl.director_email", "director_email"), ("xl.director_phone", "director_phone"),
    ("xl.owner_name", "owner_name"), ("xl.owner_email", "owner_email"),
    ("xl.owner_phone", "owner_phone"), ("xl.rationale", "rationale"),
    ("xl.objectives", "objectives"), ("xl.output_target", "output_target"),
    ("xl.outcome_target", "outcome_target"), ("xl.target_groups", "target_groups"),
    ("xl.provinces", "provinces"), ("xl.area_detail", "area_detail"),
    ("xl.start_date", "start_date"), ("xl.end_date", "end_date"),
    ("xl.submitted_at", "submitted_at"), ("xl.decided_at", "decided_at"),
)


def _cell(value: Any) -> Any:
    """A value as a cell: lists joined, enums as their value, dates in Thai with the BE year."""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, datetime):
        return format_date(value.astimezone(BANGKOK).date())
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return render("value.yes" if value else "value.no")
    if hasattr(value, "value"):
        return str(value.value)
    return value


@dataclass(slots=True)
class Sheet:
    """One sheet's rows, read from the database before the workbook is written."""

    title_key: str
    headers: list[str]
    money: frozenset[int] = frozenset()  # 1-based columns with the baht format
    rows: list[list[Any]] = field(default_factory=list)


def _safe(sheet: Any, value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (``=HYPERLINK(…)`` typed as a project name) stays text."""
    if not (isinstance(value, str) and value.startswith(FORMULA_STARTS)):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _write(sheets: list[Sheet]) -> bytes:
    """The workbook, written row by row (openpyxl's write-only mode keeps memory flat)."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        out = book.create_sheet(render(sheet.title_key))
        out.freeze_panes = "A2"
        header = []
        for key in sheet.headers:
            cell = WriteOnlyCell(out, value=render(key))
            cell.font = BOLD
            header.append(cell)
        out.append(header)
        for column in sheet.money:
            out.column_dimensions[get_column_letter(column)].width = 16
        for row in sheet.rows:
            cells: list[Any] = []
            for index, value in enumerate(row, start=1):
                if index in sheet.money and value is not None:
                    cell = WriteOnlyCell(out, value=float(value))
                    cell.number_format = BAHT
                    cells.append(cell)
                else:
                    cells.append(_safe(out, value))
            out.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def export_workbook(user: User, *, fiscal_year: int | None = None, progress: Progress | None = None) -> bytes:
    """The workbook of every project the user may see (of one fiscal year, if given), as .xlsx bytes.

    The rows are read first; the workbook is written in a worker thread (it is CPU work that would
    otherwise stall every other chat), one export at a time.
    """
    filters = scope(user) | ({"fiscal_year": fiscal_year} if fiscal_year else {})
    child = scope(user, "project__") | ({"project__fiscal_year": fiscal_year} if fiscal_year else {})
    note = progress or (lambda sheet, rows: None)
    sheets: list[Sheet] = []

    projects = Sheet("xl.sheet.projects", [key for key, _ in PROJECT_COLUMNS])
    for row in await Project.filter(**filters).order_by("code").values(*[column for _, column in PROJECT_COLUMNS]):
        projects.rows.append([_cell(row[column]) for _, column in PROJECT_COLUMNS])
    sheets.append(projects)

    links = Sheet("xl.sheet.plan_links", ["xl.code", "xl.plan_code", "xl.plan_level", "xl.plan_title",
                                          "xl.reference"])
    links.rows = [[row["project__code"], row["plan_node__code"], row["plan_node__level"], row["plan_node__title_th"],
                   row["reference_text"]] for row in await ProjectPlanLink.filter(**child).order_by(
        "project__code", "id").values("project__code", "plan_node__code", "plan_node__level", "plan_node__title_th",
                                      "reference_text")]
    sheets.append(links)

    kpis = Sheet("xl.sheet.kpis", ["xl.code", "xl.kpi_id", "xl.kpi", "xl.unit", "xl.target"])
    kpis.rows = [[row["project__code"], row["id"], row["name"], row["unit"], row["target_value"]]
                 for row in await Kpi.filter(**child).order_by("project__code", "position", "id").values(
                     "project__code", "id", "name", "unit", "target_value")]
    sheets.append(kpis)

    activities = Sheet("xl.sheet.activities", ["xl.code", "xl.activity_id", "xl.parent_id", "xl.activity",
                                               "xl.quarters"])
    activities.rows = [[row["project__code"], row["id"], row["parent_id"], row["name"],
                        ",".join(f"Q{quarter}" for quarter in row["quarters"] or [])]
                       for row in await Activity.filter(**child).order_by("project__code", "position", "id").values(
                           "project__code", "id", "parent_id", "name", "quarters")]
    sheets.append(activities)

    budget = Sheet("xl.sheet.budget", ["xl.code", "xl.line_id", "xl.source", "xl.source_agency",
                                       "xl.expense_category", "xl.amount", "xl.plan_q1", "xl.plan_q2", "xl.plan_q3",
                                       "xl.plan_q4"], money=frozenset(range(6, 11)))
    budget.rows = [[row["project__code"], row["id"], _cell(row["source"]), row["source_agency"],
                    _cell(row["expense_category"]), row["amount"], row["plan_q1"], row["plan_q2"], row["plan_q3"],
                    row["plan_q4"]]
                   for row in await BudgetLine.filter(**child).order_by("project__code", "position", "id").values(
                       "project__code", "id", "source", "source_agency", "expense_category", "amount", "plan_q1",
                       "plan_q2", "plan_q3", "plan_q4")]
    sheets.append(budget)

    reports = Sheet("xl.sheet.reports", ["xl.code", "xl.fiscal_year", "xl.quarter", "xl.status", "xl.late",
                                         "xl.submitted_at", "xl.output_progress", "xl.outcome_progress", "xl.planned",
                                         "xl.disbursed", "xl.shortfall", "xl.problems"], money=frozenset({9, 10}))
    reports.rows = [[row["project__code"], row["fiscal_year"], row["quarter"], _cell(row["status"]),
                     _cell(row["late"]), _cell(row["submitted_at"]) if row["submitted_at"] else "",
                     row["output_progress"], row["outcome_progress"], row["planned_amount"], row["disbursed_amount"],
                     row["shortfall_reason"], row["problems"]]
                    for row in await QuarterReport.filter(**child).order_by("project__code", "fiscal_year",
                                                                            "quarter").values(
                        "project__code", "fiscal_year", "quarter", "status", "late", "submitted_at",
                        "output_progress", "outcome_progress", "planned_amount", "disbursed_amount",
                        "shortfall_reason", "problems")]
    sheets.append(reports)

    values = Sheet("xl.sheet.kpi_values", ["xl.code", "xl.fiscal_year", "xl.quarter", "xl.kpi_id", "xl.kpi",
                                           "xl.value", "xl.target"])
    kpi_scope = scope(user, "report__project__") | ({"report__fiscal_year": fiscal_year} if fiscal_year else {})
    values.rows = [[row["report__project__code"], row["report__fiscal_year"], row["report__quarter"], row["kpi_id"],
                    row["kpi__name"], row["value"], row["kpi__target_value"]]
                   for row in await KpiValue.filter(**kpi_scope).order_by(
                       "report__project__code", "report__fiscal_year", "report__quarter", "kpi_id").values(
                       "report__project__code", "report__fiscal_year", "report__quarter", "kpi_id", "kpi__name",
                       "value", "kpi__target_value")]
    sheets.append(values)
    for sheet in sheets:
        note(sheet.title_key, len(sheet.rows))
    async with _one_at_a_time():
        return await asyncio.to_thread(_write, sheets)


_gate: asyncio.Semaphore | None = None


def _one_at_a_time() -> asyncio.Semaphore:
    """Exports are written one after another: each may take seconds of CPU and its rows' memory."""
    global _gate
    if _gate is None:
        _gate = asyncio.Semaphore(1)
    return _gate
