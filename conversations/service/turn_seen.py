"""What a turn saw as it opened, handed to the channel that runs it (:class:`TurnSeen`)."""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import Role
from models.live_questions import LiveMessage


@dataclass(slots=True)
class TurnSeen:
    """What a turn's opening SELECT read that its channel needs after the turn, so that the channel need not read
    it again: the person's role, for the menu (a role changed elsewhere is seen at the person's next turn either
    way; ``known`` is False when no turn ran, or when it linked someone, and the channel then asks
    :func:`conversations.service.chat_roles.roles_of`), and a Telegram chat's live question."""

    role: Role | None = None
    known: bool = False
    # A Telegram chat whose live question the turn's opening SELECT reads as well (one statement less for the
    # channel, which retires its buttons once the replies are out); ``live_known`` once the turn read it (an attempt
    # that fails is followed by one with a new TurnSeen).
    live_chat: int | None = None
    live: LiveMessage | None = None
    live_known: bool = False

    def saw(self, role: Role | None) -> None:
        """The turn's person has ``role`` (None: not linked, or inactive)."""
        self.role, self.known = Role(role) if role is not None else None, True

    def saw_live(self, live: LiveMessage | None) -> None:
        """The turn read the chat's live question (None: none is noted)."""
        self.live, self.live_known = live, True

    def forget(self) -> None:
        """The turn did not settle who its person is, nor read the live question."""
        self.role, self.known = None, False
        self.live, self.live_known = None, False
