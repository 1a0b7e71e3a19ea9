"""Which role the person behind each chat account has, for channels that show each role its own menu."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from models.enums import Platform, Role
from models.live_questions import LiveMessage
from models.org import ChatAccount


async def roles_of(platform: Platform, external_ids: Sequence[str] | None = None) -> dict[str, Role]:
    """The role of each linked, active person behind these accounts (every account of the platform when
    ``external_ids`` is None); accounts without one (not linked, a deactivated person) are left out."""
    query = ChatAccount.filter(platform=platform, user_id__isnull=False, user__active=True)
    if external_ids is not None:
        query = query.filter(external_id__in=list(external_ids))
    rows = await query.values_list("external_id", "user__role")
    return {str(external_id): Role(role) for external_id, role in rows}


@dataclass(slots=True)
class RoleSeen:
    """The role of the person a turn read (its opening SELECT reads the account's person every turn), kept for the
    channel's menu so that it need not read it again: a role changed elsewhere is seen at the person's next turn
    either way. ``known`` is False when no turn ran, or when it linked someone (the person changed under it): the
    channel then asks :func:`roles_of`."""

    role: Role | None = None
    known: bool = False
    # A Telegram chat whose live question the turn's opening SELECT reads as well (one statement less for the
    # channel, which retires its buttons once the replies are out); ``live_known`` once a committed turn read it.
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
