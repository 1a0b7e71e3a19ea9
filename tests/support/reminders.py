"""Reminder loops for tests: the terminal pusher capturing what each console account was shown."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.pushers import ConsolePusher, Pusher
from bot.reminders import ReminderLoop, ReminderOptions
from conversations.messages import Reply
from models.enums import ItemStatus, Platform, Role
from models.fiscal import BANGKOK
from models.org import ChatAccount, Office, User
from models.project import Project
from tests.support.clock import SteppingClock


@dataclass
class Terminal:
    """What the terminal showed each console account, in order."""

    shown: dict[str, list[Reply]] = field(default_factory=lambda: defaultdict(list))

    def show(self, replies: Sequence[Reply], recipient: str | None) -> None:
        assert recipient is not None
        self.shown[recipient].extend(replies)

    def texts(self, recipient: str) -> list[str]:
        return [reply.text for reply in self.shown.get(recipient, [])]

    def take(self, *, admins: bool = False) -> dict[str, list[str]]:
        """Everything shown since the last take, by account (without the admins' weekly summary unless asked)."""
        taken = {name: [reply.text for reply in replies] for name, replies in self.shown.items()
                 if replies and (admins or name != "admin")}
        self.shown.clear()
        return taken

    def pusher(self) -> ConsolePusher:
        return ConsolePusher(self.show)


def bangkok(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A local moment."""
    return datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


def loop(clock: SteppingClock, *pushers: Pusher, options: ReminderOptions | None = None) -> ReminderLoop:
    """A reminder loop on the test clock."""
    return ReminderLoop(list(pushers), clock=clock, options=options)


async def second_office() -> tuple[Office, User, User, Project]:
    """Another office with a director, an owner (console accounts dao and krit) and an approved project."""
    office = await Office.create(code="LPN1", name="สพป.ลำพูน เขต 1", province="ลำพูน")
    director = await User.create(name="นายกฤษดา ทองคำ", role=Role.DIRECTOR, office=office)
    owner = await User.create(name="นางดาว เรืองศรี", role=Role.OWNER, office=office)
    await ChatAccount.create(platform=Platform.CONSOLE, external_id="krit", user=director)
    await ChatAccount.create(platform=Platform.CONSOLE, external_id="dao", user=owner)
    project = await Project.create(code="LPN1-2570-001", fiscal_year=2570, office=office, owner=owner,
                                   status=ItemStatus.APPROVED, name="โครงการห้องเรียนคุณภาพ")
    return office, director, owner, project
