"""Back from the question after a list taken in one message: to the list, whose "done" comes back to it.

The form walks on to the next unanswered step when a step is finished, so a list reached with ⬅️ from the
question after it (answered) would send its ✅ เสร็จ past that question, and the next ⬅️ back to the list
again. ⬅️ from the step right after a ``taken`` list marks ``State.taken["then"]`` with that step before
restoring the list from the back stack; the list's "done" then goes to exactly that question,
its ➕/✏️ under it again. ⬅️ from the list goes on back as before. Plain JSON, so a restart keeps it.
"""

from __future__ import annotations

from conversations.engine.modes import Mode
from conversations.engine.state import State
from conversations.flows.flow import Flow, Group

THEN = "then"


def into_list(flow: Flow, state: State) -> None:
    """⬅️ pressed on the step after a list taken one message at a time, whose position is the last one behind:
    mark the way back to this step."""
    if state.mode is not Mode.FORM or not state.back:
        return
    behind = state.back[-1]
    if behind.mode is not Mode.FORM or behind.section != state.section:
        return
    section = next((candidate for candidate in flow.sections if candidate.id == state.section), None)
    group = next((step for step in section.steps if isinstance(step, Group) and step.key == behind.step),
                 None) if section is not None else None
    if group is not None and group.taken:
        state.taken = {"group": group.key, "section": state.section, THEN: state.step}


def then(state: State, finished: str) -> str:
    """The step the finished list returns to ("" when it was not reached with ⬅️ from the question after it)."""
    if state.taken.get("group") != finished:
        return ""
    return str(state.taken.pop(THEN, ""))
