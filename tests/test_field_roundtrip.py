"""One declaration per field: every question of every flow, answered with a valid value of its kind, is stored,
loaded again unchanged, exported under its header and served by the data API under its key."""

from __future__ import annotations

import copy
import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from api.demo import seed_demo
from api.settings import Settings
from conversations.copy import render
from conversations.flows.flow import Flow, FlowId, Group, Kind, Question, groups, header_key
from conversations.flows.registry import FLOWS
from conversations.oversight.export import export_workbook
from conversations.service.report_store import create_report, load_report_answers, save_report_answers
from conversations.service.store import create_project, load_answers, save_answers, without_ids
from models.enums import Role
from models.fiscal import FiscalQuarter
from models.plans import PlanNode
from models.project import Project
from models.report import QuarterReport
from tests.support.app import app_client, bearer
from tests.support.field_answers import Answerer, cells, same_cell, same_value

NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
Q1 = FiscalQuarter(2570, 1)
# where each list is exported (a sheet per list; a JSON list of texts is a column of its record's sheet)
SHEETS = {"kpis": "xl.sheet.kpis", "activities": "xl.sheet.activities", "budget_lines": "xl.sheet.budget",
          "kpi_values": "xl.sheet.kpi_values", "activity_progress": "xl.sheet.activity_progress",
          "plan_contributions": "xl.sheet.contributions"}


async def _links() -> list[dict[str, Any]]:
    nodes = [await PlanNode.filter(level=level).order_by("code").first() for level in (1, 2)]
    return [{"code": node.code, "level": node.level, "title": node.title_th, "ref": ""} for node in nodes if node]


async def test_every_question_of_every_flow_round_trips(settings: Settings) -> None:
    async with app_client(settings) as client:
        people = await seed_demo()
        owner = people["suda"]
        registration, report_flow = FLOWS[FlowId.REGISTER], FLOWS[FlowId.REPORT]

        answers = Answerer(registration).flow(registration, {}, await _links())
        project = await create_project(registration, owner, answers)
        saved = await save_answers(registration, project, {}, answers, owner, NOW)
        assert without_ids(saved) == answers  # nothing lost on the way in
        loaded = await load_answers(registration, await Project.get(id=project.id))
        assert loaded == saved  # and back, rows with their ids

        context = await load_report_answers(project, Q1, None)
        assert context["has_kpis"] and context["has_activities"] and context["has_links"]
        # a copy, as the engine's state is: the store writes what differs from the answers it had before
        report_answers = Answerer(report_flow).flow(report_flow, copy.deepcopy(context), [])
        report = await create_report(project, Q1)
        report_saved = await save_report_answers(report_flow, report, context, report_answers, owner, NOW)
        report_loaded = await load_report_answers(project, Q1, await QuarterReport.get(id=report.id))
        assert report_loaded == report_saved
        assert {item["state"] for item in report_loaded["activity_progress"]} == {"done", "in_progress",
                                                                                   "not_started"}

        workbook = load_workbook(io.BytesIO(await export_workbook(people["admin"])))
        _check_export(workbook, registration, "xl.sheet.projects", project.code, loaded)
        _check_export(workbook, report_flow, "xl.sheet.reports", project.code, report_loaded)

        admin = await bearer(role=Role.ADMIN)
        served = await (await client.get(f"/api/v1/projects/{project.code}", headers=admin)).json()
        _check_api(registration, served, loaded)
        [served_report] = served["reports"]
        _check_api(report_flow, served_report, report_loaded)
        listed = await (await client.get("/api/v1/reports?fy=2570&q=1", headers=admin)).json()
        assert served_report in listed["items"]


def _rows(workbook: Workbook, title_key: str, code: str) -> list[dict[str, Any]]:
    rows = list(workbook[render(title_key)].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[0] == code]


def _headers(question: Question, questions: tuple[Question, ...] = ()) -> list[str]:
    """A question's column headers; questions of one list sharing a column share the first one's header."""
    first = next((other for other in questions if other.column == question.column), question)
    if question.kind is Kind.MULTI and not question.column:
        return [render(option.label) for option in question.options]
    if question.kind is Kind.QUARTER_PLAN:
        return [render(header_key(first), quarter=quarter) for quarter in (1, 2, 3, 4)]
    return [render(header_key(first))]


def _check_cells(row: dict[str, Any], questions: tuple[Question, ...], item: dict[str, Any], where: str,
                 sheet: tuple[Question, ...] = ()) -> None:
    """Each answered question's cells in the row (``sheet``: every question of the sheet's rows)."""
    for question in questions:
        if question.key not in item:
            continue  # not asked for this item (a budget line's agency when the money is the office's own)
        for header, expected in zip(_headers(question, sheet or questions), cells(question, item[question.key]),
                                    strict=True):
            assert same_cell(expected, row[header]), (where, question.key, header, expected, row[header])


def _check_export(workbook: Workbook, flow: Flow, sheet: str, code: str, answers: dict[str, Any]) -> None:
    [record] = _rows(workbook, sheet, code)
    _check_cells(record, tuple(flow.questions()), answers, sheet)
    for group in groups(flow):
        if group.key not in SHEETS:  # a list of texts: one column of the record's sheet, one text per line
            [question] = group.questions
            assert record[render(header_key(question))] == "\n".join(item["text"] for item in answers[group.key])
            continue
        rows = _rows(workbook, SHEETS[group.key], code)
        items = _flattened(group, answers[group.key])
        assert len(rows) == len(items), group.key
        questions = group.questions + (group.children.questions if group.children else ())
        for row, (level, item) in zip(rows, items, strict=True):
            _check_cells(row, level.questions, item, group.key, questions)


def _flattened(group: Group, items: list[dict[str, Any]]) -> list[tuple[Group, dict[str, Any]]]:
    """A list's items as the export's rows: each item followed by its children; known items only if answered."""
    rows: list[tuple[Group, dict[str, Any]]] = []
    for item in items:
        if group.fixed and not any(question.key in item for question in group.questions):
            continue
        rows.append((group, item))
        if group.children is not None:
            rows += [(group.children, child) for child in item.get(group.children.key, [])]
    return rows


def _check_api(flow: Flow, served: dict[str, Any], answers: dict[str, Any]) -> None:
    for question in flow.questions():
        assert same_value(question, answers[question.key], served[question.key]), question.key
    for group in groups(flow):
        items = [item for _, item in _flattened(group, answers[group.key])]
        if isinstance(served[group.key], dict):  # known items keyed: a plan's contribution by its link
            assert served[group.key] == {item["link"]: item["text"] for item in items}
            continue
        if group.key == "objectives":
            assert served[group.key] == [item["text"] for item in items]
            continue
        identity = next(key for key in ("id", "kpi_id", "activity_id") if key in items[0])
        by_identity = {row[identity]: row for row in served[group.key]}
        questions = group.questions + (group.children.questions if group.children else ())
        for item in items:
            for question in questions:
                if question.key in item:
                    assert same_value(question, item[question.key], by_identity[item[identity]][question.key]), (
                        group.key, question.key)


PLACES = ("asked", "parsed and echoed", "stored", "reloaded", "on the review card", "exported under its label",
          "served under its key")


def test_a_field_added_to_a_flow_is_everywhere(tmp_path: Path) -> None:
    """The README's recipe, followed in a process of its own (``tests/support/added_field.py``): a KPI's baseline
    added with one line of flow data, its copy and its column is asked, stored, reloaded, on the review card,
    exported and served, with no other code touched."""
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    finished = subprocess.run([sys.executable, "-m", "tests.support.added_field",
                               f"sqlite://{tmp_path / 'added.sqlite3'}"], env=environment, capture_output=True,
                              text=True, timeout=240, check=False)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert finished.stdout.splitlines() == [f"{place}: yes" for place in PLACES]
