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
from tests.support.golden import GOLDEN_DIR, GoldenMismatch, GoldenRunner, write
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
        unrecorded = [number for number, turn in enumerate(turns, 1) if "who" in turn and "replies" not in turn]
        assert not unrecorded, f"{path.name}: turns {unrecorded} have no replies; record with TIDTAM_GOLDEN=record"


async def test_a_changed_reply_is_reported_with_its_turn(database: Database, tmp_path: Path) -> None:
    golden = json.loads((GOLDEN_DIR / "register_project_b.json").read_text(encoding="utf-8"))
    number, turn = next((number, turn) for number, turn in enumerate(golden["turns"], 1) if "say" in turn)
    turn["replies"][-1]["text"][0] += " (changed)"
    altered = tmp_path / "altered.json"
    write(altered, golden)
    async with demo_world(database) as world:
        with pytest.raises(GoldenMismatch) as failure:
            await GoldenRunner(world, altered).play()
    assert failure.value.turn == number
    message = str(failure.value)
    assert f"altered.json, turn {number}: weera says {turn['say']!r}" in message
    assert "(changed)" in message and "--- recorded" in message and "+++ now" in message


async def test_a_button_no_longer_on_screen_is_reported_with_its_turn(database: Database, tmp_path: Path) -> None:
    golden = json.loads((GOLDEN_DIR / "register_project_b.json").read_text(encoding="utf-8"))
    number, turn = next((number, turn) for number, turn in enumerate(golden["turns"], 1) if "tap" in turn)
    turn["tap"] = "ปุ่มที่ไม่มีแล้ว"
    altered = tmp_path / "altered.json"
    write(altered, golden)
    async with demo_world(database) as world:
        with pytest.raises(GoldenMismatch) as failure:
            await GoldenRunner(world, altered).play()
    assert failure.value.turn == number
    assert "weera taps 'ปุ่มที่ไม่มีแล้ว': no single such button among ['➕ ลงทะเบียนโครงการใหม่'" in str(failure.value)
