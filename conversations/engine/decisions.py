"""What directors decide: the items awaiting them, one item's card with approve / return, the comment."""

from __future__ import annotations

from typing import Any

from conversations.copy import render
from conversations.engine.context import Context, Decide, InboxItem
from conversations.engine.evidence_files import file_buttons, open_file
from conversations.engine.nav import Input, Nav, nav
from conversations.engine.output import Output, buttons, present
from conversations.engine.reports import period_label, report_card_text
from conversations.engine.state import Mode, State
from conversations.engine.views import card_text, review_card
from conversations.flow import Flow, FlowId
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
    return f"r{item.report_id}" if item.kind == "report" else f"p{item.project_id}"


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
        late = render("inbox.late") if item.late else ""
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
                  "report_id": item.report_id, "code": item.code, "back": str(Mode.INBOX)}
    state.mode = Mode.ITEM


def render_item(state: State, ctx: Context, flows: dict[str, Flow]) -> Reply:
    """A project's or report's card; a director sees approve and return while it awaits a decision."""
    item = state.item
    may_reopen = False
    files: list[tuple[str, str]] = []
    if item.get("kind") == "report":
        loaded = ctx.need_report(item["project_id"], item["fy"], item["q"])
        text = report_card_text(flows[FlowId.REPORT], loaded) if loaded.found else render("project.not_found")
        status = loaded.status
        may_reopen = loaded.found and ctx.user.role is Role.OWNER
        files = file_buttons(loaded.answers) if loaded.found else []
    else:
        project = ctx.need_project(item["project_id"])
        status = project.status if project.found else None
        card = review_card(flows[FlowId.REGISTER], project.answers, code=project.code,
                           status=render(f"status.{project.status}"))
        text = card_text(card) if project.found else render("project.not_found")
    pairs = []
    if is_decider(ctx) and status is ItemStatus.SUBMITTED:
        pairs += [(nav(Nav.APPROVE), render("decide.approve")), (nav(Nav.RETURN), render("decide.return"))]
    if may_reopen and status is ItemStatus.APPROVED:
        pairs.append((nav(Nav.REOPEN), render("project.reopen")))
    pairs += [*files, (nav(Nav.HISTORY), render("nav.history")), (nav(Nav.BACK), render("nav.back"))]
    present(state, f"item:{item.get('kind')}:{item.get('project_id')}:{item.get('q')}")
    return Reply(text=text, choices=buttons(state, pairs), hint=InputHint.CHOICE, key="item.card")


def on_item(state: State, inp: Input, ctx: Context, out: Output) -> None:
    """Approve (after a yes), return (after a comment), history or back."""
    if inp.action is Nav.APPROVE and is_decider(ctx):
        state.confirm = {"action": "approve", "back": state.position()}
        state.mode = Mode.CONFIRM
    elif inp.action is Nav.RETURN and is_decider(ctx):
        state.mode = Mode.COMMENT
    elif inp.action is Nav.REOPEN and state.item.get("kind") == "report":
        loaded = ctx.need_report(state.item["project_id"], state.item["fy"], state.item["q"])
        state.item = {**state.item, "report_id": loaded.report_id}
        state.confirm = {"action": "reopen", "back": state.position()}
        state.mode = Mode.CONFIRM
    elif inp.action is Nav.HISTORY:
        state.item = {**state.item, "history_back": str(Mode.ITEM)}
        state.mode = Mode.HISTORY
    elif inp.action is Nav.BACK:
        state.mode = Mode(state.item.get("back", Mode.MENU))
    elif not (state.item.get("kind") == "report" and inp.value is not None and open_file(
            inp.value, ctx.need_report(state.item["project_id"], state.item["fy"], state.item["q"]).answers, out)):
        out.say("input.use_buttons")


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


def on_comment(state: State, inp: Input, out: Output) -> None:
    """The comment: the item is returned with it."""
    if inp.action is Nav.BACK:
        state.mode = Mode.ITEM
        return
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
    state.mode = Mode.INBOX
