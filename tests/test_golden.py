"""Golden transcripts recorded from the conversation before the state-machine rewrite (issue 16): every reply and
button of each file in tests/golden/ must come back the same, turn by turn, with a restart between turns.

``TIDTAM_GOLDEN=record`` rewrites the expected replies of every file from its inputs instead of checking them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from models.db import Database
from tests.support.golden import GOLDEN_DIR, GoldenRunner, write
from tests.support.world import demo_world

pytestmark = pytest.mark.golden
RECORD = os.environ.get("TIDTAM_GOLDEN") == "record"
FILES = sorted(GOLDEN_DIR.glob("*.json"))


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
async def test_golden_transcript(database: Database, path: Path) -> None:
    async with demo_world(database) as world:
        golden = await GoldenRunner(world, path, record=RECORD).play()
    if RECORD:
        write(path, golden)


def test_every_person_turn_is_recorded() -> None:
    for path in FILES:
        turns = json.loads(path.read_text(encoding="utf-8"))["turns"]
        unrecorded = [number for number, turn in enumerate(turns, 1) if "who" in turn and not turn.get("replies")]
        assert not unrecorded, f"{path.name}: turns {unrecorded} have no replies; record with TIDTAM_GOLDEN=record"

