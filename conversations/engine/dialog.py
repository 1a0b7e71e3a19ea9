"""The dialog stack: where "back" and "return to where I was" go, as frames pushed and popped.

A screen started as a sub-dialog (a confirmation, an item's card, its history, a comment, an answer edited
from the section view or the review card) pushes the screen it was started from; its "done" pops that frame
and the user is where they were. A frame is the screen's id and, when the screen is a form position that must
come back exactly (a confirmation asked mid-form), that position under ``at``. Landing on a root screen (the
menu, a list, the hub…) forgets the stack: nothing below it can be returned to any more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conversations.engine.frames import Bookmark, Frame
from conversations.engine.json_data import typed_copy
from conversations.engine.modes import Mode

if TYPE_CHECKING:
    from conversations.engine.state import State

OldFrame = dict[str, Any]  # a frame's JSON, as a state saved before the stack is turned into (loaded by the state)


def start(state: State, screen: Mode, *, keep_position: bool = False) -> None:
    """Open ``screen`` above the one on show; ``keep_position`` brings the form position back on return."""
    state.stack.append(Frame(state.mode, state.position() if keep_position else None))
    state.mode = screen


def done(state: State, fallback: Mode = Mode.MENU) -> None:
    """Back to the screen below (``fallback`` when nothing is below)."""
    if not state.stack:
        state.mode = fallback
        return
    frame = state.stack.pop()
    if frame.at is not None:
        state.restore(frame.at)
    else:
        state.mode = frame.screen


def returns_to(state: State) -> Mode | None:
    """The screen a finished form edit returns to (the section view or the review card), else None."""
    if state.mode not in (Mode.START, Mode.FORM) or not state.stack:
        return None
    return state.stack[-1].screen


def forget(state: State) -> None:
    """Nothing to return to any more (a new project, a report opened, the hub, the menu)."""
    state.stack = []


def bookmark(state: State) -> Bookmark:
    """The form position with the stack below it, for "continue" to bring back."""
    return Bookmark(state.position(), typed_copy(state.stack))


def reopen(state: State, bookmark_: Bookmark) -> None:
    """Back to a bookmarked position, with the stack it had."""
    state.restore(bookmark_.at)
    state.stack = typed_copy(bookmark_.stack)


def from_old_fields(data: dict[str, Any]) -> list[OldFrame]:
    """The stack of a state saved before the stack existed (``origin``, ``confirm.back``, ``item.back``,
    ``item.history_back``), so that a conversation saved by the previous release returns where it did."""
    mode = data.get("mode", "")
    item = data.get("item") or {}
    screens = {str(screen) for screen in Mode}
    below_item = [{"screen": item["back"]}] if item.get("back") in screens else []
    stack: list[OldFrame] = []
    if data.get("origin", "") in ("section", "review") and mode in ("start", "form"):
        stack.append({"screen": data["origin"]})
    elif mode == "item":
        stack += below_item
    elif mode == "comment":
        stack += [*below_item, {"screen": str(Mode.ITEM)}]
    elif mode == "history" and item.get("history_back") in screens:
        stack += [*(below_item if item["history_back"] == Mode.ITEM else []), {"screen": item["history_back"]}]
    back = (data.get("confirm") or {}).get("back")
    if mode == "confirm" and isinstance(back, dict):
        stack += origin_frames(back) or (below_item if back.get("mode") == Mode.ITEM else [])
        stack.append({"screen": back.get("mode", str(Mode.MENU)), "at": back})
    return stack


def origin_frames(position: dict[str, Any]) -> list[OldFrame]:
    """The frame an old saved form position's ``origin`` stood for (an edit returning to a screen)."""
    if position.get("origin") in ("section", "review") and position.get("mode") in ("start", "form"):
        return [{"screen": position["origin"]}]
    return []
