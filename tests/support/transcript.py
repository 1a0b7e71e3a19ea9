"""A chat user for transcript tests: type, tap buttons by their label, and read what the bot said."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable

from conversations.messages import Choice, Inbound, Reply
from models.enums import Platform

Handler = Callable[[Inbound], Awaitable[list[Reply]]]
_events = itertools.count(1)


class Chat:
    """One person's chat; every message goes through the real service."""

    def __init__(self, handle: Handler, user_ref: str, platform: Platform = Platform.CONSOLE,
                 display_name: str = "") -> None:
        self.handle = handle
        self.user_ref = user_ref
        self.platform = platform
        self.display_name = display_name
        self.history: list[Reply] = []
        self.last: list[Reply] = []

    async def send(self, inbound: Inbound) -> list[Reply]:
        """Send a prepared inbound message."""
        self.last = await self.handle(inbound)
        self.history.extend(self.last)
        return self.last

    async def say(self, text: str) -> list[Reply]:
        """Type a message."""
        return await self.send(Inbound(self.platform, self.user_ref, event_id=f"e{next(_events)}", text=text,
                                       display_name=self.display_name))

    async def press(self, token: str) -> list[Reply]:
        """Press a button by its raw token (for stale and forged buttons)."""
        return await self.send(Inbound(self.platform, self.user_ref, event_id=f"e{next(_events)}", button=token))

    @property
    def screen(self) -> Reply:
        """The last reply, which is always the live question or screen."""
        assert self.last, "the bot said nothing"
        return self.last[-1]

    @property
    def text(self) -> str:
        """Everything the bot said in the last turn."""
        return "\n".join(reply.text for reply in self.last)

    def choice(self, label: str) -> Choice:
        """The button on screen whose label equals, or else contains, ``label``."""
        choices = self.screen.choices
        exact = [choice for choice in choices if choice.label == label]
        found = exact or [choice for choice in choices if label in choice.label]
        assert found, f"no button {label!r} among {[choice.label for choice in choices]}"
        assert len(found) == 1 or exact, f"button {label!r} is ambiguous: {[c.label for c in found]}"
        return found[0]

    async def tap(self, label: str) -> list[Reply]:
        """Press the button on screen with that label."""
        return await self.press(self.choice(label).token)

    def labels(self) -> list[str]:
        """Labels of the buttons on screen."""
        return [choice.label for choice in self.screen.choices]
