"""A copied draft's marks (#18): which sections its owner has not opened since the copy, and which plan links
were dropped. The hub shows them, opening a section clears its mark, and submission waits for every one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conversations.copy import render
from conversations.engine.context import SectionSeen
from conversations.engine.output import Output
from conversations.engine.state import State
from conversations.flows.flow import Flow

LINKS_SECTION = "m1"  # the section whose dropped plan links are named on the hub
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
