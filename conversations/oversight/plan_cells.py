"""A plan workbook as cells, and what reading it hands on: each cell's text as a person would have typed it and
where it was written, a sheet's rows by header, the projects read and the errors of cells.

Apart from :mod:`conversations.oversight.plan_reader`, which puts these cells through the chat's parsers and
checks, so that what takes a read plan (the import; the workbook sent back with each bad cell filled red) names
the results without the reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from conversations.copy import render
from conversations.oversight.plan_layout import PlanSheet
from conversations.parsers.thai_text import excerpt

Answers = dict[str, Any]
Cells = dict[str, tuple[str, "Where"]]  # a row's filled cells by header: (text, where)


@dataclass(frozen=True, slots=True)
class Where:
    """A cell: its sheet, its row as Excel numbers it, its column's header and what it held."""

    sheet: str
    row: int
    column: str
    value: str


@dataclass(frozen=True, slots=True)
class CellError:
    """A cell that cannot be taken, and why (in Thai, saying what is accepted)."""

    where: Where
    problem: str

    def line(self) -> str:
        """The error as one line of the answer."""
        return render("imp.error_line", sheet=self.where.sheet, row=self.where.row, column=self.where.column,
                      value=self.where.value or render("imp.empty_cell"), problem=self.problem)


@dataclass(slots=True)
class ProjectRow:
    """One project of the plan: its row id, its answers in the chat's form, and what the database must settle."""

    key: str
    where: Where  # its row id's cell
    answers: Answers = field(default_factory=dict)
    owner_at: Where | None = None  # the owner's email (or else name) cell
    links: list[tuple[str, Where]] = field(default_factory=list)  # plan codes and their cells


@dataclass(slots=True)
class ReadPlan:
    """The workbook's projects, in their order, and every problem found."""

    projects: list[ProjectRow]
    errors: list[CellError]


def cell_text(value: Any) -> str:
    """A cell as a person would have typed it: digits without a float's ``.0``, a date cell as an ISO date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return render("value.yes" if value else "value.no")
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        number = Decimal(repr(value))
        return str(number.quantize(Decimal(1))) if number == number.to_integral_value() else format(number, "f")
    return str(value).strip()



class SheetRows:
    """A sheet's rows as {header: (cell text, where)}, skipping empty rows."""

    def __init__(self, book: Any, sheet: PlanSheet) -> None:
        self.sheet = sheet
        self.present = sheet.title in book.sheetnames
        self.book = book

    def __iter__(self) -> Iterator[Cells]:
        if not self.present:
            return
        rows = self.book[self.sheet.title].iter_rows(values_only=True)
        headers = [cell_text(value) for value in next(rows, ())]
        for number, values in enumerate(rows, start=2):
            cells = {header: (text, Where(self.sheet.title, number, header, excerpt(text)))
                     for header, value in zip(headers, values, strict=False)
                     if header and (text := cell_text(value))}
            if cells:
                yield cells




def column_title(sheet: PlanSheet, field_name: str) -> str:
    """The header of the sheet's column holding that field."""
    return next((column.title() for column in sheet.columns if column.field == field_name), field_name)


