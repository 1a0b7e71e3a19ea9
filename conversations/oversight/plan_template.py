"""The annual action plan's template (and the list of a refused file's errors) as workbooks.

The template's sheets and headers are the importer's (``plan_layout``), so a column added to the registration
flow appears in both. Choices get Excel's drop-down lists (types, sources, categories, yes/no, fiscal years);
the outline numbers are text, so that ``1.10`` stays ``1.10``. Filled from an office's projects, it is the
export's registration sheets less the database's columns: a year's plan to edit and import for the next.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from conversations.copy import render
from conversations.flows.flow import Flow, Kind, Question
from conversations.oversight.export import current_sheets
from conversations.oversight.field_columns import question_columns, words
from conversations.oversight.plan_cells import CellError
from conversations.oversight.plan_layout import NUMBER, PlanSheet, group, plan_sheets, top_questions

LIST_ROWS = 2000  # rows that get the drop-down lists
BAD = "FFC7CE"  # Excel's own "bad" fill


def _choices(question: Question, fiscal_years: Sequence[int]) -> list[str]:
    if question.kind is Kind.FISCAL_YEAR:
        return [str(year) for year in fiscal_years]
    if question.kind is Kind.YES_NO:
        return [render("value.yes"), render("value.no")]
    if question.kind is Kind.CHOICE and question.options and not question.source:
        return [words(render(option.label)) for option in question.options]
    return []


def _lists(flow: Flow, fiscal_years: Sequence[int]) -> dict[str, list[str]]:
    """Each column's drop-down list, by header: choices, yes/no (a multi-select's options too), fiscal years."""
    questions = [*top_questions(flow), *(question for key in ("kpis", "budget_lines") for question in
                                        group(flow, key).questions)]
    lists: dict[str, list[str]] = {}
    for question in questions:
        if question.kind is Kind.MULTI and not question.column:
            for column in question_columns(question):
                lists[column.title()] = [render("value.yes"), render("value.no")]
        elif choices := _choices(question, fiscal_years):
            lists[question_columns(question)[0].title()] = choices
    return lists


def template_workbook(flow: Flow, fiscal_years: Sequence[int],
                      filled: dict[str, list[list[Any]]] | None = None) -> bytes:
    """The template as .xlsx bytes: the instructions, then each plan sheet (with ``filled`` rows by sheet key)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7"})
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheets = plan_sheets(flow)
    titles = {sheet.title_key: sheet.title for sheet in sheets}
    instructions = book.add_worksheet(render("imp.sheet.instructions"))
    instructions.set_column(0, 0, 120, wrap)
    owner, owner_email = (question_columns(question)[0].title() for question in top_questions(flow)
                          if question.key in ("owner_name", "owner_email"))
    for row, line in enumerate(render(
            "imp.instructions", projects=titles["xl.sheet.projects"], row_id=render("xl.code"), owner=owner,
            owner_email=owner_email, objectives=_title(sheets[0], "objectives"),
            activities=titles["xl.sheet.activities"], number=render("xl.activity_number"),
            budget=titles["xl.sheet.budget"], links=titles["xl.sheet.plan_links"]).splitlines()):
        instructions.write_string(row, 0, line)
    lists = _lists(flow, fiscal_years)
    for sheet in sheets:
        page = book.add_worksheet(sheet.title)
        page.freeze_panes(1, 1)
        for index, column in enumerate(sheet.columns):
            page.write_string(0, index, column.title(), bold)
            page.set_column(index, index, 14 if column.money else 22, text if column.field == NUMBER else None)
            if choices := lists.get(column.title()):
                page.data_validation(1, index, LIST_ROWS, index, {
                    "validate": "list", "source": choices, "error_type": "warning",
                    "error_message": render("imp.list_hint", choices=", ".join(choices))})
        for row, cells in enumerate((filled or {}).get(sheet.title_key, []), start=1):
            for index, value in enumerate(cells):
                _write(page, row, index, value)
    book.close()
    return buffer.getvalue()


def _write(page: Any, row: int, column: int, value: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        page.write_string(row, column, str(value))
    else:
        page.write_number(row, column, float(value))


def _title(sheet: PlanSheet, field_name: str) -> str:
    return next(column.title() for column in sheet.columns if column.field == field_name)


async def filled_rows(flow: Flow, ids: list[int]) -> dict[str, list[list[Any]]]:
    """The plan sheets' rows of these projects, as the export writes them (its cells, the plan's columns)."""
    exported = {sheet.title_key: sheet for sheet in current_sheets()}
    rows: dict[str, list[list[Any]]] = {}
    for sheet in plan_sheets(flow):
        source = exported[sheet.title_key]
        fields = [column.field for column in source.columns]
        keep = [fields.index(column.field) for column in sheet.columns]
        rows[sheet.title_key] = [[cells[index] for index in keep] for cells in await source.read(ids)]
    return rows


def errors_workbook(content: bytes, errors: Iterable[CellError]) -> bytes:
    """The sent workbook with each bad cell filled red and a first sheet listing every error."""
    book = load_workbook(io.BytesIO(content))
    fill = PatternFill(start_color=BAD, end_color=BAD, fill_type="solid")
    listing = book.create_sheet(render("imp.sheet.errors"), 0)
    listing.append([render(key) for key in ("imp.col.sheet", "imp.col.row", "imp.col.column", "imp.col.value",
                                            "imp.col.problem")])
    for error in errors:
        where = error.where
        listing.append([where.sheet, where.row, where.column, where.value, error.problem])
        if where.sheet in book.sheetnames:
            page = book[where.sheet]
            headers = [cell.value for cell in page[1]]
            if where.column in headers:
                page.cell(row=where.row, column=headers.index(where.column) + 1).fill = fill
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = ["errors_workbook", "filled_rows", "template_workbook"]
