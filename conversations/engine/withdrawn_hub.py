"""A project just taken back (↩️ ดึงกลับมาแก้ไข) opens on its hub, ready to change and send again.

The press drew the menu before the service knew whether the project was still waiting; once it says the project
was taken back, the hub of that project (the card's loaded answers, unchanged by the take-back) replaces the menu,
so that the owner's next tap is already an edit rather than "my projects" and the project again.
"""

from __future__ import annotations

from conversations.engine import actions, returned_note, screens
from conversations.engine.context import Context
from conversations.engine.outcomes import Withdrawn
from conversations.engine.state import Mode, State
from conversations.flows.flow import Flow
from conversations.messages import Reply


def open_hub(state: State, outcome: Withdrawn, ctx: Context, flow: Flow) -> Reply | None:
    """The taken-back project's hub, its state opened on it; None when it was not taken back or the card's answers
    are not at hand (the menu stays)."""
    loaded = ctx.loaded
    if not outcome.taken or loaded is None or loaded.code != outcome.code:
        return None
    actions.reset_project(state)
    state.project_id, state.project_code, state.project_status = loaded.id, loaded.code, outcome.status
    state.answers, state.copied, state.sent_before = dict(loaded.answers), dict(loaded.copied), True
    returned_note.remember(state, outcome.status, loaded.decision_comment)
    state.mode, state.viewing = Mode.HUB, None
    return screens.hub(state, flow)
