"""The annual action plan's workbook: the export's registration sheets, less what the database decides.

The template and the importer read the same columns as the export writes (``export.sheets``, derived from the
registration flow), so that an office's export, or a template filled by it, imports back. What the database
decides (ids, statuses, offices' names, dates of decisions) is left out of the template and ignored on import;
each sheet's rows name their project by the projects sheet's first column, the row id.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.copy import render
from conversations.flows.flow import Flow, FlowId, Group, Question, groups
from conversations.flows.registry import FLOWS
from conversations.oversight.export import Sheet, sheets
from conversations.oversight.field_columns import Column

# the export's columns that the database fills: shown in an export, never read back
DECIDED_BY_DATABASE = frozenset({"emenscr_id", "office__name", "status", "submitted_at", "decided_at", "id",
                                 "parent_id", "plan_node__level", "plan_node__title_th"})
OFFICE_CODE = "office__code"  # read back only to refuse another office's rows
KEY = "xl.code"  # every sheet's first column: the project's row id (in an export, its code)
PLAN_CODE, REFERENCE, NUMBER = "plan_node__code", "reference_text", "number"
SHEET_KEYS = ("xl.sheet.projects", "xl.sheet.plan_links", "xl.sheet.kpis", "xl.sheet.activities",
              "xl.sheet.budget")


@dataclass(frozen=True, slots=True)
class PlanSheet:
    """One sheet of the plan: its title's copy key and the columns the template writes and the import reads."""

    title_key: str
    columns: tuple[Column, ...]

    @property
    def title(self) -> str:
        """The sheet's name as people read it."""
        return render(self.title_key)


def plan_sheets(registration: Flow | None = None, report: Flow | None = None) -> tuple[PlanSheet, ...]:
    """The plan's sheets: the export's registration sheets without the columns the database fills."""
    exported: dict[str, Sheet] = {sheet.title_key: sheet for sheet in sheets(
        registration or FLOWS[FlowId.REGISTER], report or FLOWS[FlowId.REPORT])}
    plan = []
    for key in SHEET_KEYS:
        columns = [column for column in exported[key].columns
                   if column.field not in DECIDED_BY_DATABASE | {OFFICE_CODE}]
        columns.sort(key=lambda column: column.field != NUMBER)  # the outline number first, by the row id
        columns.sort(key=lambda column: column.header != KEY)
        plan.append(PlanSheet(key, tuple(columns)))
    return tuple(plan)


def group(flow: Flow, key: str) -> Group:
    """The flow's top-level group of that key."""
    return next(item for item in groups(flow) if item.key == key)


def top_questions(flow: Flow) -> tuple[Question, ...]:
    """The project's own questions (one row of the projects sheet)."""
    return tuple(flow.questions())
