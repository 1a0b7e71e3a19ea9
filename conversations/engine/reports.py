"""The owner's quarterly reports: each project's quarters with their status, and opening one to report."""

from __future__ import annotations

from conversations.copy import render
from conversations.engine import dialog, form, returned, returned_note
from conversations.engine.context import Context, LoadedReport, ReportTask
from conversations.engine.nav import Nav, nav
from conversations.engine.output import Output, buttons, present
from conversations.engine.picks import Pick, Picked, value
from conversations.engine.state import Mode, State
from conversations.engine.status import Status, flow_states
from conversations.engine.views import card_text, review_card
from conversations.flows.flow import Flow, FlowId
from conversations.formatting import format_date, shorten
from conversations.messages import InputHint, Reply
from models.fiscal import FiscalQuarter

REPORT_FLOW = FlowId.REPORT
LIST_LIMIT = 24
ACTIONABLE = ("open", "excepted", "overdue", "returned")
WITH_REPORT = ("submitted", "late", "returned", "approved")


def task_value(task: ReportTask) -> str:
    """The button value of one quarter of one project: ``q12.2570.1``."""
    return value(Pick.QUARTER, task.project_id, task.fiscal_year, task.quarter)


def period_label(fiscal_year: int, quarter: int) -> str:
    """``Q1/2570``."""
    return FiscalQuarter(fiscal_year, quarter).label()


def task_status(task: ReportTask, today_days_left: int) -> str:
    """One quarter's status in words, with its dates."""
    key = "quarter.excepted_late" if task.status == "excepted" and task.will_be_late else f"quarter.{task.status}"
    locks = max(task.locks, task.exception_until or task.locks)  # an exception may reach past the lock day
    return render(key, opens=format_date(task.opens), due=format_date(task.due), locks=format_date(locks),
                  until=format_date(task.exception_until or locks), days=abs(today_days_left))


def task_line(task: ReportTask, today_days_left: int) -> str:
    """One quarter of one project with its status: ``CMI1-2570-001 Q1/2570 · …``."""
    return f"{task.code} {period_label(task.fiscal_year, task.quarter)} · {task_status(task, today_days_left)}"


def render_tasks(state: State, ctx: Context) -> Reply:
    """The list of quarters to report, the actionable ones first."""
    tasks = sorted(ctx.need_report_tasks(), key=lambda t: (t.status not in ACTIONABLE, t.due, t.code))
    lines, pairs = [], []
    shown_project = None
    for index, task in enumerate(tasks[:LIST_LIMIT], start=1):  # numbered as the buttons: LINE cuts their names
        if task.project_id != shown_project:  # the project in full, over its quarters
            lines.append(f"{task.code} {task.name}")
            shown_project = task.project_id
        status = task_status(task, (task.due - ctx.today).days)
        lines.append(f"  {index}. {period_label(task.fiscal_year, task.quarter)} · {status}")
        pairs.append((task_value(task),
                       f"{index}. {period_label(task.fiscal_year, task.quarter)} {shorten(task.name, 24)}"))
    text = render("reports.text", items="\n".join(lines)) if lines else render("reports.none")
    pairs.append((nav(Nav.MENU), render("nav.menu")))
    present(state, f"reports:{len(tasks)}")
    return Reply(text=text, choices=buttons(state, pairs), hint=InputHint.CHOICE, key="reports.text")


def choose(state: State, picked: Picked | None, ctx: Context, out: Output, flow: Flow) -> None:
    """A quarter was picked: refuse it with the date it opens, show it, or open it to report."""
    if picked is None or picked.pick is not Pick.QUARTER:
        out.say("group.pick_again")
        return
    project_id, fiscal_year, quarter = (int(part) for part in picked.argument)
    task = next((t for t in ctx.need_report_tasks()
                 if (t.project_id, t.fiscal_year, t.quarter) == (project_id, fiscal_year, quarter)), None)
    if task is None:
        out.say("group.pick_again")
        return
    if task.status == "not_open" and not task.can_report:
        out.say("report.not_open", period=period_label(fiscal_year, quarter), opens=format_date(task.opens))
        return
    if task.status == "locked" and not task.can_report:
        out.say("report.locked", period=period_label(fiscal_year, quarter), locks=format_date(task.locks))
        return
    state.item = {"kind": "report", "project_id": project_id, "fy": fiscal_year, "q": quarter, "code": task.code}
    if not task.can_report:
        dialog.start(state, Mode.ITEM)
        return
    loaded = ctx.need_report(project_id, fiscal_year, quarter)
    if not loaded.editable:  # the project is not the user's own, or changed since the list was drawn
        dialog.start(state, Mode.ITEM)
        return
    if task.will_be_late and task.status != "returned":
        out.say("report.will_be_late", due=format_date(task.due))
    open_report(state, loaded, out)
    enter_first(flow, state, out)
    if state.mode is Mode.REVIEW and loaded.status == "returned" and loaded.decision_comment:
        returned.open_on_comment(flow, state, loaded.decision_comment, out)


def open_report(state: State, loaded: LoadedReport, out: Output) -> None:
    """Work on a report: its first section that needs answers, or its review when complete."""
    state.flow = REPORT_FLOW
    state.project_id, state.project_code, state.report_id = loaded.project_id, loaded.code, loaded.report_id
    state.period = f"{loaded.fiscal_year}-{loaded.quarter}"
    state.project_status = str(loaded.status or "draft")
    state.answers = dict(loaded.answers)
    returned_note.remember(state, state.project_status, loaded.decision_comment)
    state.back, state.stack, state.sub, state.resume, state.selection = [], [], None, None, None
    if loaded.status is not None and loaded.decision_comment:
        out.say("project.returned_comment", comment=loaded.decision_comment)
    if loaded.report_id is None:
        out.save()  # the draft exists from the first moment, so that it can be continued anywhere


def enter_first(flow: Flow, state: State, out: Output) -> None:
    """Go to the first section that needs answers (the review when none does)."""
    for section_state in flow_states(flow, state.answers):
        if section_state.status in (Status.NOT_STARTED, Status.ATTENTION):
            form.enter_section(flow, state, section_state.section.id, out)
            return
    state.mode = Mode.REVIEW


def report_card_text(flow: Flow, loaded: LoadedReport) -> str:
    """A stored report as text, with its status."""
    status = render(f"status.{loaded.status}") if loaded.status else render("status.draft")
    title = f"{loaded.name} · {period_label(loaded.fiscal_year, loaded.quarter)}"
    card = review_card(flow, loaded.answers, title=title, code=loaded.code, status=status)
    return card_text(card)
