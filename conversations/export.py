"""The Excel export: one wide sheet of projects and long sheets of their parts and reports, keyed to re-join.

Every sheet carries the project's code (and the fiscal year and quarter for report rows), so that a pivot
table or a lookup joins them again; activities name their parent activity's id and carry the registration's
numbers (``2``, ``2.1``), parents first. Headers and values are Thai (statuses, types, sources, categories,
activity states: the labels people read, never the stored codes), dates are written as officials write them
(``1 ต.ค. 2569``), money has the baht number format. Only projects the person may see are exported.
"""

from __future__ import annotations

import asyncio
import io
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import xlsxwriter

from conversations.copy import render
from conversations.formatting import format_date
from conversations.monitoring import scope
from models.enums import ActivityState, ExpenseCategory, FundingSource, ItemStatus, ProjectType
from models.fiscal import BANGKOK
from models.org import User
from models.plans import PlanNode
from models.project import Activity, BudgetLine, Kpi, Project, ProjectPlanLink
from models.report import ActivityProgress, KpiValue, QuarterReport, ReportAttachment

BAHT = "#,##0.00"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Progress = Callable[[str, int, int], None]  # sheet, projects done, projects in all
PROJECTS_AT_ONCE = 500  # projects whose rows are read and written together (SQLite allows 999 parameters)

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


# the copy key family of each stored code's Thai label
LABELS: dict[type[StrEnum], str] = {ItemStatus: "xl.status", ProjectType: "opt.type", FundingSource: "opt.source",
                                    ExpenseCategory: "opt.cat", ActivityState: "xl.activity"}
FILE_KINDS = ("image", "document")


def label(kind: type[StrEnum], value: Any) -> str:
    """A stored code as the Thai label people read (``approved`` → อนุมัติแล้ว); empty when there is none."""
    if value is None or value == "":
        return ""
    return render(f"{LABELS[kind]}.{kind(value).value}")


def _cell(value: Any) -> Any:
    """A value as a cell: lists joined, codes as Thai labels, dates in Thai with the BE year."""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, datetime):
        return format_date(value.astimezone(BANGKOK).date())
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return render("value.yes" if value else "value.no")
    for kind in LABELS:
        if isinstance(value, kind):
            return label(kind, value)
    return value


Fetch = Callable[[list[int]], Awaitable[list[list[Any]]]]


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet: its title and headers (copy keys), its money columns (0-based) and how to read the rows of a
    few projects, given their ids in code order."""

    title_key: str
    headers: tuple[str, ...]
    fetch: Fetch
    money: frozenset[int] = frozenset()


CODED_COLUMNS: dict[str, type[StrEnum]] = {"status": ItemStatus, "project_type": ProjectType}


async def _projects(ids: list[int]) -> list[list[Any]]:
    return [[label(CODED_COLUMNS[column], row[column]) if column in CODED_COLUMNS else _cell(row[column])
             for _, column in PROJECT_COLUMNS]
            for row in await Project.filter(id__in=ids).order_by("code").values(
                *[column for _, column in PROJECT_COLUMNS])]


async def _links(ids: list[int]) -> list[list[Any]]:
    return [[row["project__code"], row["plan_node__code"], row["plan_node__level"], row["plan_node__title_th"],
             row["reference_text"]] for row in await ProjectPlanLink.filter(project_id__in=ids).order_by(
        "project__code", "id").values("project__code", "plan_node__code", "plan_node__level", "plan_node__title_th",
                                      "reference_text")]


async def _kpis(ids: list[int]) -> list[list[Any]]:
    return [[row["project__code"], row["id"], row["name"], row["unit"], row["target_value"]]
            for row in await Kpi.filter(project_id__in=ids).order_by("project__code", "position", "id").values(
                "project__code", "id", "name", "unit", "target_value")]


async def _activity_tree(ids: list[int]) -> list[tuple[str, dict[str, Any]]]:
    """Every activity of the projects as (its registration number, row), each parent before its sub-activities."""
    rows = await Activity.filter(project_id__in=ids).order_by("project__code", "position", "id").values(
        "project__code", "id", "parent_id", "name", "quarters")
    children: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["parent_id"] is not None:
            children[row["parent_id"]].append(row)
    known = {row["id"] for row in rows}
    ordered: list[tuple[str, dict[str, Any]]] = []

    def place(number: str, row: dict[str, Any]) -> None:
        ordered.append((number, row))
        for index, child in enumerate(children[row["id"]], start=1):
            place(f"{number}.{index}", child)

    numbers: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["parent_id"] is None or row["parent_id"] not in known:  # the others are placed under their parent
            numbers[row["project__code"]] += 1
            place(str(numbers[row["project__code"]]), row)
    return ordered


async def _activities(ids: list[int]) -> list[list[Any]]:
    return [[row["project__code"], row["id"], row["parent_id"], row["name"],
             ",".join(f"Q{quarter}" for quarter in row["quarters"] or []), number]
            for number, row in await _activity_tree(ids)]


async def _budget(ids: list[int]) -> list[list[Any]]:
    return [[row["project__code"], row["id"], label(FundingSource, row["source"]), row["source_agency"],
             label(ExpenseCategory, row["expense_category"]), row["amount"], row["plan_q1"], row["plan_q2"],
             row["plan_q3"], row["plan_q4"]]
            for row in await BudgetLine.filter(project_id__in=ids).order_by("project__code", "position", "id").values(
                "project__code", "id", "source", "source_agency", "expense_category", "amount", "plan_q1",
                "plan_q2", "plan_q3", "plan_q4")]


async def _reports(ids: list[int]) -> list[list[Any]]:
    return [[row["project__code"], row["fiscal_year"], row["quarter"], label(ItemStatus, row["status"]),
             _cell(row["late"]),
             _cell(row["submitted_at"]) if row["submitted_at"] else "", row["output_progress"],
             row["outcome_progress"], row["planned_amount"], row["disbursed_amount"], row["shortfall_reason"],
             row["problems"]]
            for row in await QuarterReport.filter(project_id__in=ids).order_by(
                "project__code", "fiscal_year", "quarter").values(
                "project__code", "fiscal_year", "quarter", "status", "late", "submitted_at", "output_progress",
                "outcome_progress", "planned_amount", "disbursed_amount", "shortfall_reason", "problems")]


def _measured(value: Decimal | None) -> Decimal | str:
    """A KPI's value, or "ยังไม่ได้วัด" (a word, so no sum or chart of the column takes it for 0)."""
    return render("value.not_measured") if value is None else value


async def _kpi_values(ids: list[int]) -> list[list[Any]]:
    return [[row["report__project__code"], row["report__fiscal_year"], row["report__quarter"], row["kpi_id"],
             row["kpi__name"], _measured(row["value"]), row["kpi__target_value"]]
            for row in await KpiValue.filter(report__project_id__in=ids).order_by(
                "report__project__code", "report__fiscal_year", "report__quarter", "kpi_id").values(
                "report__project__code", "report__fiscal_year", "report__quarter", "kpi_id", "kpi__name", "value",
                "kpi__target_value")]


async def _activity_progress(ids: list[int]) -> list[list[Any]]:
    """Each report's activities: state and percent, in the registration's order and numbers."""
    order = {row["id"]: (position, number, row["name"])
             for position, (number, row) in enumerate(await _activity_tree(ids))}
    rows = await ActivityProgress.filter(report__project_id__in=ids).values(
        "report__project__code", "report__fiscal_year", "report__quarter", "activity_id", "state", "percent")
    rows.sort(key=lambda row: (row["report__project__code"], row["report__fiscal_year"], row["report__quarter"],
                               order.get(row["activity_id"], (len(order), "", ""))[0]))
    return [[row["report__project__code"], row["report__fiscal_year"], row["report__quarter"], row["activity_id"],
             order.get(row["activity_id"], (0, "", ""))[1], order.get(row["activity_id"], (0, "", ""))[2],
             label(ActivityState, row["state"]), row["percent"]] for row in rows]


async def _contributions(ids: list[int]) -> list[list[Any]]:
    """Each report's contribution to each linked plan (and law), one row per plan."""
    reports = await QuarterReport.filter(project_id__in=ids).order_by("project__code", "fiscal_year", "quarter").values(
        "project_id", "project__code", "fiscal_year", "quarter", "plan_contributions")
    codes = {key.partition(":")[0] for row in reports for key in (row["plan_contributions"] or {})}
    titles = dict(await PlanNode.filter(code__in=sorted(codes)).values_list("code", "title_th")) if codes else {}
    links = await ProjectPlanLink.filter(project_id__in=ids).order_by("position", "id").values(
        "project_id", "plan_node__code", "reference_text")
    place = {(link["project_id"], f"{link['plan_node__code']}:{link['reference_text']}" if link["reference_text"]
              else link["plan_node__code"]): index for index, link in enumerate(links)}  # the links' own order
    rows = []
    for row in reports:
        contributions = row["plan_contributions"] or {}
        for key in sorted(contributions, key=lambda key: (place.get((row["project_id"], key), len(place)), key)):
            text = contributions[key]
            code, _, reference = key.partition(":")
            rows.append([row["project__code"], row["fiscal_year"], row["quarter"], code,
                         reference or titles.get(code, ""), text])
    return rows


async def _evidence(ids: list[int]) -> list[list[Any]]:
    """Each report's evidence files (their names and sizes; the files stay in the report)."""
    return [[row["report__project__code"], row["report__fiscal_year"], row["report__quarter"], row["id"],
             render(f"xl.file.{row['kind']}") if row["kind"] in FILE_KINDS else row["kind"], row["filename"],
             row["mime_type"], round(row["size"] / 1024, 1), _cell(row["created_at"])]
            for row in await ReportAttachment.filter(report__project_id__in=ids).order_by(
                "report__project__code", "report__fiscal_year", "report__quarter", "id").values(
                "report__project__code", "report__fiscal_year", "report__quarter", "id", "kind", "filename",
                "mime_type", "size", "created_at")]


SHEETS: tuple[Sheet, ...] = (
    Sheet("xl.sheet.projects", tuple(key for key, _ in PROJECT_COLUMNS), _projects),
    Sheet("xl.sheet.plan_links", ("xl.code", "xl.plan_code", "xl.plan_level", "xl.plan_title", "xl.reference"),
          _links),
    Sheet("xl.sheet.kpis", ("xl.code", "xl.kpi_id", "xl.kpi", "xl.unit", "xl.target"), _kpis),
    Sheet("xl.sheet.activities", ("xl.code", "xl.activity_id", "xl.parent_id", "xl.activity", "xl.quarters",
                                  "xl.activity_number"), _activities),
    Sheet("xl.sheet.budget", ("xl.code", "xl.line_id", "xl.source", "xl.source_agency", "xl.expense_category",
                              "xl.amount", "xl.plan_q1", "xl.plan_q2", "xl.plan_q3", "xl.plan_q4"), _budget,
          money=frozenset(range(5, 10))),
    Sheet("xl.sheet.reports", ("xl.code", "xl.fiscal_year", "xl.quarter", "xl.status", "xl.late", "xl.submitted_at",
                               "xl.output_progress", "xl.outcome_progress", "xl.planned", "xl.disbursed",
                               "xl.shortfall", "xl.problems"), _reports, money=frozenset({8, 9})),
    Sheet("xl.sheet.kpi_values", ("xl.code", "xl.fiscal_year", "xl.quarter", "xl.kpi_id", "xl.kpi", "xl.value",
                                  "xl.target"), _kpi_values),
    Sheet("xl.sheet.activity_progress", ("xl.code", "xl.fiscal_year", "xl.quarter", "xl.activity_id",
                                         "xl.activity_number", "xl.activity", "xl.activity_state", "xl.percent"),
          _activity_progress),
    Sheet("xl.sheet.contributions", ("xl.code", "xl.fiscal_year", "xl.quarter", "xl.plan_code", "xl.plan_title",
                                     "xl.contribution"), _contributions),
    Sheet("xl.sheet.evidence", ("xl.code", "xl.fiscal_year", "xl.quarter", "xl.file_id", "xl.file_kind",
                                "xl.file_name", "xl.file_type", "xl.file_size", "xl.file_received"), _evidence),
)


class _Writer:
    """An xlsxwriter workbook in constant-memory mode: each row goes to a temporary file as it is written, so
    memory stays flat whatever the number of projects. Text is always written as text, never as a formula or a
    link (a project named ``=HYPERLINK(…)`` stays a name)."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"constant_memory": True, "strings_to_formulas": False,
                                                      "strings_to_urls": False, "strings_to_numbers": False})
        self.bold = self.book.add_format({"bold": True})
        self.baht = self.book.add_format({"num_format": BAHT})
        self.sheet: Any = None
        self.row = 0

    def start(self, sheet: Sheet) -> None:
        """A new sheet with its bold header row, frozen under the header."""
        self.sheet, self.row = self.book.add_worksheet(render(sheet.title_key)), 1
        self.sheet.freeze_panes(1, 0)
        for column in sheet.money:
            self.sheet.set_column(column, column, 16)
        self.sheet.write_row(0, 0, [render(key) for key in sheet.headers], self.bold)

    def write(self, sheet: Sheet, rows: list[list[Any]]) -> None:
        """Append rows to the current sheet."""
        for row in rows:
            for column, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    self.sheet.write_string(self.row, column, value)
                elif isinstance(value, int | float | Decimal):
                    self.sheet.write_number(self.row, column, float(value),
                                            self.baht if column in sheet.money else None)
                else:
                    self.sheet.write_string(self.row, column, str(value))
            self.row += 1

    def close(self) -> bytes:
        """The finished file (the temporary files go with it)."""
        self.book.close()
        return self.buffer.getvalue()


async def export_workbook(user: User, *, fiscal_year: int | None = None, progress: Progress | None = None) -> bytes:
    """The workbook of every project the user may see (of one fiscal year, if given), as .xlsx bytes.

    Sheet by sheet, a few hundred projects at a time: their rows are read (through each table's project index),
    then written in a worker thread (CPU work that would otherwise stall every other chat). Memory stays that
    of one chunk; ``progress`` hears (sheet, projects done, projects in all) after each. One export at a time.
    """
    filters = scope(user) | ({"fiscal_year": fiscal_year} if fiscal_year else {})
    ids = [int(str(pk)) for pk in await Project.filter(**filters).order_by("code").values_list("id", flat=True)]
    note = progress or (lambda sheet, done, total: None)
    async with _one_at_a_time():
        writer = _Writer()
        for sheet in SHEETS:
            writer.start(sheet)
            for start in range(0, len(ids), PROJECTS_AT_ONCE):
                rows = await sheet.fetch(ids[start:start + PROJECTS_AT_ONCE])
                await asyncio.to_thread(writer.write, sheet, rows)
                note(sheet.title_key, min(start + PROJECTS_AT_ONCE, len(ids)), len(ids))
        return await asyncio.to_thread(writer.close)


_gate: asyncio.Semaphore | None = None


def _one_at_a_time() -> asyncio.Semaphore:
    """Exports are written one after another: each may take seconds of CPU and its rows' memory."""
    global _gate
    if _gate is None:
        _gate = asyncio.Semaphore(1)
    return _gate
