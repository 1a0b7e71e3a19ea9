"""The typed places a conversation returns to: a form position, a frame of the dialog stack, a bookmark.

They live in the saved state as plain JSON (the shapes below are what sessions hold, so they never change
without a schema bump); in memory they are typed, so a step is always named by its key and a sub-state is
always one of the typed sub-states, never a dict read by convention.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conversations.engine.json_data import typed_copy
from conversations.engine.modes import Mode
from conversations.engine.substates import Sub, dump_sub, load_sub


@dataclass(slots=True)
class Position:
    """Where in a form a person was: the step by key, inside it the sub-state, and the item it belongs to."""

    mode: Mode = Mode.FORM
    section: str = ""
    step: str = ""
    sub: Sub | None = None
    flow: str = ""
    project_id: int | None = None
    report_id: int | None = None

    def same_item(self, flow: str, project_id: int | None, report_id: int | None) -> bool:
        """Whether this position belongs to the item now open."""
        return (self.flow, self.project_id, self.report_id) == (flow, project_id, report_id)

    def dump(self) -> dict[str, Any]:
        """The JSON form kept in the session."""
        return {"mode": str(self.mode), "section": self.section, "step": self.step, "sub": dump_sub(self.sub),
                "flow": self.flow, "project_id": self.project_id, "report_id": self.report_id}

    @classmethod
    def load(cls, data: dict[str, Any]) -> Position:
        """A position from its JSON (keys an older release kept besides these are ignored)."""
        return cls(mode=Mode(data.get("mode", Mode.FORM)), section=str(data.get("section", "")),
                   step=str(data.get("step", "")), sub=load_sub(data.get("sub")), flow=str(data.get("flow", "")),
                   project_id=data.get("project_id"), report_id=data.get("report_id"))


@dataclass(slots=True)
class Frame:
    """A screen below the one on show, to return to; ``at`` when it is a form position to come back to exactly."""

    screen: Mode
    at: Position | None = None

    def dump(self) -> dict[str, Any]:
        """The JSON form kept in the session."""
        return {"screen": str(self.screen)} if self.at is None else {"screen": str(self.screen), "at": self.at.dump()}

    @classmethod
    def load(cls, data: dict[str, Any]) -> Frame:
        """A frame from its JSON."""
        at = data.get("at")
        return cls(Mode(data["screen"]), Position.load(at) if isinstance(at, dict) else None)


@dataclass(slots=True)
class Bookmark:
    """The form position "continue" brings back, with the dialog stack it had."""

    at: Position
    stack: list[Frame] = field(default_factory=list)

    def dump(self) -> dict[str, Any]:
        """The JSON form kept in the session: the position's keys and ``stack``."""
        return {**self.at.dump(), "stack": [frame.dump() for frame in self.stack]}

    @classmethod
    def load(cls, data: dict[str, Any]) -> Bookmark:
        """A bookmark from its JSON."""
        return cls(Position.load(data), [Frame.load(frame) for frame in data.get("stack", [])])

    def copy(self) -> Bookmark:
        """A copy to reopen from: the bookmark itself stays as it was kept."""
        return typed_copy(self)
