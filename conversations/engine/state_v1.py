"""Reading a state saved by the release before typed state (schema 1), whose positions were list indices.

An index meant "the n-th step of the flow as it was then" (flow version 1, the only one released). That flow is
kept here as the list of its step keys, frozen, so an old index is read as the step it named when it was saved —
whatever questions are added or removed later. The key found is then looked up in today's flow by the engine:
the person lands where they were while that step exists. Nothing here changes when a flow changes.
"""

from __future__ import annotations

import re
from typing import Any

V1_FLOW_VERSION = 1  # the flow version every schema-1 state was saved under; another is not read by index
# flow id -> section id ("" for the start questions) -> the keys of its steps, in their order then
V1_STEPS: dict[str, dict[str, tuple[str, ...]]] = {
    "register": {
        "": ("name", "fiscal_year"),
        "m1": ("plan_links",),
        "m2": ("project_type", "budget_plan", "uses_budget", "methods", "director_name", "director_email",
               "director_phone", "owner_name", "owner_email", "owner_phone"),
        "m3": ("rationale", "objectives", "output_target", "outcome_target", "kpis", "target_groups", "provinces",
               "area_detail", "start_date", "end_date"),
        "m4": ("activities",),
        "m5": ("budget_lines",),
    },
    "report": {
        "": (),
        "r1": ("output_progress", "outcome_progress"),
        "r2": ("kpi_values",),
        "r3": ("activity_progress",),
        "r4": ("plan_contributions",),
        "r5": ("disbursed_amount", "shortfall_reason"),
        "r6": ("problems", "attachments"),
    },
}
# group key (and "group/children" for its sub-items) -> the keys of an item's questions, in their order then
V1_GROUP_QUESTIONS: dict[str, tuple[str, ...]] = {
    "objectives": ("text",),
    "kpis": ("name", "unit", "target_value"),
    "activities": ("name", "quarters"),
    "activities/subactivities": ("name", "quarters"),
    "budget_lines": ("source", "agency", "province", "expense_category", "amount", "plan"),
    "kpi_values": ("value",),
    "activity_progress": ("state", "percent"),
    "plan_contributions": ("text",),
}
_CHILDREN = {"activities": "subactivities"}
_FORM_IDENTITY = re.compile(r"^form:(?P<section>[^:]+):(?P<index>\d+)(?P<rest>.*)$")
_ITEM_IDENTITY = re.compile(r"^:item:(?P<path>.*):(?P<index>\d+)$")


def _at(keys: tuple[str, ...], index: object) -> str:
    """The key at an old index, or "" when there was none (a damaged state)."""
    return keys[index] if isinstance(index, int) and 0 <= index < len(keys) else ""


def step_key(flow: str, section: str, index: object) -> str:
    """The key of the step an old index named ("" for none)."""
    return _at(V1_STEPS.get(flow, {}).get(section, ()), index)


def _group_questions(group: str, sub: dict[str, Any]) -> tuple[str, ...]:
    child = sub.get("parent") is not None or len(sub.get("path") or []) == 2
    name = f"{group}/{_CHILDREN[group]}" if child and group in _CHILDREN else group
    return V1_GROUP_QUESTIONS.get(name, ())


def sub_state(step: str, sub: dict[str, Any]) -> dict[str, Any]:
    """An old sub-state (``g``/``q`` of a group, ``v`` of plan links or evidence, ``near``) in today's form."""
    if "g" in sub:
        return {"kind": "group", "view": sub["g"], "question": _at(_group_questions(step, sub), sub.get("q", 0)),
                "item": sub.get("item", {}), "parent": sub.get("parent"), "path": sub.get("path"),
                "purpose": sub.get("purpose", ""), "origin": sub.get("origin", ""), "near": sub.get("near")}
    if step == "attachments":
        return {"kind": "evidence", "removing": sub.get("v") == "remove"}
    if "v" in sub:
        return {"kind": "links", "view": sub["v"], "level": sub.get("level") or 2, "node": sub.get("node"),
                "codes": sub.get("codes", []), "words": sub.get("words", "")}
    return {"kind": "question", "near": sub["near"]} if sub.get("near") else {}


def position(flow: str, old: dict[str, Any]) -> dict[str, Any]:
    """An old saved position (on ``back``, in ``resume``, under a confirmation) with its step named by key."""
    section = "" if old.get("mode") == "start" else old.get("section", "")
    key = step_key(old.get("flow", flow), section, old.get("step", 0))
    return {**old, "step": key, "sub": sub_state(key, old.get("sub") or {})}


def identity(flow: str, shown: str, sub: dict[str, Any]) -> str:
    """The identity of the screen on show, as today's engine names it (so its buttons stay live)."""
    found = _FORM_IDENTITY.match(shown)
    if not found:
        return shown
    key = step_key(flow, found["section"], int(found["index"]))
    rest = found["rest"]
    item = _ITEM_IDENTITY.match(rest)
    if item:
        rest = f":item:{item['path']}:{_at(_group_questions(key, sub), int(item['index']))}"
    return f"form:{found['section']}:{key}{rest}"


def upgrade(data: dict[str, Any]) -> dict[str, Any] | None:
    """A schema-1 state in schema 2's shape, or None when its positions cannot be read (another flow version)."""
    flow = data.get("flow", "")
    if data.get("flow_version") != V1_FLOW_VERSION or flow not in V1_STEPS:
        return None
    mode = data.get("mode", "menu")
    section = "" if mode == "start" else data.get("section", "")
    key = step_key(flow, section, data.get("step", 0)) if mode in ("start", "form") else ""
    old_sub = data.get("sub") or {}
    sub = sub_state(key, old_sub)
    asked = sub.get("question", key) if sub.get("kind") == "group" else key  # whose ticks ``selection`` held
    selection = data.get("selection")
    new = {name: value for name, value in data.items() if name not in ("flow_version", "schema")}
    new.update(step=key, sub=sub,
               selection={"question": asked, "picked": selection} if selection is not None and asked else None,
               back=[position(flow, old) for old in data.get("back", [])],
               shown=identity(flow, data.get("shown", ""), old_sub))
    if data.get("resume"):
        new["resume"] = position(flow, data["resume"])
    confirm = data.get("confirm") or {}
    if confirm.get("back"):
        new["confirm"] = {**confirm, "back": position(flow, confirm["back"])}
    return new


def edit_value(flow: str, section: str, value: str) -> str:
    """A button value drawn before schema 2 on the section view (``e3``) or the review (``n0``) in today's form
    (``e.key``, ``n.key``); other values unchanged. Only a state saved then still offers such a value."""
    if value[:1] in ("e", "n") and value[1:].isdigit():
        key = step_key(flow, section if value[0] == "e" else "", int(value[1:]))
        return f"{value[0]}.{key}" if key else value
    return value
