"""Conversations saved by an earlier release load and continue: each fixture in tests/fixtures/saved_states/ holds a
person's stored state from a release before issue 16's typed state, and the replies their next act got then.

``TIDTAM_SAVED_STATES=record`` writes the fixtures from the code as it is instead (done once, before the change).
"""

from __future__ import annotations

import os

import pytest

from models.db import Database
from tests.support.saved_states import FIXTURE_DIR, POINTS, SavedPoint, record, replay
from tests.support.world import demo_world

RECORD = os.environ.get("TIDTAM_SAVED_STATES") == "record"
NAMES = sorted(POINTS)


@pytest.mark.parametrize("name", NAMES)
async def test_a_saved_conversation_continues_where_it_was(database: Database, name: str) -> None:
    async with demo_world(database) as world:
        if RECORD:
            (await record(world, name)).write()
            return
        point = SavedPoint.read(FIXTURE_DIR / f"{name}.json")
        replies = await replay(world, point)
    assert replies == point.replies, f"{name} ({point.about}): the next {point.act} got other replies"
