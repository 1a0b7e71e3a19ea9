"""The eMENSCR hand-off screens: an approved project's or report's pack one step at a time, each value to copy,
"✅ กรอกแล้ว" per step, and typing the project's eMENSCR id.

The pack is opened from a project's card or a report's card (``state.item`` names the item and, under
``step``, the step on screen: -1 for the first not keyed in yet). What is recorded is the service's business
(``KeyedIn``, ``SetEmenscrId``); whether it was, and the pack drawn again with it, is ``conclude``'s.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from conversations.copy import render
from conversations.engine import dialog
from conversations.engine.context import Context
from conversations.engine.effect_types import KeyedIn, SetEmenscrId
from conversations.engine.machine import Event
from conversations.engine.nav import Nav, nav
from conversations.engine.output import buttons, present
from conversations.engine.pack import PackStep, complete, first_open, project_pack, report_pack
from conversations.engine.reports import period_label
from conversations.engine.state import Mode, State
from conversations.flows.flow import Flow, FlowId
from conversations.messages import Copyable, InputHint, Reply
from conversations.parsers.emenscr_id import MAX_LENGTH, parse_emenscr_id
from conversations.parsers.errors import InvalidAnswer
from models.enums import ItemStatus

PROJECT, REPORT = "project", "report"


@dataclass(frozen=True, slots=True)
class Handover:
    """What the pack screen shows of its item, as loaded for this turn."""

    kind: str
    item_id: int  # the project's id, or the report's
    what: str  # "CMI1-2570-001" or "CMI1-2570-001 · Q1/2570"
    code: str
    status: ItemStatus | None
    steps: tuple[PackStep, ...]
    keyed: frozenset[str]
    emenscr_id: str


def handover(state: State, ctx: Context, flows: Mapping[str, Flow]) -> Handover | None:
    """The item the pack is about, loaded (None when it is gone or out of the person's scope)."""
    item = state.item
    if item.get("kind") == REPORT:
        report = ctx.need_report(item["project_id"], item["fy"], item["q"])
        if not report.found or report.report_id is None:
            return None
        project = ctx.need_project(item["project_id"])
        return Handover(REPORT, report.report_id, f"{report.code} · {period_label(report.fiscal_year, report.quarter)}",
                        report.code, report.status, report_pack(flows[FlowId.REPORT], report.answers),
                        frozenset(report.emenscr_keyed), project.emenscr_id)
    loaded = ctx.need_project(int(item.get("project_id") or 0))
    if not loaded.found:
        return None
    return Handover(PROJECT, loaded.id, loaded.code, loaded.code, loaded.status,
                    project_pack(flows[FlowId.REGISTER], loaded.answers), frozenset(loaded.emenscr_keyed),
                    loaded.emenscr_id)


def with_keyed(ctx: Context, kind: str, keyed: tuple[str, ...]) -> Context:
    """The context as it is once ``keyed`` are the steps recorded (the pack drawn again after the service wrote)."""
    if kind == REPORT and ctx.report is not None:
        return dataclasses.replace(ctx, report=dataclasses.replace(ctx.report, emenscr_keyed=keyed))
    if kind == PROJECT and ctx.loaded is not None:
        return dataclasses.replace(ctx, loaded=dataclasses.replace(ctx.loaded, emenscr_keyed=keyed))
    return ctx


def with_id(ctx: Context, emenscr_id: str) -> Context:
    """The context as it is once the project's eMENSCR id is ``emenscr_id``."""
    if ctx.loaded is None:
        return ctx
    return dataclasses.replace(ctx, loaded=dataclasses.replace(ctx.loaded, emenscr_id=emenscr_id))


def _may_open(event: Event, status: ItemStatus | None) -> bool:
    if status is ItemStatus.APPROVED:
        return True
    event.out.say("pack.not_approved", status=render(f"status.{status or 'draft'}"))
    return False


def open_project_pack(event: Event) -> None:
    """A project's card: its pack, at the first step not keyed in yet."""
    state = event.state
    if state.viewing is None:
        event.out.say("input.use_buttons")
        return
    loaded = event.ctx.need_project(state.viewing)
    if not loaded.found or not _may_open(event, loaded.status):
        return
    state.item = {"kind": PROJECT, "project_id": loaded.id, "code": loaded.code, "step": -1}
    dialog.start(state, Mode.PACK)


def open_report_pack(event: Event) -> None:
    """A report's card: the report's pack (M6)."""
    state, item = event.state, event.state.item
    if item.get("kind") != REPORT:
        event.out.say("input.use_buttons")
        return
    report = event.ctx.need_report(item["project_id"], item["fy"], item["q"])
    if not report.found or not _may_open(event, report.status):
        return
    state.item = {**item, "report_id": report.report_id, "step": -1}
    dialog.start(state, Mode.PACK)


def _index(state: State, shown: Handover) -> int:
    step = int(state.item.get("step", -1))
    if step < 0 or step >= len(shown.steps):
        return first_open(shown.steps, shown.keyed)
    return step


def render_pack(state: State, ctx: Context, flows: Mapping[str, Flow]) -> Reply:
    """One step of the pack: its values to copy (each under its eMENSCR step and field), then where the person
    is in the pack, with "keyed in", the steps before and after, the eMENSCR id and back."""
    shown = handover(state, ctx, flows)
    if shown is None or not shown.steps:
        present(state, "pack:gone")
        return Reply(text=render("project.not_found"), choices=buttons(state, [(nav(Nav.BACK), render("nav.back"))]),
                     hint=InputHint.CHOICE, key="project.not_found")
    if shown.status is not ItemStatus.APPROVED:  # reopened meanwhile: nothing to hand over until approved again
        present(state, f"pack:closed:{shown.kind}:{shown.item_id}")
        return Reply(text=render("pack.not_approved", status=render(f"status.{shown.status or 'draft'}")),
                     choices=buttons(state, [(nav(Nav.BACK), render("nav.back"))]), hint=InputHint.CHOICE,
                     key="pack.not_approved")
    index = _index(state, shown)
    state.item["step"] = index
    step = shown.steps[index]
    done = step.key in shown.keyed
    lines = [f"{'✅' if one.key in shown.keyed else '○'} {one.title}" for one in shown.steps]
    text = render("pack.text", what=shown.what, emenscr_id=shown.emenscr_id or render("pack.no_id"),
                  done=sum(one.key in shown.keyed for one in shown.steps), total=len(shown.steps),
                  steps="\n".join(lines), number=index + 1, step=step.title,
                  state=render("pack.step_done" if done else "pack.step_open"))
    if complete(shown.steps, shown.keyed):
        text += "\n\n" + render("pack.all_done")
    copies = tuple(Copyable(f"{step.title} · {field.label}", field.value or render("pack.empty"))
                   for field in step.fields) or (Copyable(step.title, render("pack.empty")),)
    pairs: list[tuple[str, str]] = [] if done else [(nav(Nav.KEYED), render("pack.keyed"))]
    if index + 1 < len(shown.steps):
        pairs.append((nav(Nav.NEXT), render("pack.next")))
    if index > 0:
        pairs.append((nav(Nav.PREV), render("pack.prev")))
    if shown.kind == PROJECT:
        pairs.append((nav(Nav.EMENSCR_ID), render("pack.change_id" if shown.emenscr_id else "pack.set_id")))
    pairs.append((nav(Nav.BACK), render("nav.back")))
    present(state, f"pack:{shown.kind}:{shown.item_id}:{step.key}:{int(done)}:{len(shown.keyed)}")
    return Reply(text=text, choices=buttons(state, pairs), hint=InputHint.CHOICE, key="pack.text", copies=copies)


def keyed(event: Event) -> None:
    """The step on screen is keyed into eMENSCR: ask the service to record it; the next step follows."""
    state = event.state
    shown = handover(state, event.ctx, event.flows)
    if shown is None or not shown.steps:
        event.out.say("input.use_buttons")
        return
    index = _index(state, shown)
    event.out.effect(KeyedIn(shown.kind, shown.item_id, shown.steps[index].key))
    after = shown.keyed | {shown.steps[index].key}
    following = next((number for number in range(index + 1, len(shown.steps))
                      if shown.steps[number].key not in after), None)
    state.item["step"] = following if following is not None else index


def turn(offset: int) -> Callable[[Event], None]:
    """The step before or after the one on screen."""
    def press(event: Event) -> None:
        shown = handover(event.state, event.ctx, event.flows)
        if shown is None or not shown.steps:
            event.out.say("input.use_buttons")
            return
        event.state.item["step"] = min(max(_index(event.state, shown) + offset, 0), len(shown.steps) - 1)
    return press


def ask_id(event: Event) -> None:
    """Type the project's eMENSCR id (a project's pack only)."""
    if event.state.item.get("kind") != PROJECT:
        event.out.say("input.use_buttons")
        return
    dialog.start(event.state, Mode.PACK_ID)


def render_ask_id(state: State) -> Reply:
    """Asking for the eMENSCR id."""
    present(state, f"pack_id:{state.item.get('project_id')}")
    return Reply(text=render("pack.ask_id", what=state.item.get("code", ""), limit=MAX_LENGTH),
                 choices=buttons(state, [(nav(Nav.BACK), render("nav.back"))]), hint=InputHint.TEXT,
                 key="pack.ask_id")


def back_from_id(event: Event) -> None:
    """Back to the pack, nothing kept."""
    dialog.done(event.state, fallback=Mode.PACK)


def on_id(event: Event) -> None:
    """The typed id: kept (the service checks the person may), back to the pack; a bad one is asked again."""
    state, inp, out = event.state, event.inp, event.out
    if inp.text is None:
        out.say("pack.ask_id_again")
        return
    try:
        emenscr_id = parse_emenscr_id(inp.text)
    except InvalidAnswer as problem:
        out.say("pack.id_invalid", why=render(problem.reason, **problem.params), limit=MAX_LENGTH)
        return
    out.effect(SetEmenscrId(int(state.item.get("project_id") or 0), emenscr_id))
    dialog.done(state, fallback=Mode.PACK)
