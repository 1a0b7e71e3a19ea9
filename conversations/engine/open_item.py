"""What the service side may read of a conversation's state: the item it has open, typed.

The state JSON is the engine's to shape and to change; the effect runner and the freshness check only need to
know which project or report is open, in which flow and quarter, with which answers, and when this conversation
last wrote it. ``open_item`` reads that out, so that no module outside the engine depends on the JSON's keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conversations.engine.copied import unseen
from conversations.engine.state import Mode

# Screens where the person is working on the open item: an item locked meanwhile is said to them, not just closed.
WORKING_MODES = frozenset({Mode.FORM, Mode.HUB, Mode.SECTION, Mode.REVIEW, Mode.CONFIRM})


@dataclass(frozen=True, slots=True)
class OpenItem:
    """The project (flow ``register``) or quarterly report (flow ``report``) a conversation has open."""

    flow: str = ""
    project_id: int | None = None
    report_id: int | None = None
    period: tuple[int, int] | None = None  # a report's (fiscal year, quarter)
    status: str = ""  # the stored status this conversation last saw
    synced: str = ""  # the item's updated_at when this conversation last wrote it ("" before its first write)
    answers: dict[str, Any] = field(default_factory=dict)
    working: bool = False  # the person is on one of the item's own screens
    unseen: tuple[str, ...] = ()  # a copy's sections this conversation still marks "copied — check"


def open_item(state_json: dict[str, Any] | None) -> OpenItem:
    """The open item of a stored or just-finished state (an empty ``OpenItem`` for a new conversation)."""
    state = state_json or {}
    fiscal_year, _, quarter = str(state.get("period") or "").partition("-")
    period = (int(fiscal_year), int(quarter)) if fiscal_year.isdigit() and quarter.isdigit() else None
    project_id, report_id = state.get("project_id"), state.get("report_id")
    return OpenItem(flow=str(state.get("flow") or ""), project_id=None if project_id is None else int(project_id),
                    report_id=None if report_id is None else int(report_id), period=period,
                    status=str(state.get("project_status") or ""), synced=str(state.get("synced") or ""),
                    answers=dict(state.get("answers") or {}), working=state.get("mode") in WORKING_MODES,
                    unseen=tuple(unseen(state.get("copied") or {})))
