"""A copied draft's marks (#18): which sections its owner has not opened since the copy, which plan links
were dropped, and which contacts were made today's. The hub shows them, opening a section clears its mark, and
submission waits for every one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conversations.copy import render
from conversations.engine.effect_types import SectionSeen
from conversations.engine.output import Output
from conversations.engine.state import State
from conversations.flows.flow import Flow

LINKS_SECTION = "m1"  # the section whose dropped plan links are named on the hub
CONTACTS_SECTION = "m2"  # the section whose contacts a copy made today's (named on the hub until opened)
DROPPED_ICON = "⚠️"


def unseen(marks: Mapping[str, Any]) -> list[str]:
    """The section ids still marked "copied — check"."""
    return [str(section) for section in marks.get("unseen", [])]


def seen(marks: Mapping[str, Any], section: str) -> dict[str, Any]:
    """The marks once ``section`` has been opened (empty when nothing is left to look at)."""
    left = [name for name in unseen(marks) if name != section]
    return {**marks, "unseen": left} if left else {}


def mark_seen(state: State, section: str, out: Output) -> None:
    """The owner opened ``section`` of the open draft: its mark goes, here and (by an effect) in the database."""
    if section in unseen(state.copied) and state.project_id is not None:
        state.copied = seen(state.copied, section)
        out.effect(SectionSeen(state.project_id, section))


def unseen_titles(flow: Flow, marks: Mapping[str, Any]) -> list[str]:
    """The titles of the sections not yet opened, in the flow's order (for the submit refusal)."""
    waiting = set(unseen(marks))
    return [render(section.title) for section in flow.sections if section.id in waiting]


def hub_mark(marks: Mapping[str, Any], section: str) -> tuple[str, list[str]]:
    """What the hub adds to a section's line: the mark (``""`` when seen) and lines naming dropped links
    (M1 only, until it is opened); with dropped links the section's icon is ⚠️."""
    if section not in unseen(marks):
        return "", []
    dropped = [str(name) for name in marks.get("dropped", [])] if section == LINKS_SECTION else []
    problems = [render("copy.hub_dropped", links=", ".join(dropped))] if dropped else []
    return render("copy.hub_mark"), problems


def contact_lines(marks: Mapping[str, Any]) -> list[str]:
    """Each contact the copy took from today's records instead of the source: "ผู้อำนวยการเปลี่ยนจาก … เป็น …"."""
    lines = []
    for change in marks.get("contacts", []):
        what, before, after = render(f"xl.{change['key']}"), change.get("before"), change.get("after")
        lines.append(render("copy.contact_changed", what=what, before=before, after=after) if before
                     else render("copy.contact_added", what=what, after=after))
    return lines


def hub_notes(marks: Mapping[str, Any], section: str) -> list[str]:
    """What the hub says under M2 of a copy until it is opened: the contacts that changed (no warning icon:
    they are today's, only to be looked at)."""
    if section != CONTACTS_SECTION or section not in unseen(marks):
        return []
    return contact_lines(marks)
