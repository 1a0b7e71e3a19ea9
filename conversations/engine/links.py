"""Link buttons: what a reminder's button opens, from whatever screen the user is on.

A link names its target (``q12.2570.1`` a quarter's report, ``ir34`` / ``ip12`` an item awaiting a decision,
``ar34`` / ``tr34`` the same with approve or return already pressed, ``o12`` a project's card, ``inbox``).
Following one is a navigation like "menu": the form position is remembered for "continue", and the
target is opened through the same checks as when it is picked from a list, so rights and windows hold.
"""

from __future__ import annotations

from conversations.button_data import moved_on
from conversations.engine import actions, decisions, reports
from conversations.engine.context import Context
from conversations.engine.machine import Event
from conversations.engine.nav import Input, Nav
from conversations.engine.output import Output
from conversations.engine.picks import Pick, parse, value
from conversations.engine.state import Mode, State
from conversations.flows.flow import Flow
from models.enums import Role

OPEN_ITEM, APPROVE_ITEM, RETURN_ITEM = "i", "a", "t"
INBOX = "inbox"


def report_link(project_id: int, fiscal_year: int, quarter: int) -> str:
    """Opens one quarter's report of a project (its owner reports; others see it)."""
    return value(Pick.QUARTER, project_id, fiscal_year, quarter)


def item_link(kind: str, item_id: int, action: str = OPEN_ITEM) -> str:
    """Opens a project (``kind="project"``) or report awaiting a decision, optionally with approve or return."""
    return action + value(Pick.REPORT if kind == "report" else Pick.PROJECT, item_id)


def project_link(project_id: int) -> str:
    """Opens a project's card."""
    return f"o{project_id}"


def follow(flows: dict[str, Flow], state: State, link: str, ctx: Context, out: Output) -> None:
    """Open what the link names, or say it is no longer there."""
    if link == INBOX:
        actions.inbox(Event(flows, state, ctx, Input(action=Nav.INBOX), out))
    elif link.startswith(Pick.QUARTER):
        _report(flows, state, link, ctx, out)
    elif link[:1] in (OPEN_ITEM, APPROVE_ITEM, RETURN_ITEM) and link[1:2] in ("p", "r") and link[2:].isdigit():
        _item(flows, state, link, ctx, out)
    elif link.startswith("o") and link[1:].isdigit():
        actions.go(state, Mode.PROJECTS)
        state.viewing, state.mode = int(link[1:]), Mode.PROJECT
    else:
        out.add(moved_on())


def _report(flows: dict[str, Flow], state: State, link: str, ctx: Context, out: Output) -> None:
    if ctx.user.role is not Role.OWNER:
        out.say("reports.owners_only")
        return
    actions.go(state, Mode.REPORTS)
    reports.choose(state, parse(link, (Pick.QUARTER,)), ctx, out, flows[reports.REPORT_FLOW])


def _item(flows: dict[str, Flow], state: State, link: str, ctx: Context, out: Output) -> None:
    if not decisions.is_decider(ctx):
        out.say("inbox.directors_only")
        return
    actions.go(state, Mode.INBOX)
    decisions.choose(state, link[1:], ctx, out)
    if state.mode is not Mode.ITEM:
        return  # decided already, or withdrawn: the inbox is shown with "no longer waiting"
    if link[0] == APPROVE_ITEM:
        decisions.approve(Event(flows, state, ctx, Input(action=Nav.APPROVE), out))
    elif link[0] == RETURN_ITEM:
        decisions.return_item(Event(flows, state, ctx, Input(action=Nav.RETURN), out))
