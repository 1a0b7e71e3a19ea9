"""A small world for conversation tests: the demo office and people, a service on the test database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from api.demo import seed_demo
from conversations.flows.flow import Flow
from conversations.service.turns import ConversationService
from models.db import Database
from models.org import User
from tests.support.clock import SteppingClock
from tests.support.transcript import Chat


@dataclass
class World:
    """The demo people and a service that talks to them."""

    database: Database
    clock: SteppingClock
    service: ConversationService
    people: dict[str, User]
    flows: dict[str, Flow] | None = None  # the flows a restart serves (None: the real ones)

    def chat(self, user_ref: str, **kwargs: object) -> Chat:
        """A console chat as one of the demo accounts (``suda``, ``somchai``, ``weera``, ``admin``)."""
        return Chat(self.service.handle, user_ref, **kwargs)  # type: ignore[arg-type]

    def restart(self) -> None:
        """A new service object, as after a process restart (the database keeps everything)."""
        self.service = ConversationService(postgres=self.database.is_postgres, clock=self.clock, flows=self.flows)


@asynccontextmanager
async def demo_world(database: Database) -> AsyncIterator[World]:
    """Seed the demo and yield a world on it."""
    people = await seed_demo()
    clock = SteppingClock()
    yield World(database, clock, ConversationService(postgres=database.is_postgres, clock=clock), people)
