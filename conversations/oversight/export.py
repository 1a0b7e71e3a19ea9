"""The Excel export: one wide sheet of projects and long sheets of their parts and reports, keyed to re-join.

Every sheet carries the project's code (and the fiscal year and quarter for report rows), so that a pivot
table or a lookup joins them again; activities name their parent activity's id and carry the registration's
numbers (``2``, ``2.1``), parents first. Headers and values are Thai (statuses, types, sources, categories,
activity states: the labels people read, never the stored codes), dates are written as officials write them
(``1 ต.ค. 2569``), money has the baht number format. Only projects the person may see are exported.

The columns come from the flows' declarations (``conversations.oversight.field_columns``): a question added to a flow is
exported with the rest. What is not a question (codes, offices, statuses, numbers, sums) is declared here.
"""

from __future__ import annotations

import asyncio
import io
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

import xlsxwriter

from conversations.copy import render
from conversations.flows.flow import Flow, FlowId, Group, JsonItems, Rows, groups
from conversations.flows.registry import FLOWS
from conversations.oversight.field_columns import Column, item_columns, record_columns
from conversations.oversight.monitoring import scope
from conversations.service.field_store import relation_of
from models.enums import ItemStatus
from models.org import User
from models.plans import PlanNode
from models.project import Activity, Project, ProjectPlanLink
from models.report import ActivityProgress, KpiValue, QuarterReport, ReportAttachment

BAHT = "#,##0.00"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Progress = Callable[[str, int, int], None]  # sheet, projects done, projects in all
PROJECTS_AT_ONCE = 500  # projects whose rows are read and written together (SQLite allows 999 parameters)

# the copy key family of each stored code's Thai label, for the codes that are not a question's options
LABELS: dict[type[StrEnum], str] = {ItemStatus: "xl.status"}
FILE_KINDS = ("image", "document")


def label(kind: type[StrEnum], value: Any) -> str:
    """A stored code as the Thai label people read (``approved`` → อนุมัติแล้ว); empty when there is none."""
    if value is None or value == "":
        return ""
    return render(f"{LABELS[kind]}.{kind(value).value}")


def _status(value: Any) -> str:
    return label(ItemStatus, value)


RowDicts = list[dict[str, Any]]
Fetch = Callable[[list[int], list[str]], Awaitable[RowDicts]]


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet: its title (a copy key), its columns, and how to read the rows of a few projects, given their
    ids in code order and the fields the columns read."""

    title_key: str
    columns: tuple[Column, ...]
    fetch: Fetch

    @property
    def money(self) -> frozenset[int]:
        """The 0-based positions of the money columns (baht format)."""
        return frozenset(index for index, column in enumerate(self.columns) if column.money)

    def fields(self) -> list[str]:
        """The database fields the columns read."""
        return [column.field for column in self.columns if not column.computed]

    def cells(self, rows: RowDicts) -> list[list[Any]]:
        """Rows as cells, column by column."""
        return [[column.show(row[column.field]) for column in self.columns] for row in rows]

    def titles(self) -> list[str]:
        """The header row as people read it."""
        return [column.title() for column in self.columns]

    async def read(self, ids: list[int]) -> list[list[Any]]:
        """The cells of these projects' rows."""
        return self.cells(await self.fetch(ids, self.fields()))


def _group(flow: Flow, key: str) -> Group:
    return next(group for group in groups(flow) if group.key == key)


CODE = Column("xl.code", "project__code")
REPORT_KEY = (Column("xl.code", "report__project__code"), Column("xl.fiscal_year", "report__fiscal_year"),
              Column("xl.quarter", "report__quarter"))


async def _projects(ids: list[int], fields: list[str]) -> RowDicts:
    return await Project.filter(id__in=ids).order_by("code").values(*fields)


async def _links(ids: list[int], fields: list[str]) -> RowDicts:
    return await ProjectPlanLink.filter(project_id__in=ids).order_by("project__code", "id").values(*fields)


def _rows_of(group: Group) -> Fetch:
    """The rows of one of the project's lists, project by project in the list's order."""
    store = group.store
    assert isinstance(store, Rows)

    async def fetch(ids: list[int], fields: list[str]) -> RowDicts:
        model, owner_column = relation_of(Project, store)  # reverse relations exist once Tortoise has started
        rows: RowDicts = await model.filter(**{f"{owner_column}__in": ids}).order_by(
            "project__code", "position", "id").values(*fields)
        return rows
    return fetch


async def _activity_tree(ids: list[int], fields: Iterable[str] = ()) -> RowDicts:
    """Every activity of the projects, each parent before its sub-activities, with its registration number
    (``2``, ``2.1``) as ``number``."""
    rows = await Activity.filter(project_id__in=ids).order_by("project__code", "position", "id").values(
        *{"project__code", "id", "parent_id", "name", *fields})
    children: dict[int, RowDicts] = defaultdict(list)
    for row in rows:
        if row["parent_id"] is not None:
            children[row["parent_id"]].append(row)
    known = {row["id"] for row in rows}
    ordered: RowDicts = []

    def place(number: str, row: dict[str, Any]) -> None:
        ordered.append(row | {"number": number})
        for index, child in enumerate(children[row["id"]], start=1):
            place(f"{number}.{index}", child)

    numbers: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["parent_id"] is None or row["parent_id"] not in known:  # the others are placed under their parent
            numbers[row["project__code"]] += 1
            place(str(numbers[row["project__code"]]), row)
    return ordered


async def _reports(ids: list[int], fields: list[str]) -> RowDicts:
    return await QuarterReport.filter(project_id__in=ids).order_by("project__code", "fiscal_year", "quarter").values(
        *fields)


async def _kpi_values(ids: list[int], fields: list[str]) -> RowDicts:
    return await KpiValue.filter(report__project_id__in=ids).order_by(
        "report__project__code", "report__fiscal_year", "report__quarter", "kpi_id").values(*fields)


async def _activity_progress(ids: list[int], fields: list[str]) -> RowDicts:
    """Each report's activities: state and percent, in the registration's order and numbers."""
    order = {row["id"]: (position, row["number"], row["name"])
             for position, row in enumerate(await _activity_tree(ids))}
    rows = await ActivityProgress.filter(report__project_id__in=ids).values(*fields)
    rows.sort(key=lambda row: (row["report__project__code"], row["report__fiscal_year"], row["report__quarter"],
                               order.get(row["activity_id"], (len(order), "", ""))[0]))
    return [row | {"number": order.get(row["activity_id"], (0, "", ""))[1],
                   "name": order.get(row["activity_id"], (0, "", ""))[2]} for row in rows]


def _contributions(group: Group) -> Fetch:
    """Each report's contribution to each linked plan (and law), one row per plan, in the links' order."""
    store = group.store
    assert isinstance(store, JsonItems)
    [question] = group.questions

    async def fetch(ids: list[int], fields: list[str]) -> RowDicts:
        reports = await QuarterReport.filter(project_id__in=ids).order_by(
            "project__code", "fiscal_year", "quarter").values("project_id", "project__code", "fiscal_year",
                                                              "quarter", store.column)
        codes = {key.partition(":")[0] for row in reports for key in (row[store.column] or {})}
        titles = dict(await PlanNode.filter(code__in=sorted(codes)).values_list("code", "title_th")) if codes else {}
        links = await ProjectPlanLink.filter(project_id__in=ids).order_by("position", "id").values(
            "project_id", "plan_node__code", "reference_text")
        place = {(link["project_id"], f"{link['plan_node__code']}:{link['reference_text']}" if link["reference_text"]
                  else link["plan_node__code"]): index for index, link in enumerate(links)}  # the links' own order
        rows: RowDicts = []
        for row in reports:
            contributions = row[store.column] or {}
            for key in sorted(contributions, key=lambda key: (place.get((row["project_id"], key), len(place)), key)):
                code, _, reference = key.partition(":")
                rows.append({"report__project__code": row["project__code"], "report__fiscal_year": row["fiscal_year"],
                             "report__quarter": row["quarter"], "plan_code": code,
                             "plan_title": reference or titles.get(code, ""), question.column: contributions[key]})
        return rows
    return fetch


def _file_kind(kind: Any) -> Any:
    return render(f"xl.file.{kind}") if kind in FILE_KINDS else kind


async def _evidence(ids: list[int], fields: list[str]) -> RowDicts:
    """Each report's evidence files (their names and sizes; the files stay in the report)."""
    return await ReportAttachment.filter(report__project_id__in=ids).order_by(
        "report__project__code", "report__fiscal_year", "report__quarter", "id").values(*fields)


def sheets(registration: Flow, report: Flow) -> tuple[Sheet, ...]:
    """The workbook's sheets, their columns derived from the two flows' declarations (plus the explicit extra
    columns that are not questions: codes, offices, statuses, numbers, sums)."""
    activities = _group(registration, "activities")
    contributions = _group(report, "plan_contributions")
    return (
        Sheet("xl.sheet.projects", record_columns(registration, first=(
            Column("xl.code", "code"), Column("xl.emenscr_id", "emenscr_id"), "fiscal_year",
            Column("xl.office_code", "office__code"), Column("xl.office", "office__name"),
            Column("xl.status", "status", _status)), last=(
            Column("xl.submitted_at", "submitted_at"), Column("xl.decided_at", "decided_at"))), _projects),
        Sheet("xl.sheet.plan_links", (CODE, Column("xl.plan_code", "plan_node__code"),
                                      Column("xl.plan_level", "plan_node__level"),
                                      Column("xl.plan_title", "plan_node__title_th"),
                                      Column("xl.reference", "reference_text")), _links),
        Sheet("xl.sheet.kpis", item_columns(_group(registration, "kpis"), first=(CODE, Column("xl.kpi_id", "id"))),
              _rows_of(_group(registration, "kpis"))),
        Sheet("xl.sheet.activities", item_columns(activities, first=(
            CODE, Column("xl.activity_id", "id"), Column("xl.parent_id", "parent_id")), last=(
            Column("xl.activity_number", "number", computed=True),)), _activity_tree),
        Sheet("xl.sheet.budget", item_columns(_group(registration, "budget_lines"), first=(
            CODE, Column("xl.line_id", "id"))), _rows_of(_group(registration, "budget_lines"))),
        Sheet("xl.sheet.reports", record_columns(report, first=(
            CODE, Column("xl.fiscal_year", "fiscal_year"), Column("xl.quarter", "quarter"),
            Column("xl.status", "status", _status), Column("xl.late", "late"),
            Column("xl.submitted_at", "submitted_at"), "output_progress", "outcome_progress",
            Column("xl.planned", "planned_amount", money=True))), _reports),
        Sheet("xl.sheet.kpi_values", item_columns(_group(report, "kpi_values"), first=(
            *REPORT_KEY, Column("xl.kpi_id", "kpi_id"), Column("xl.kpi", "kpi__name")), last=(
            Column("xl.target", "kpi__target_value"),)), _kpi_values),
        Sheet("xl.sheet.activity_progress", item_columns(_group(report, "activity_progress"), first=(
            *REPORT_KEY, Column("xl.activity_id", "activity_id"),
            Column("xl.activity_number", "number", computed=True),
            Column("xl.activity", "name", computed=True))), _activity_progress),
        Sheet("xl.sheet.contributions", item_columns(contributions, first=(
            *REPORT_KEY, Column("xl.plan_code", "plan_code", computed=True),
            Column("xl.plan_title", "plan_title", computed=True))), _contributions(contributions)),
        Sheet("xl.sheet.evidence", (*REPORT_KEY, Column("xl.file_id", "id"), Column("xl.file_kind", "kind", _file_kind),
                                    Column("xl.file_name", "filename"), Column("xl.file_type", "mime_type"),
                                    Column("xl.file_size", "size", lambda size: round(size / 1024, 1)),
                                    Column("xl.file_received", "created_at")), _evidence),
    )


def current_sheets() -> tuple[Sheet, ...]:
    """The workbook's sheets for the flows as they are declared now."""
    return sheets(FLOWS[FlowId.REGISTER], FLOWS[FlowId.REPORT])


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
        self.sheet.write_row(0, 0, sheet.titles(), self.bold)

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


async def export_workbook(user: User, *, fiscal_year: int | None = None, progress: Progress | None = None,
                          layout: tuple[Sheet, ...] | None = None) -> bytes:
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
        for sheet in layout or current_sheets():
            writer.start(sheet)
            for start in range(0, len(ids), PROJECTS_AT_ONCE):
                rows = await sheet.read(ids[start:start + PROJECTS_AT_ONCE])
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
