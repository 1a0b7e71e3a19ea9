"""What a document says, read the way the Excel export reads it (its sheets' fetchers and labels).

A project's form holds M1–M5 with every plan link written out (level, code, title); a quarterly report's form
holds M6. Both are looked up within what the viewer may see (``conversations.oversight.monitoring.scope``); the
command line, run on the server by its operator, passes no viewer and sees everything.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from conversations.copy import render
from conversations.formatting import format_date, format_money, format_number, format_percent, format_quarters
from conversations.oversight.documents.form import Form, Section, Signature, Table
from conversations.oversight.export import current_sheets
from conversations.oversight.monitoring import scope
from models.enums import ItemStatus
from models.fiscal import BANGKOK
from models.org import User
from models.project import Project
from models.report import QuarterReport

Viewer = User | None  # who asks; None: the server's operator, who sees everything


class Row:
    """One row of an export sheet, its cells found by their column's header: ``row["xl.kpi"]`` is the cell under
    the header that ``xl.kpi`` renders (ตัวชี้วัด). Matched on the header people read, which the export keeps
    the same however it declares its columns; ``titled`` finds a header given as text."""

    def __init__(self, titles: list[str], cells: list[Any]) -> None:
        self._cells = dict(zip(titles, cells, strict=True))

    def __getitem__(self, key: str) -> Any:
        return self._cells[render(key)]

    def titled(self, title: str) -> Any:
        return self._cells[title]


async def _rows(title_key: str, project_id: int) -> list[Row]:
    """One export sheet's rows of one project (the only place that knows how a sheet is read)."""
    sheet = next(sheet for sheet in current_sheets() if sheet.title_key == title_key)
    titles = sheet.titles()
    return [Row(titles, cells) for cells in await sheet.read([project_id])]


def _text(value: Any) -> str:
    """A cell as printed: nothing as a dash, numbers without useless zeros."""
    if value is None or value == "":
        return render("doc.none")
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


def _money(value: Any) -> str:
    return format_money(Decimal(value)) if value is not None and value != "" else render("doc.none")


def _day(moment: datetime | None) -> str:
    return format_date(moment.astimezone(BANGKOK).date(), long=True) if moment else ""


def _contact(name: Any, phone: Any, email: Any) -> str:
    if not phone and not email:
        return _text(name)
    return render("doc.contact", name=_text(name), phone=_text(phone), email=_text(email))


def _numbered(lines: Any) -> str:
    items = [line for line in str(lines or "").split("\n") if line.strip()]
    return "\n".join(f"{index}. {line}" for index, line in enumerate(items, start=1)) or render("doc.none")


def _pairs(row: Row, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((render(key), _text(row[key])) for key in keys)


async def visible_project(code: str, viewer: User | None) -> Project | None:
    """The project with this code if the viewer may see it (``None`` as viewer: the operator, everything)."""
    filters = scope(viewer) if viewer is not None else {}
    return await Project.filter(code=code.strip().upper(), **filters).first()


def _header(project: Row) -> tuple[tuple[str, str], ...]:
    pairs = [(render("doc.office"), _text(project["xl.office"])), *_pairs(project, ("xl.fiscal_year",)),
             *_pairs(project, ("xl.code", "xl.status"))]
    if project["xl.emenscr_id"]:
        pairs.append((render("xl.emenscr_id"), _text(project["xl.emenscr_id"])))
    return tuple(pairs)


def _signatures(project: Project, submitted: datetime | None, decided: datetime | None,
                approved: bool) -> tuple[Signature, ...]:
    owner_dated = render("doc.sign.submitted", date=_day(submitted)) if submitted else render(
        "doc.sign.not_submitted")
    director_dated = render("doc.sign.approved", date=_day(decided)) if approved and decided else render(
        "doc.sign.not_approved")
    return (Signature(project.owner_name or render("doc.none"), render("doc.sign.owner"), owner_dated),
            Signature(project.director_name or render("doc.none"), render("doc.sign.director"), director_dated))


def _plan_links(links: list[Row]) -> Section:
    rows = tuple((_text(link["xl.plan_level"]), _text(link["xl.plan_code"]), _text(link["xl.plan_title"]),
                  _text(link["xl.reference"])) for link in links)
    return Section(render("doc.m1"), (("", Table(
        rows=rows, widths=(0.8, 2.6, 3.7, 2.1),
        headers=tuple(render(key) for key in ("xl.plan_level", "xl.plan_code", "xl.plan_title", "xl.reference")),
    )),))


def _general(project: Project, row: Row) -> Section:
    methods = [render(key) for key, chosen in (("xl.method_self", project.method_self),
                                               ("xl.method_contract", project.method_contract)) if chosen]
    pairs = (*_pairs(row, ("xl.name", "xl.project_type", "xl.budget_plan", "xl.uses_budget")),
             (render("doc.method"), ", ".join(methods) or render("doc.none")),
             (render("xl.director_name"), _contact(row["xl.director_name"], row["xl.director_phone"],
                                                   row["xl.director_email"])),
             (render("xl.owner_name"), _contact(row["xl.owner_name"], row["xl.owner_phone"], row["xl.owner_email"])))
    return Section(render("doc.m2"), (("", Table(rows=pairs, widths=(1.0, 3.2))),))


def _details(project: Project, row: Row, kpis: list[Row]) -> Section:
    period = render("doc.period.value", start=format_date(project.start_date, long=True),
                    end=format_date(project.end_date, long=True)) if project.start_date and project.end_date else (
        render("doc.none"))
    pairs = (*_pairs(row, ("xl.rationale",)), (render("xl.objectives"), _numbered(row["xl.objectives"])),
             *_pairs(row, ("xl.output_target", "xl.outcome_target", "xl.target_groups")),
             (render("xl.provinces"), _text(str(row["xl.provinces"] or "").replace("\n", ", "))),
             *_pairs(row, ("xl.area_detail",)), (render("doc.period"), period))
    kpi_rows = tuple((str(index), _text(kpi["xl.kpi"]), _text(kpi["xl.unit"]), _text(kpi["xl.target"]))
                     for index, kpi in enumerate(kpis, start=1))
    return Section(render("doc.m3"), (
        ("", Table(rows=pairs, widths=(1.0, 3.2))),
        (render("doc.m3.kpis"), Table(rows=kpi_rows, widths=(0.8, 4.2, 1.2, 1.3), numeric=frozenset({3}),
                                      headers=tuple(render(key) for key in (
                                          "xl.activity_number", "xl.kpi", "xl.unit", "xl.target")))),
    ))


def _quarters(text: Any) -> str:
    """The export's ``Q1,Q2`` as people say it (``ไตรมาส 1–2``)."""
    quarters = [int(part[1:]) for part in str(text or "").split(",") if part.startswith("Q")]
    return format_quarters(quarters) if quarters else render("doc.none")


def _activities(activities: list[Row]) -> Section:
    rows = tuple((_text(activity["xl.activity_number"]), _text(activity["xl.activity"]),
                  _quarters(activity["xl.quarters"])) for activity in activities)
    return Section(render("doc.m4"), (("", Table(
        rows=rows, widths=(0.7, 5.0, 1.8),
        headers=tuple(render(key) for key in ("xl.activity_number", "xl.activity", "xl.quarters")))),))


def _budget(lines: list[Row]) -> Section:
    def source(line: Row) -> str:
        agency = line["xl.source_agency"]
        return f"{_text(line['xl.source'])} ({agency})" if agency else _text(line["xl.source"])

    numbered = list(enumerate(lines, start=1))
    quarters = tuple(render("doc.m5.quarter", quarter=quarter) for quarter in (1, 2, 3, 4))  # the sheet's headers
    total = sum((Decimal(line["xl.amount"]) for line in lines), Decimal(0))
    plan_totals = [sum((Decimal(line.titled(title) or 0) for line in lines), Decimal(0)) for title in quarters]
    money_lines = Table(
        rows=tuple((str(index), source(line), _text(line["xl.expense_category"]), _money(line["xl.amount"]))
                   for index, line in numbered),
        widths=(0.8, 3.4, 1.8, 1.8), numeric=frozenset({3}),
        headers=tuple(render(key) for key in ("xl.activity_number", "xl.source", "xl.expense_category",
                                              "xl.amount")),
        total=("", render("doc.total"), "", format_money(total)) if lines else ())
    plan = Table(
        rows=tuple((str(index), *(_money(line.titled(title)) for title in quarters)) for index, line in numbered),
        widths=(0.8, 1.8, 1.8, 1.8, 1.8), numeric=frozenset({1, 2, 3, 4}),
        headers=(render("xl.activity_number"), *quarters),
        total=(render("doc.total"), *(format_money(amount) for amount in plan_totals)) if lines else ())
    return Section(render("doc.m5"), ((render("doc.m5.lines"), money_lines), (render("doc.m5.plan"), plan)))


async def project_form(code: str, viewer: User | None) -> Form | None:
    """The project's registration (M1–M5) as a form, or ``None`` when there is none the viewer may see."""
    project = await visible_project(code, viewer)
    if project is None:
        return None
    (row,) = await _rows("xl.sheet.projects", project.id)
    return Form(
        title=render("doc.project.title"), subtitle=_text(row["xl.name"]), code=project.code, header=_header(row),
        sections=(_plan_links(await _rows("xl.sheet.plan_links", project.id)), _general(project, row),
                  _details(project, row, await _rows("xl.sheet.kpis", project.id)),
                  _activities(await _rows("xl.sheet.activities", project.id)),
                  _budget(await _rows("xl.sheet.budget", project.id))),
        signatures=_signatures(project, project.submitted_at, project.decided_at,
                               project.status is ItemStatus.APPROVED))


async def _report_rows(title_key: str, project_id: int, fiscal_year: int, quarter: int) -> list[Row]:
    return [row for row in await _rows(title_key, project_id)
            if row["xl.fiscal_year"] == fiscal_year and row["xl.quarter"] == quarter]


def _results(report: Row, kpi_values: list[Row], units: dict[Any, str]) -> Section:
    kpis = Table(
        rows=tuple((str(index), _text(value["xl.kpi"]), _text(units.get(value["xl.kpi_id"])),
                    _text(value["xl.target"]), _text(value["xl.value"]))
                   for index, value in enumerate(kpi_values, start=1)),
        widths=(0.8, 3.4, 1.0, 1.2, 1.4), numeric=frozenset({3, 4}),
        headers=(render("xl.activity_number"), render("xl.kpi"), render("xl.unit"), render("xl.target"),
                 render("doc.result")))
    return Section(render("doc.m6.results"), (
        ("", Table(rows=_pairs(report, ("xl.output_progress", "xl.outcome_progress")), widths=(1.0, 3.2))),
        (render("doc.m6.kpis"), kpis)))


def _progress(activities: list[Row]) -> Section:
    rows = tuple((_text(row["xl.activity_number"]), _text(row["xl.activity"]), _text(row["xl.activity_state"]),
                  format_percent(row["xl.percent"]) if row["xl.percent"] is not None else render("doc.none"))
                 for row in activities)
    return Section(render("doc.m6.activities"), (("", Table(
        rows=rows, widths=(0.7, 4.2, 1.6, 1.2), numeric=frozenset({3}),
        headers=tuple(render(key) for key in ("xl.activity_number", "xl.activity", "xl.activity_state",
                                              "xl.percent")))),))


def _contributions(contributions: list[Row]) -> Section:
    rows = tuple((_text(row["xl.plan_code"]), _text(row["xl.plan_title"]), _text(row["xl.contribution"]))
                 for row in contributions)
    return Section(render("doc.m6.plans"), (("", Table(
        rows=rows, widths=(1.6, 3.0, 3.4),
        headers=tuple(render(key) for key in ("xl.plan_code", "xl.plan_title", "xl.contribution")))),))


def _spending(report: Row, evidence: list[Row]) -> Section:
    pairs = ((render("xl.planned"), _money(report["xl.planned"])),
             (render("xl.disbursed"), _money(report["xl.disbursed"])),
             *_pairs(report, ("xl.shortfall", "xl.problems")))
    tables: list[tuple[str, Table]] = [("", Table(rows=pairs, widths=(1.0, 3.2)))]
    if evidence:
        tables.append((render("doc.m6.evidence"), Table(
            rows=tuple((_text(row["xl.file_kind"]), _text(row["xl.file_name"]), _text(row["xl.file_received"]))
                       for row in evidence),
            widths=(1.0, 4.0, 1.6),
            headers=tuple(render(key) for key in ("xl.file_kind", "xl.file_name", "xl.file_received")))))
    return Section(render("doc.m6.money"), tuple(tables))


async def report_form(code: str, fiscal_year: int, quarter: int, viewer: User | None) -> Form | None:
    """One quarterly report (M6) as a form, or ``None`` when the viewer may see no such report."""
    project = await visible_project(code, viewer)
    if project is None:
        return None
    found = await QuarterReport.get_or_none(project_id=project.id, fiscal_year=fiscal_year, quarter=quarter)
    if found is None:
        return None
    (row,) = await _rows("xl.sheet.projects", project.id)
    (report,) = await _report_rows("xl.sheet.reports", project.id, fiscal_year, quarter)
    units = {kpi["xl.kpi_id"]: kpi["xl.unit"] for kpi in await _rows("xl.sheet.kpis", project.id)}
    office, fiscal_year_pair, code_pair, _, *emenscr = _header(row)  # the report's own status, not the project's
    header = (office, fiscal_year_pair, (render("doc.quarter"), str(quarter)), code_pair,
              (render("xl.status"), _text(report["xl.status"])), *emenscr)
    sections = (
        _results(report, await _report_rows("xl.sheet.kpi_values", project.id, fiscal_year, quarter), units),
        _progress(await _report_rows("xl.sheet.activity_progress", project.id, fiscal_year, quarter)),
        _contributions(await _report_rows("xl.sheet.contributions", project.id, fiscal_year, quarter)),
        _spending(report, await _report_rows("xl.sheet.evidence", project.id, fiscal_year, quarter)))
    return Form(title=render("doc.report.title"), subtitle=_text(row["xl.name"]), code=project.code,
                header=header, sections=sections,
                signatures=_signatures(project, found.submitted_at, found.decided_at,
                                       found.status is ItemStatus.APPROVED))
