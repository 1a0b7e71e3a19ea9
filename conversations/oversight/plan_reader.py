"""Reading the annual action plan's workbook: every cell through the chat's parsers and checks.

Each cell is turned into the text a person would have typed (a number as digits, a date cell as an ISO date)
and parsed by ``parse_typed`` as the question's answer in chat is; the flow's cross-field checks (dates in the
fiscal year, quarter plans adding up, sub-activities within their parent) run on the whole project. Every
problem becomes a :class:`CellError` (sheet, row, column, value, and what is accepted); nothing is decided
here that needs the database (owners, plan codes): those are handed on with where they were written. The cells
and the results (:class:`Where`, :class:`CellError`, :class:`ProjectRow`, :class:`ReadPlan`) are
:mod:`conversations.oversight.plan_cells`'s, named here too for the modules that import them from the reader.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from conversations.copy import render
from conversations.copy.reference import PROVINCES
from conversations.engine.answers import Options, parse_typed
from conversations.engine.questions import applies
from conversations.flows.checks import CHECKS, CheckInput
from conversations.flows.flow import Flow, Group, Kind, Question
from conversations.formatting import plain_decimal
from conversations.oversight.field_columns import Column, question_columns
from conversations.oversight.plan_cells import (
    Answers,
    CellError,
    Cells,
    ProjectRow,
    ReadPlan,
    SheetRows,
    Where,
    column_title,
)
from conversations.oversight.plan_layout import (
    NUMBER,
    OFFICE_CODE,
    PLAN_CODE,
    REFERENCE,
    PlanSheet,
    group,
    plan_sheets,
    top_questions,
)
from conversations.parsers.choices import parse_yes_no
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.numbers import parse_money

MAX_BYTES = 10 * 1024 * 1024  # a chat file's limit too (conversations.messages.MAX_ATTACHMENT_BYTES)
OFFICE = Column("xl.office_code", OFFICE_CODE)
MAX_KEY = 100  # models.imports.ImportKey.key

__all__ = ["MAX_BYTES", "CellError", "PlanReader", "ProjectRow", "ReadPlan", "Where", "WorkbookRefused", "move_date",
           "read_plan"]


class WorkbookRefused(ValueError):
    """The file cannot be read as a plan at all (too big, not a workbook, no projects sheet): ``reason`` is a copy
    key, ``params`` its placeholders."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason, self.params = reason, params

    def text(self) -> str:
        """The explanation, in Thai."""
        return render(self.reason, **self.params)


def _options(question: Question) -> Options:
    if question.source == "provinces":
        return [(str(index), name) for index, name in enumerate(PROVINCES)]
    return [(option.value, render(option.label)) for option in question.options]


def move_date(value: str, years: int) -> str:
    """An ISO date moved by whole years (29 February to the 28th)."""
    day = date.fromisoformat(value)
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:
        return day.replace(year=day.year + years, day=28).isoformat()


class PlanReader:
    """Reads one workbook into projects' answers, collecting every error."""

    def __init__(self, flow: Flow, *, office_code: str, fiscal_year: int | None) -> None:
        self.flow, self.office_code, self.fiscal_year = flow, office_code, fiscal_year
        self.errors: list[CellError] = []
        self.sheets = {sheet.title_key: sheet for sheet in plan_sheets(flow)}

    def fail(self, where: Where, reason: str, **params: object) -> None:
        """Note a problem of a cell: its copy key rendered, as chat would say it."""
        self.errors.append(CellError(where, render(reason, **params)))

    def parse(self, question: Question, text: str, where: Where, item: Answers | None = None) -> Any:
        """A cell as the question's answer, or None (the error noted)."""
        try:
            value = parse_typed(question, text, _options(question), item or {})
        except InvalidAnswer as problem:
            self.fail(where, problem.reason, **problem.params)
            return None
        return plain_decimal(Decimal(value)) if question.kind is Kind.NUMBER else value  # as a saved one reads

    def check(self, question: Question, value: Any, where: Where, answers: Answers, item: Answers | None = None,
              parent: Answers | None = None) -> bool:
        """The question's cross-field check, as chat runs it when the answer is given; False when it fails."""
        if not question.check or value is None:
            return True
        try:
            CHECKS[question.check](CheckInput(value, answers, item, parent))
        except InvalidAnswer as problem:
            self.fail(where, problem.reason, **problem.params)
            return False
        return True

    def answer(self, question: Question, cells: Cells, target: Answers, answers: Answers,
               sheet: PlanSheet) -> dict[str, Where]:
        """Put the question's answer (from its column, or columns) into ``target``; return where it came from.

        Columns are found by the field they hold: a sub-activity's name is in its activity's column."""
        titles = [column_title(sheet, column.field) for column in question_columns(question)]
        found = {title: cells[title] for title in titles if title in cells}
        if not found:
            return {}
        if question.kind is Kind.MULTI and not question.column:
            chosen = []
            for option, title in zip(question.options, titles, strict=True):
                if title in found:
                    text, where = found[title]
                    try:
                        if parse_yes_no(text):
                            chosen.append(option.value)
                    except InvalidAnswer as problem:
                        self.fail(where, problem.reason, **problem.params)
            target[question.key] = chosen
        elif question.kind is Kind.QUARTER_PLAN:
            plan = []
            for title in titles:
                text, where = found.get(title, ("", next(iter(found.values()))[1]))
                try:
                    plan.append(str(parse_money(text)) if text else "0.00")
                except InvalidAnswer as problem:
                    self.fail(where, problem.reason, **problem.params)
            if len(plan) == len(titles):
                target[question.key] = plan
        else:
            text, where = found[titles[0]]
            value = self.parse(question, text, where, target if target is not answers else None)
            if value is not None:
                target[question.key] = value
        return {question.key: next(iter(found.values()))[1]}

    def read(self, book: Any) -> ReadPlan:
        projects = self.projects(SheetRows(book, self.sheets["xl.sheet.projects"]))
        by_key = {project.key: project for project in projects}
        self.links(SheetRows(book, self.sheets["xl.sheet.plan_links"]), by_key)
        self.items(SheetRows(book, self.sheets["xl.sheet.kpis"]), by_key, group(self.flow, "kpis"))
        self.activities(SheetRows(book, self.sheets["xl.sheet.activities"]), by_key)
        self.items(SheetRows(book, self.sheets["xl.sheet.budget"]), by_key, group(self.flow, "budget_lines"))
        return ReadPlan(projects, self.errors)

    def projects(self, rows: SheetRows) -> list[ProjectRow]:
        key_title = rows.sheet.columns[0].title()
        office = OFFICE.title()  # the export writes it, the template leaves it out
        projects: list[ProjectRow] = []
        seen: dict[str, int] = {}
        objectives = group(self.flow, "objectives")
        for cells in rows:
            first = next(iter(cells.values()))[1]
            text, where = cells.get(key_title, ("", Where(rows.sheet.title, first.row, key_title, "")))
            if not text:
                self.fail(where, "imp.key_required")
                continue
            if len(text) > MAX_KEY:
                self.fail(where, "imp.key_too_long", limit=MAX_KEY)
                continue
            if text in seen:
                self.fail(where, "imp.key_twice", row=seen[text])
                continue
            seen[text] = where.row
            if office in cells and cells[office][0].upper() != self.office_code.upper():
                self.fail(cells[office][1], "imp.other_office", office=self.office_code)
                continue
            project = ProjectRow(text, where)
            places: dict[str, Where] = {}
            for question in top_questions(self.flow):
                places |= self.answer(question, cells, project.answers, project.answers, rows.sheet)
            self.objectives(objectives, cells, project.answers)
            self.year(project, places, where)
            for question in top_questions(self.flow):
                if question.key in places:
                    self.check(question, project.answers.get(question.key), places[question.key], project.answers)
            project.owner_at = places.get("owner_email") or places.get("owner_name")
            if project.owner_at is None:
                self.fail(Where(rows.sheet.title, where.row, self._title("owner_name"), ""), "imp.owner_required")
            projects.append(project)
        return projects

    def _title(self, key: str) -> str:
        question = next(question for question in top_questions(self.flow) if question.key == key)
        return question_columns(question)[0].title()

    def objectives(self, objectives: Group, cells: Cells, answers: Answers) -> None:
        [question] = objectives.questions
        header = column_title(self.sheets["xl.sheet.projects"], objectives.key)
        if header not in cells:
            return
        text, where = cells[header]
        items = []
        for line in (part.strip() for part in text.splitlines()):
            if line:
                value = self.parse(question, line, where)
                if value is not None:
                    items.append({question.key: value})
        if items:
            answers[objectives.key] = items

    def year(self, project: ProjectRow, places: dict[str, Where], where: Where) -> None:
        """The project's fiscal year: the row's, or the year asked for, its dates moved by as many years."""
        answers = project.answers
        given = answers.get("fiscal_year")
        if self.fiscal_year is None:
            if given is None and "fiscal_year" not in places:
                self.fail(Where(where.sheet, where.row, self._title("fiscal_year"), ""), "imp.year_required")
            return
        answers["fiscal_year"] = self.fiscal_year
        if isinstance(given, int) and given != self.fiscal_year:
            for question in top_questions(self.flow):
                if question.kind is Kind.DATE and isinstance(answers.get(question.key), str):
                    answers[question.key] = move_date(answers[question.key], self.fiscal_year - given)

    def project_of(self, rows: SheetRows, cells: Cells, by_key: dict[str, ProjectRow]
                 ) -> ProjectRow | None:
        """The project a row of another sheet belongs to, or None (the error noted)."""
        key_title = rows.sheet.columns[0].title()
        first = next(iter(cells.values()))[1]
        text, where = cells.get(key_title, ("", Where(rows.sheet.title, first.row, key_title, "")))
        project = by_key.get(text)
        if project is None:
            self.fail(where, "imp.key_unknown" if text else "imp.key_required",
                      sheet=self.sheets["xl.sheet.projects"].title)
        return project

    def links(self, rows: SheetRows, by_key: dict[str, ProjectRow]) -> None:
        code_title = column_title(rows.sheet, PLAN_CODE)
        reference_title = column_title(rows.sheet, REFERENCE)
        for cells in rows:
            project = self.project_of(rows, cells, by_key)
            if project is None:
                continue
            if code_title not in cells:
                first = next(iter(cells.values()))[1]
                self.fail(Where(rows.sheet.title, first.row, code_title, ""), "imp.plan_code_required")
                continue
            code, where = cells[code_title]
            reference = cells.get(reference_title, ("", where))[0]
            project.links.append((code.upper(), where))
            project.answers.setdefault("plan_links", []).append({"code": code.upper(), "ref": reference})

    def items(self, rows: SheetRows, by_key: dict[str, ProjectRow], listed: Group) -> None:
        for cells in rows:
            project = self.project_of(rows, cells, by_key)
            if project is not None:
                item = self.item(listed, cells, project.answers, rows.sheet)
                if item is not None:
                    project.answers.setdefault(listed.key, []).append(item)

    def item(self, listed: Group, cells: Cells, answers: Answers, sheet: PlanSheet,
             parent: Answers | None = None) -> Answers | None:
        """One list item's answers (checked with its project's and its parent's), or None when a cell is wrong."""
        before = len(self.errors)
        item: Answers = {}
        places: dict[str, Where] = {}
        for question in listed.questions:
            if _applies(question, item):
                places |= self.answer(question, cells, item, answers, sheet)
        first = next(iter(cells.values()))[1]
        if len(self.errors) > before:
            return None  # what a wrong cell would have said is not guessed: no checks on the rest of the row
        for question in listed.questions:
            if not _applies(question, item):
                continue
            if question.key not in item and not question.optional:
                title = column_title(sheet, question_columns(question)[0].field)
                self.fail(Where(first.sheet, first.row, title, ""), "imp.cell_required")
            elif question.key in places:
                self.check(question, item.get(question.key), places[question.key], answers, item, parent)
        return item if len(self.errors) == before else None

    def activities(self, rows: SheetRows, by_key: dict[str, ProjectRow]) -> None:
        activities = group(self.flow, "activities")
        children = activities.children
        assert children is not None
        number_title = column_title(rows.sheet, NUMBER)
        numbered: dict[str, list[tuple[tuple[int, ...], Cells]]] = defaultdict(list)
        for cells in rows:
            project = self.project_of(rows, cells, by_key)
            if project is None:
                continue
            first = next(iter(cells.values()))[1]
            text, where = cells.get(number_title, ("", Where(rows.sheet.title, first.row, number_title, "")))
            parts = tuple(int(part) for part in text.split(".") if part.isdigit()) if text else ()
            if not parts or len(parts) > 2 or ".".join(map(str, parts)) != text.strip():
                self.fail(where, "imp.bad_number")
                continue
            numbered[project.key].append((parts, cells))
        for key, rows_of in numbered.items():
            answers = by_key[key].answers
            tops: dict[int, Answers] = {}
            seen: dict[tuple[int, ...], int] = {}
            failed: set[int] = set()  # activities with a wrong cell: their sub-activities are not judged on guesses
            for parts, cells in sorted(rows_of, key=lambda pair: pair[0]):
                first = next(iter(cells.values()))[1]
                number = ".".join(map(str, parts))
                if parts in seen:
                    self.fail(Where(first.sheet, first.row, number_title, number), "imp.number_twice", row=seen[parts])
                    continue
                seen[parts] = first.row
                if len(parts) == 1:
                    item = self.item(activities, cells, answers, rows.sheet)
                    if item is None:
                        failed.add(parts[0])
                    else:
                        tops[parts[0]] = item | {children.key: []}
                        answers.setdefault(activities.key, []).append(tops[parts[0]])
                    continue
                parent = tops.get(parts[0])
                if parent is None:
                    if parts[0] not in failed:
                        self.fail(Where(first.sheet, first.row, number_title, number), "imp.no_parent",
                                  parent=parts[0])
                    continue
                child = self.item(children, cells, answers, rows.sheet, parent)
                if child is not None:
                    parent[children.key].append(child)


def _applies(question: Question, item: Answers) -> bool:
    return applies(question.when, item)


def read_plan(content: bytes, flow: Flow, *, office_code: str, fiscal_year: int | None = None) -> ReadPlan:
    """The plan in a workbook's bytes; :class:`WorkbookRefused` when it is too big or not a workbook at all."""
    if len(content) > MAX_BYTES:
        raise WorkbookRefused("imp.too_big", limit=MAX_BYTES // (1024 * 1024))
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise WorkbookRefused("imp.not_workbook") from error
    try:
        if render("xl.sheet.projects") not in book.sheetnames:
            raise WorkbookRefused("imp.no_projects_sheet", sheet=render("xl.sheet.projects"))
        plan = PlanReader(flow, office_code=office_code, fiscal_year=fiscal_year).read(book)
    finally:
        book.close()
    if not plan.projects and not plan.errors:
        raise WorkbookRefused("imp.no_projects", sheet=render("xl.sheet.projects"))
    return plan
