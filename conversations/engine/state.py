"""The conversation's durable state: plain JSON, versioned, loaded fresh and dumped after every turn.

``SCHEMA`` versions the shape of this JSON; the flow's own version is stored beside it. A state saved
under an older flow version is not misread: the answers are kept (they live in the database too) and the
user is taken back to the section hub, with a message saying why.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from conversations.engine.dialog import from_old_fields
from conversations.engine.modes import Mode

SCHEMA = 1


@dataclass(slots=True)
class State:
    """Everything a turn needs to continue exactly where the user left off."""

    mode: Mode = Mode.MENU
    prompt: int = 0  # number of the question on screen; buttons of other numbers are stale
    shown: str = ""  # identity of the question on screen, to know when ``prompt`` must move on
    offered: list[str] = field(default_factory=list)  # the button values of the prompt on screen
    flow: str = ""
    flow_version: int = 0
    project_id: int | None = None
    project_code: str = ""
    project_status: str = "draft"  # the stored status of the open project; only drafts may be deleted
    report_id: int | None = None  # the open quarterly report (flow "report")
    synced: str = ""  # when the open item was last written by this conversation (its updated_at)
    period: str = ""  # the open report's quarter, e.g. "2570-1"
    answers: dict[str, Any] = field(default_factory=dict)
    section: str = ""  # FORM/SECTION: the current section id
    step: int = 0  # FORM: index of the step in the section (or of the start question)
    sub: dict[str, Any] = field(default_factory=dict)  # FORM: state of a group or of the plan widget
    selection: list[str] | None = None  # a multi-select in progress
    back: list[dict[str, Any]] = field(default_factory=list)  # FORM positions to go back to
    stack: list[dict[str, Any]] = field(default_factory=list)  # the screens to return to (``dialog``), innermost last
    confirm: dict[str, Any] = field(default_factory=dict)  # CONFIRM: the action asked about
    viewing: int | None = None  # PROJECT: the project shown
    item: dict[str, Any] = field(default_factory=dict)  # ITEM/COMMENT/HISTORY: what is shown (kind, id, code…)
    resume: dict[str, Any] = field(default_factory=dict)  # where "continue" takes the user back to, with its stack
    touched: str = ""  # ISO time of the last turn
    notice: str = ""  # a copy key to say once on the next prompt (e.g. after a flow upgrade)

    def dump(self) -> dict[str, Any]:
        """The JSON form, with the schema version."""
        data = {name: copy.deepcopy(getattr(self, name)) for name in self.__slots__}
        data["mode"] = str(self.mode)
        data["schema"] = SCHEMA
        return data

    @classmethod
    def load(cls, data: dict[str, Any] | None, versions: dict[str, int], default: str, seed: int = 0) -> State:
        """A state from its JSON; an empty, foreign or outdated state is handled deliberately.

        ``versions`` maps each flow id to its current version; ``default`` is the flow of a new state, whose
        prompt numbers start at ``seed`` (the clock) so that buttons of a discarded state never match.
        """
        if not data:
            return cls(flow=default, flow_version=versions[default], prompt=seed)
        if data.get("schema") != SCHEMA or data.get("flow") not in versions:
            return cls(flow=default, flow_version=versions[default], prompt=seed, notice="notice.state_reset")
        values = {name: copy.deepcopy(data[name]) for name in cls.__slots__ if name in data}
        if "stack" not in data:  # saved before the dialog stack: its back pointers become frames
            values["stack"] = from_old_fields(data)
            values["confirm"] = {"action": values.get("confirm", {}).get("action", "")} if values.get("confirm") else {}
            values["item"] = {key: value for key, value in values.get("item", {}).items()
                              if key not in ("back", "history_back")}
            if values.get("resume"):
                values["resume"] = {**values["resume"], "stack": from_old_fields(values["resume"])}
        state = cls(**values)
        state.mode = Mode(state.mode)
        if state.flow_version != versions[state.flow]:
            state.upgrade(versions[state.flow])
        return state

    def upgrade(self, flow_version: int) -> None:
        """Keep the answers, drop positions that may mean something else now, go to the hub."""
        had_project = self.project_id is not None
        self.flow_version = flow_version
        self.section, self.step, self.sub, self.selection, self.back, self.stack = "", 0, {}, None, [], []
        self.confirm, self.resume = {}, {}
        self.mode = Mode.HUB if had_project else Mode.MENU
        self.notice = "notice.flow_upgraded"

    def position(self) -> dict[str, Any]:
        """The FORM position, to push on ``back`` or keep in ``resume`` (with the item it belongs to)."""
        return {"mode": str(self.mode), "section": self.section, "step": self.step, "sub": copy.deepcopy(self.sub),
                "flow": self.flow, "project_id": self.project_id, "report_id": self.report_id}

    def restore(self, position: dict[str, Any]) -> None:
        """Return to a saved position."""
        self.mode = Mode(position.get("mode", Mode.FORM))
        self.section = position.get("section", "")
        self.step = int(position.get("step", 0))
        self.sub = copy.deepcopy(position.get("sub", {}))
        self.selection = None


__all__ = ["SCHEMA", "Mode", "State"]
