"""A reply's buttons written out as lines to type, for the plain-text version a channel sends when the platform
refuses the rich one (typed labels are accepted wherever buttons are), pure and shared by every channel."""

from __future__ import annotations

from conversations.copy import render as render_copy
from conversations.messages import Choice, ChoiceRole, Copyable, Reply

TICKED, UNTICKED = "☑ ", "☐ "
BULLET = "• "


def choice_lines(reply: Reply) -> str:
    """The reply's choices under a heading saying to type one, a line each (ticked on a multi-select); "" when
    it has none that typing can stand for (a reminder's link buttons belong to no question on screen)."""
    labels = [f"{BULLET}{_tick(choice.selected)}{' '.join(choice.label.split())}" for choice in reply.choices
              if _typable(choice)]
    if not labels:
        return ""
    return "\n".join([render_copy("channel.typed_choices"), *labels])


def with_choices(text: str, reply: Reply) -> str:
    """``text`` followed by the reply's choices as lines to type."""
    lines = choice_lines(reply)
    return f"{text.rstrip()}\n\n{lines}".strip() if lines else text


def copy_lines(copies: tuple[Copyable, ...]) -> str:
    """Values to copy as plain text, each label on its own line and the value alone on the lines below."""
    return "\n\n".join(f"▸ {copy.label}\n{copy.value}" for copy in copies)


def _typable(choice: Choice) -> bool:
    return bool(choice.label.strip()) and choice.role is not ChoiceRole.LINK


def _tick(selected: bool | None) -> str:
    return "" if selected is None else (TICKED if selected else UNTICKED)
