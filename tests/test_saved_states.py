"""Conversations saved by an earlier release load and continue: each fixture in tests/fixtures/saved_states/ holds a
person's stored state from a release before issue 16's typed state, and the replies their next act got then. The
world each is put back into is built by a frozen setup transcript (tests/fixtures/saved_states/setup/), played with
the flows it was recorded under.

``TIDTAM_SAVED_STATES=record`` writes the fixtures from the code as it is instead (done once, before the change);
``=replies`` refreshes only their expected replies (an intended UI change); ``=setup`` re-records the setup
transcripts' replies (their inputs never change).
"""

from __future__ import annotations

import os

import pytest

from models.db import Database
from tests.support.saved_states import (
    FIXTURE_DIR,
    POINTS,
    SavedPoint,
    play_setup,
    record,
    refresh_replies,
    replay,
)
from tests.support.world import demo_world

MODE = os.environ.get("TIDTAM_SAVED_STATES", "")
NAMES = sorted(POINTS)
SETUPS = sorted({golden for golden, _, _ in POINTS.values()})


@pytest.mark.parametrize("name", NAMES)
async def test_a_saved_conversation_continues_where_it_was(database: Database, name: str) -> None:
    async with demo_world(database) as world:
        if MODE == "record":
            (await record(world, name)).write()
            return
        point = SavedPoint.read(FIXTURE_DIR / f"{name}.json")
        if MODE == "replies":
            (await refresh_replies(world, point)).write()
            return
        replies = await replay(world, point)
    assert replies == point.replies, f"{name} ({point.about}): the next {point.act} got other replies"


@pytest.mark.parametrize("golden", SETUPS)
async def test_a_setup_transcript_plays_as_frozen(database: Database, golden: str) -> None:
    async with demo_world(database) as world:
        await play_setup(world, golden, record=MODE == "setup")
