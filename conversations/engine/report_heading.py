"""The heading above a report's first question: which quarter of which project was opened."""

from __future__ import annotations

from conversations.copy import render
from conversations.engine.context import Context
from conversations.engine.state import State
from conversations.flows.flow import FlowId
from models.fiscal import FiscalQuarter


def report_heading(state: State, ctx: Context) -> str:
    """The quarter and the project (code and name) above a report's first question: the quarter list's buttons
    cut names short, so the owner sees here which report was opened."""
    report = ctx.report
    if (state.flow != FlowId.REPORT or state.back or report is None or report.project_id != state.project_id
            or state.period != f"{report.fiscal_year}-{report.quarter}"):
        return ""
    period = FiscalQuarter(report.fiscal_year, report.quarter).label()
    return render("header.report", period=period, code=report.code, name=report.name) + "\n"
