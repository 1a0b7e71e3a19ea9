"""What directors decide: the items awaiting them, one item's card with approve / return, the comment."""

from __future__ import annotations

from typing import Any

from conversations.copy import render
from conversations.engine import dialog
from conversations.engine.context import Context, InboxItem
from conversations.engine.effect_types import Decide
from conversations.engine.evidence_files import file_buttons, open_file
from conversations.engine.machine import Event
from conversations.engine.nav import Nav, nav
from conversations.engine.output import Output, buttons, present
from conversations.engine.picks import Pick, value
from conversations.engine.reports import period_label, report_card_text
from conversations.engine.self_check import self_check
from conversations.engine.self_check_view import findings_text
from conversations.engine.state import Mode, State
from conversations.engine.views import card_text, review_card
from conversations.flows.flow import Flow, FlowId
from conversations.formatting import shorten
from conversations.messages import InputHint, Reply
from conversations.parsers.choices import parse_text
from conversations.parsers.errors import InvalidAnswer
from models.enums import ItemStatus, Role

COMMENT_LIMIT = 1000
LIST_LIMIT = 30


def is_decider(ctx: Context) -> bool:
    """Directors decide for their office; admins may too."""
    return ctx.user.role in (Role.DIRECTOR, Role.ADMIN)


def item_key(item: InboxItem) -> str:
    """A button value naming the item itself (``p12``, ``r34``), never its place in a list that may change."""
    if item.kind == "report" and item.report_id is not None:
        return value(Pick.REPORT, item.report_id)
    return value(Pick.PROJECT, item.project_id)


def waiting(ctx: Context) -> list[InboxItem]:
    """The items awaiting a decision, as loaded for this turn (one decided in this very turn is left out by the
    second pass, ``conclude``, once the service has written the decision)."""
    return list(ctx.need_inbox())


def render_inbox(state: State, ctx: Context) -> Reply:
    """Submitted projects and reports of the office, oldest first."""
    items = waiting(ctx)
    lines, pairs = [], []
    for index, item in enumerate(items[:LIST_LIMIT]):
        what = render("inbox.project") if item.kind == "project" else render(
            "inbox.report", period=period_label(item.fiscal_year, item.quarter))
        late = (render("inbox.late") if item.late else "") + (render("inbox.resubmitted") if item.resubmitted else "")
        lines.append(f"{index + 1}. {what} {item.code} {shorten(item.name, 50)} · {item.owner_name}{late}")
        pairs.append((item_key(item), f"{index + 1}. {what} {shorten(item.name, 20)}"))
    text = render("inbox.text", items="\n".join(lines)) if lines else render("inbox.none")
    pairs.append((nav(Nav.MENU), render("nav.menu")))
    present(state, "inbox:" + ",".join(item_key(item) for item in items))
    return Reply(text=text, choices=buttons(state, pairs), hint=InputHint.CHOICE, key="inbox.text")


def choose(state: State, value: str, ctx: Context, out: Output) -> None:
    """An inbox item was picked, by what it is: show its card (or say it is no longer waiting)."""
    item = next((item for item in waiting(ctx) if item_key(item) == value), None)
    if item is None:
        out.say("decide.gone")
        return
    state.item = {"kind": item.kind, "project_id": item.project_id, "fy": item.fiscal_year, "q": item.quarter,
                  "report_id": item.report_id, "code": item.code}
    dialog.start(state, Mode.ITEM)


def render_item(state: State, ctx: Context, flows: dict[str, Flow]) -> Reply:
    """A project's or report's card; a director sees approve and return while it awaits a decision."""
    item = state.item
    may_reopen = False
    files: list[tuple[str, str]] = []
    printable = False  # a stored project or report has a document
    if item.get("kind") == "report":
        loaded = ctx.need_report(item["project_id"], item["fy"], item["q"])
        text = report_card_text(flows[FlowId.REPORT], loaded) if loaded.found else render("project.not_found")
        status = loaded.status
        may_reopen = loaded.found and ctx.user.role is Role.OWNER
        files = file_buttons(loaded.answers) if loaded.found else []
        printable = loaded.found and loaded.report_id is not None
    else:
        project = ctx.need_project(item["project_id"])
        status = project.status if project.found else None
        printable = project.found
        card = review_card(flows[FlowId.REGISTER], project.answers, code=project.code,
                           status=render(f"status.{project.status}"))
        checked = findings_text(self_check(project.answers, ctx.need_catalog()))
        text = f"{card_text(card)}\n\n{checked}" if project.found else render("project.not_found")
    pairs = []
    if is_decider(ctx) and status is ItemStatus.SUBMITTED:
        pairs += [(nav(Nav.APPROVE), render("decide.approve")), (nav(Nav.RETURN), render("decide.return"))]
    if item.get("kind") == "report" and status is ItemStatus.APPROVED:
        pairs.append((nav(Nav.EMENSCR), render("pack.open")))
    if may_reopen and status is ItemStatus.APPROVED:
        pairs.append((nav(Nav.REOPEN), render("project.reopen")))
    pairs += files
    if printable:
        pairs.append((nav(Nav.PDF), render("doc.button")))
    pairs += [(nav(Nav.HISTORY), render("nav.history")), (nav(Nav.BACK), render("nav.back"))]
    present(state, f"item:{item.get('kind')}:{item.get('project_id')}:{item.get('q')}")
    return Reply(text=text, choices=buttons(state, pairs), hint=InputHint.CHOICE, key="item.card")


def approve(event: Event) -> None:
    """Approve, after a yes."""
    if not is_decider(event.ctx):
        event.out.say("input.use_buttons")
        return
    event.state.confirm = {"action": "approve"}
    dialog.start(event.state, Mode.CONFIRM, keep_position=True)


def return_item(event: Event) -> None:
    """Return, after a comment saying why."""
    if not is_decider(event.ctx):
        event.out.say("input.use_buttons")
        return
    dialog.start(event.state, Mode.COMMENT)


def reopen_report(event: Event) -> None:
    """Reopen an approved report of the owner's own, after a yes."""
    state = event.state
    if state.item.get("kind") != "report":
        event.out.say("input.use_buttons")
        return
    loaded = event.ctx.need_report(state.item["project_id"], state.item["fy"], state.item["q"])
    state.item = {**state.item, "report_id": loaded.report_id}
    state.confirm = {"action": "reopen"}
    dialog.start(state, Mode.CONFIRM, keep_position=True)


def open_evidence(event: Event) -> None:
    """One of a report's evidence files, asked of the service."""
    item = event.state.item
    if not (item.get("kind") == "report" and open_file(
            event.inp.value, event.ctx.need_report(item["project_id"], item["fy"], item["q"]).answers, event.out)):
        event.out.say("input.use_buttons")


def item_what(item: dict[str, Any]) -> str:
    """How a decision names its item: "รายงาน Q1/2570 ของ CMI1-2570-003" or "ทะเบียนโครงการ CMI1-2570-003", so
    that approving a report never reads like approving the project's registration."""
    code = item.get("code", "")
    if item.get("kind") == "report":
        return render("item.what.report", period=period_label(item["fy"], item["q"]), code=code)
    return render("item.what.project", code=code)


def render_comment(state: State) -> Reply:
    """Asking why the item goes back."""
    present(state, f"comment:{state.item.get('kind')}:{state.item.get('project_id')}")
    return Reply(text=render("decide.ask_comment", code=item_what(state.item)),
                 choices=buttons(state, [(nav(Nav.BACK), render("nav.back"))]), hint=InputHint.TEXT,
                 key="decide.ask_comment")


def back_from_comment(event: Event) -> None:
    """Back to the item's card, nothing returned."""
    dialog.done(event.state, fallback=Mode.ITEM)


def on_comment(event: Event) -> None:
    """The comment: the item is returned with it."""
    state, inp, out = event.state, event.inp, event.out
    if inp.text is None:
        out.say("decide.ask_comment_again")
        return
    try:
        comment = parse_text(inp.text, max_length=COMMENT_LIMIT, multiline=True)
    except InvalidAnswer as problem:
        out.say(problem.reason, **problem.params)
        return
    decide(state, out, approve=False, comment=comment)


def decide(state: State, out: Output, *, approve: bool, comment: str = "") -> None:
    """Ask for the decision and go back to the inbox; whether it landed is said by the second pass
    (``conclude``), which also draws the inbox again without the item."""
    item = state.item
    kind = item.get("kind", "project")
    item_id = int(item["report_id"] if kind == "report" else item["project_id"])
    out.effect(Decide(kind=kind, item_id=item_id, approve=approve, comment=comment))
    state.item = {}
    dialog.forget(state)
    state.mode = Mode.INBOX
