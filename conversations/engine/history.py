"""A project's history in chat: who changed what, when, from which value to which (newest first)."""

from __future__ import annotations

import json
from typing import Any

from conversations.copy import render
from conversations.engine.answers import display
from conversations.engine.context import Context, HistoryLine
from conversations.engine.nav import Nav, nav
from conversations.engine.output import buttons, present
from conversations.engine.state import State
from conversations.flows.flow import Flow, Group, Question, label_key
from conversations.formatting import format_date, shorten
from conversations.messages import InputHint, Reply
from models.fiscal import BANGKOK

SHOWN = 20
VALUE_LIMIT = 60


def _fields(flows: dict[str, Flow]) -> dict[str, tuple[str, Question | None]]:
    known: dict[str, tuple[str, Question | None]] = {"status": (render("label.status"), None),
                                                      "decision_comment": (render("label.decision_comment"), None),
                                                      "emenscr_id": (render("xl.emenscr_id"), None),
                                                      "emenscr_keyed": (render("label.emenscr_keyed"), None),
                                                      "copied_from": (render("label.copied_from"), None)}
    for flow in flows.values():
        for section in flow.sections:
            for step in section.steps:
                if isinstance(step, Question):
                    known[step.key] = (render(label_key(step)), step)
                elif isinstance(step, Group):
                    known[step.key] = (render(step.item), None)
                else:
                    known[step.key] = (render("label.plan_links" if step.key == "plan_links" else "label.evidence"),
                                       None)
        for question in flow.start:
            known[question.key] = (render(label_key(question)), question)
    return known


def _value(raw: Any, question: Question | None) -> str:
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        value = raw
    if value is None or value == "":
        return render("value.blank")
    if isinstance(value, list) and question is None:
        return render("history.items", count=len(value))
    if question is not None:
        try:
            return shorten(display(question, value), VALUE_LIMIT)
        except (ValueError, TypeError, ArithmeticError):
            pass
    if value in ("draft", "submitted", "approved", "returned"):
        return render(f"status.{value}")
    return shorten(str(value), VALUE_LIMIT)


def line(entry: HistoryLine, fields: dict[str, tuple[str, Question | None]]) -> str:
    """One change in a line, in Bangkok time."""
    label, question = fields.get(entry.field, (render("history.field_other"), None))  # never a field's code name
    local = entry.at.astimezone(BANGKOK)
    when = f"{format_date(local.date())} {local:%H:%M}"
    where = f"Q{entry.quarter} " if entry.entity == "report" and entry.quarter else ""
    change = f"{_value(entry.before, question)} → {_value(entry.after, question)}"
    return f"{when} · {entry.actor} · {where}{label}: {change}"


def render_history(state: State, ctx: Context, flows: dict[str, Flow]) -> Reply:
    """The newest changes of the project named in ``state.item``."""
    code = state.item.get("code", "")
    entries = ctx.need_history(code)
    if not ctx.history_of:
        text = render("history.not_found", code=code)
    elif not entries:
        text = render("history.empty", code=ctx.history_of)
    else:
        fields = _fields(flows)
        lines = [line(entry, fields) for entry in entries[:SHOWN]]
        more = render("history.more", count=len(entries) - SHOWN) if len(entries) > SHOWN else ""
        text = render("history.text", code=ctx.history_of, lines="\n".join(lines), more=more)
    pairs = [(nav(Nav.BACK), render("nav.back")), (nav(Nav.MENU), render("nav.menu"))]
    present(state, f"history:{code}")
    return Reply(text=text, choices=buttons(state, pairs), hint=InputHint.CHOICE, key="history.text")
