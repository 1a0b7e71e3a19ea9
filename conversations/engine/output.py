"""Collects what one turn says and writes, and numbers the question on screen for its buttons."""

from __future__ import annotations

from dataclasses import dataclass, field

from conversations.copy import render
from conversations.engine.effect_types import Effect, SaveDraft
from conversations.engine.state import State
from conversations.messages import Choice, ChoiceRole, Reply
from conversations.tokens import NAV, encode


@dataclass(slots=True)
class Output:
    """The replies and effects of a turn, in order."""

    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    def say(self, key: str, **params: object) -> None:
        """Add a plain message from the copy catalog."""
        self.replies.append(Reply(text=render(key, **params), key=key))

    def replace_last(self, said: str, key: str, **params: object) -> None:
        """Say ``key``, in place of the turn's last message when that is ``said`` (the item's acknowledgement
        replaces the echo of the answer that completed it: one acknowledgement, not two)."""
        if self.replies and self.replies[-1].key == said:
            self.replies.pop()
        self.say(key, **params)

    def add(self, reply: Reply) -> None:
        """Add a prepared reply."""
        self.replies.append(reply)

    def save(self) -> None:
        """Ask the service to write the draft (once per turn is enough)."""
        if not any(isinstance(effect, SaveDraft) for effect in self.effects):
            self.effects.append(SaveDraft())

    def effect(self, effect: Effect) -> None:
        """Ask the service to do something after the turn."""
        self.effects.append(effect)


def present(state: State, identity: str) -> int:
    """The prompt number of the question ``identity``: the same while it stays on screen, a new one after."""
    if state.shown != identity:
        state.prompt += 1
        state.shown = identity
    return state.prompt


def buttons(state: State, pairs: list[tuple[str, str]], selected: set[str] | None = None) -> tuple[Choice, ...]:
    """Buttons carrying tokens of the prompt on screen; ``selected`` marks multi-select ticks.

    The values are remembered as the only ones this prompt accepts, so a forged value fails like a stale one.
    """
    state.offered = [value for value, _ in pairs]
    return tuple(_button(state.prompt, value, label, selected) for value, label in pairs)


def _button(prompt: int, value: str, label: str, selected: set[str] | None) -> Choice:
    if value.startswith(NAV):
        return Choice(encode(prompt, value), label, role=ChoiceRole.NAVIGATION)
    return Choice(encode(prompt, value), label, None if selected is None else value.lstrip("+-") in selected)
