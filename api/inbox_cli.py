"""``tidtam inbox``: where the received events stand, and those set aside because their turn kept failing."""

from __future__ import annotations

import argparse

from api.settings import Settings
from conversations.service import inbox
from models.db import Database
from models.fiscal import BANGKOK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``inbox`` command."""
    command = sub.add_parser("inbox", help="received events: counts by state, and those set aside")
    command.add_argument("--limit", type=int, default=20, help="set-aside events shown, newest first (default 20)")


async def show(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Print the counts by state, then the latest events set aside with their error."""
    counts = await inbox.counts()
    print("inbox: " + ", ".join(f"{status} {count}" for status, count in counts.items()))
    for event in await inbox.set_aside_events(max(args.limit, 0)):
        received = event.received_at.astimezone(BANGKOK)
        print(f"- #{event.id} {event.platform}:{event.chat_ref} event {event.event_id} "
              f"received {received:%Y-%m-%d %H:%M}\n    {event.last_error}")
    return 0
