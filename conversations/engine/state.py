"""The conversation's durable state: plain JSON, versioned, loaded fresh and dumped after every turn.

``SCHEMA`` versions the shape of this JSON. A form position names its step by key (``section`` and ``step``, the
step's key) with a typed sub-state (a group's cursor, the plan-links view, a multi-select's ticks), never by list
index, so adding or removing a question needs no version: a saved position still names the same step, and one
whose step is gone is sent to the section hub by the engine with a notice. A state of an older schema is
migrated here (schema 1, by index: ``state_v1``); one that cannot be read starts afresh at the menu, with a notice.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from conversations.engine import state_v1
from conversations.engine.dialog import from_old_fields
from conversations.engine.frames import Bookmark, Frame, Position
from conversations.engine.json_data import json_copy, typed_copy
from conversations.engine.modes import Mode
from conversations.engine.substates import MultiSelect, Sub, dump_sub, load_sub

SCHEMA = 2


@dataclass(slots=True)
class State:
    """Everything a turn needs to continue exactly where the user left off."""

    mode: Mode = Mode.MENU
    prompt: int = 0  # number of the question on screen; buttons of other numbers are stale
    shown: str = ""  # identity of the question on screen, to know when ``prompt`` must move on
    offered: list[str] = field(default_factory=list)  # the button values of the prompt on screen
    flow: str = ""
    project_id: int | None = None
    project_code: str = ""
    project_status: str = "draft"  # the stored status of the open project; only drafts may be deleted
    sent_before: bool = False  # the open project was submitted once (then taken back): kept, never deleted
    report_id: int | None = None  # the open quarterly report (flow "report")
    synced: str = ""  # when the open item was last written by this conversation (its updated_at)
    period: str = ""  # the open report's quarter, e.g. "2570-1"
    answers: dict[str, Any] = field(default_factory=dict)
    section: str = ""  # FORM/SECTION: the current section id
    step: str = ""  # START/FORM: the key of the step on screen (a start question's key in START)
    sub: Sub | None = None  # FORM: inside the step (a group's cursor, the plan-links view, a near match)
    selection: MultiSelect | None = None  # a multi-select in progress
    back: list[Position] = field(default_factory=list)  # FORM positions to go back to
    stack: list[Frame] = field(default_factory=list)  # the screens to return to (``dialog``), innermost last
    confirm: dict[str, Any] = field(default_factory=dict)  # CONFIRM: the action asked about
    viewing: int | None = None  # PROJECT: the project shown
    item: dict[str, Any] = field(default_factory=dict)  # ITEM/COMMENT/HISTORY: what is shown (kind, id, code…)
    resume: Bookmark | None = None  # where "continue" takes the user back to, with its stack
    touched: str = ""  # ISO time of the last turn
    notice: str = ""  # a copy key to say once on the next prompt (e.g. after a flow upgrade)
    copied: dict[str, Any] = field(default_factory=dict)  # a copied draft's marks (``engine.copied``), until seen
    taken: dict[str, Any] = field(default_factory=dict)  # a list just taken in one message (``engine.taken``)
    returned: str = ""  # the director's comment of the open item while returned (``engine.returned_note``)

    def dump(self) -> dict[str, Any]:
        """The JSON form, with the schema version. It shares the state's dicts and lists, not copied: every caller
        dumps a state it is done with (the end of a turn, a settled outcome), and copying a 5 KB state was a
        sixth of a turn's CPU."""
        data = {name: getattr(self, name) for name in self.__slots__}
        data["mode"] = str(self.mode)
        data["sub"] = dump_sub(self.sub)
        data["selection"] = self.selection.dump() if self.selection is not None else None
        data["back"] = [position.dump() for position in self.back]
        data["stack"] = [frame.dump() for frame in self.stack]
        data["resume"] = self.resume.dump() if self.resume is not None else {}
        data["schema"] = SCHEMA
        return data

    @classmethod
    def load(cls, data: dict[str, Any] | None, flows: Container[str], default: str, seed: int = 0) -> State:
        """A state from its JSON; an empty, foreign or unreadable state is handled deliberately.

        ``flows`` are the flow ids known; ``default`` is the flow of a new state, whose prompt numbers start at
        ``seed`` (the clock) so that buttons of a discarded state never match. A schema-1 state is migrated.
        """
        if not data:
            return cls(flow=default, prompt=seed)
        if data.get("schema") == 1:
            data = state_v1.upgrade(data) or {"mode": Mode.HUB if data.get("project_id") is not None else Mode.MENU,
                                              **_kept(data), "notice": "notice.flow_upgraded", "schema": SCHEMA}
            data["schema"] = SCHEMA
        if data.get("schema") != SCHEMA or data.get("flow") not in flows:
            return cls(flow=default, prompt=seed, notice="notice.state_reset")
        values = {name: json_copy(data[name]) for name in cls.__slots__ if name in data}
        if "stack" not in data:  # saved before the dialog stack: its back pointers become frames
            values["stack"] = from_old_fields(data)
            values["confirm"] = {"action": values.get("confirm", {}).get("action", "")} if values.get("confirm") else {}
            values["item"] = {key: value for key, value in values.get("item", {}).items()
                              if key not in ("back", "history_back")}
            if values.get("resume"):
                values["resume"] = {**values["resume"], "stack": from_old_fields(values["resume"])}
        values["back"] = [Position.load(position) for position in values.get("back", [])]
        values["stack"] = [Frame.load(frame) for frame in values.get("stack", [])]
        values["resume"] = Bookmark.load(values["resume"]) if values.get("resume") else None
        state = cls(**values)
        state.mode, state.step = Mode(state.mode), str(state.step)
        state.sub = load_sub(data.get("sub"))
        state.selection = MultiSelect.load(data.get("selection"))
        return state

    def clone(self) -> State:
        """A copy sharing nothing mutable, for drawing a screen without touching the live state: the JSON fields
        copied as JSON (``json_copy``), the few objects (positions, frames, sub-states) by ``typed_copy``. Several
        times cheaper than ``copy.deepcopy`` of the whole state, whose answers are most of it."""
        objects = ("sub", "selection", "back", "stack", "resume")
        values = {name: typed_copy(getattr(self, name)) if name in objects else json_copy(getattr(self, name))
                  for name in self.__slots__}
        return State(**values)

    def position(self) -> Position:
        """The FORM position, to push on ``back`` or keep in ``resume`` (with the item it belongs to)."""
        return Position(self.mode, self.section, self.step, typed_copy(self.sub), self.flow, self.project_id,
                        self.report_id)

    def restore(self, position: Position) -> None:
        """Return to a saved position (its sub-state copied: the position may be restored again)."""
        self.mode, self.section, self.step = position.mode, position.section, position.step
        self.sub = typed_copy(position.sub)
        self.selection = None


def _kept(data: dict[str, Any]) -> dict[str, Any]:
    """What of an unreadable old state is kept: the open item and its answers (they are in the database too)."""
    names = ("prompt", "shown", "flow", "project_id", "project_code", "project_status", "report_id", "synced",
             "period", "answers", "touched")
    return {name: data[name] for name in names if name in data}


__all__ = ["SCHEMA", "Mode", "State", "json_copy"]
