"""The eMENSCR pack read out for machines and people off chat (text, workbook), and what is not keyed in yet.

The pack is the chat's (``conversations.engine.pack``): the same steps, fields and values, so that the API's
copy and the chat's never disagree. A project's pack is followed by the pack (M6) of each of its approved
reports. Everything is looked up within what the viewer may see (``monitoring.scope``).
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

import xlsxwriter

from conversations.copy import render
from conversations.engine.pack import PackStep, project_pack, report_pack
from conversations.engine.reports import period_label
from conversations.flows.flow import FlowId
from conversations.flows.registry import FLOWS
from conversations.oversight.monitoring import scope
from conversations.service.report_store import load_report_answers
from conversations.service.store import load_answers
from models.enums import ItemStatus
from models.fiscal import FiscalQuarter
from models.org import Office, User
from models.project import Project
from models.report import QuarterReport


@dataclass(frozen=True, slots=True)
class PackPart:
    """The pack of one item: the project's registration, or one approved report."""

    title: str
    steps: tuple[PackStep, ...]
    keyed: frozenset[str]


@dataclass(frozen=True, slots=True)
class ProjectHandover:
    """A project's whole hand-off: its id in eMENSCR and the parts to key in."""

    code: str
    name: str
    status: ItemStatus
    emenscr_id: str
    parts: tuple[PackPart, ...]


async def project_handover(code: str, viewer: User) -> ProjectHandover | None:
    """The pack of a project in the viewer's scope (None outside it), with its approved reports'."""
    project = await Project.filter(code=code, **scope(viewer)).first()
    if project is None:
        return None
    flow = FLOWS[FlowId.REGISTER]
    parts = [PackPart(render("pack.api_project"), project_pack(flow, await load_answers(flow, project)),
                      frozenset(project.emenscr_keyed or ()))]
    reports = await QuarterReport.filter(project_id=project.id, status=ItemStatus.APPROVED).order_by(
        "fiscal_year", "quarter")
    for report in reports:
        period = FiscalQuarter(report.fiscal_year, report.quarter)
        answers = await load_report_answers(project, period, report)
        parts.append(PackPart(render("pack.api_report", period=period_label(report.fiscal_year, report.quarter)),
                              report_pack(FLOWS[FlowId.REPORT], answers), frozenset(report.emenscr_keyed or ())))
    return ProjectHandover(project.code, project.name, project.status, project.emenscr_id, tuple(parts))


def _mark(step: PackStep, part: PackPart) -> str:
    return render("pack.step_done" if step.key in part.keyed else "pack.step_open")


def pack_text(handover: ProjectHandover) -> str:
    """The pack as plain text: each step under a heading, each field's name on a line and its value below."""
    lines = [render("pack.api_heading", code=handover.code, name=handover.name),
             f"{render('xl.emenscr_id')}: {handover.emenscr_id or render('pack.no_id')}",
             f"{render('xl.status')}: {render(f'status.{handover.status}')}"]
    for part in handover.parts:
        lines += ["", f"=== {part.title} ==="]
        for number, step in enumerate(part.steps, start=1):
            lines += ["", f"--- {number}/{len(part.steps)} {step.title} · {_mark(step, part)} ---"]
            for field in step.fields:
                lines += [f"[{field.label}]", field.value]
    return "\n".join(lines) + "\n"


def pack_workbook(handover: ProjectHandover) -> bytes:
    """The pack as a workbook: one row per field (part, step, field, value, keyed in), text kept as text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False, "in_memory": True})
    sheet: Any = book.add_worksheet(render("pack.api_sheet"))
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.freeze_panes(1, 0)
    for column, width in enumerate((18, 36, 40, 60, 14)):
        sheet.set_column(column, column, width, wrap)
    sheet.write_row(0, 0, [render(key) for key in ("pack.api_part", "pack.api_step", "pack.api_field",
                                                    "pack.api_value", "pack.api_keyed")], bold)
    row = 1
    for part in handover.parts:
        for step in part.steps:
            for field in step.fields:
                for column, text in enumerate((part.title, step.title, field.label, field.value,
                                               _mark(step, part))):
                    sheet.write_string(row, column, text)
                row += 1
    book.close()
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class Backlog:
    """One office's approved projects and approved reports not yet keyed into eMENSCR."""

    code: str
    name: str
    projects: int
    reports: int


async def not_keyed(viewer: User) -> tuple[Backlog, ...]:
    """Per office in the viewer's scope (offices with none left out), ordered by code: approved projects and
    approved reports whose pack is not keyed in yet."""
    project_offices = await Project.filter(status=ItemStatus.APPROVED, emenscr_keyed_at__isnull=True,
                                           **scope(viewer)).values_list("office_id", flat=True)
    report_offices = await QuarterReport.filter(status=ItemStatus.APPROVED, emenscr_keyed_at__isnull=True,
                                                **scope(viewer, "project__")).values_list("project__office_id",
                                                                                         flat=True)
    projects = Counter(int(str(office)) for office in project_offices)
    reports = Counter(int(str(office)) for office in report_offices)
    ids = set(projects) | set(reports)
    offices = await Office.filter(id__in=ids).order_by("code") if ids else []
    return tuple(Backlog(office.code, office.name, projects[office.id], reports[office.id]) for office in offices)
