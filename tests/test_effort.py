"""The phone-effort meter (``bench/effort.py``, issue 17): it runs, prints what the lead reads, and counts what a
transcript of the same script shows."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.effort import (
    CHANNELS,
    SCENARIOS,
    Player,
    ScriptError,
    Turn,
    check_menu,
    load_scenarios,
    measure,
)
from bot import line_render, telegram_render
from bot.line_menus import MENUS
from bot.telegram_commands import bot_commands
from conversations.messages import Choice, ChoiceRole, Reply
from models.db import Database
from models.enums import Role
from tests.support.database import empty_tables
from tests.support.world import demo_world

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"scenario", "channel", "inputs", "typed", "taps", "characters", "messages_per_input"}
TODAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_the_scripts_name_every_scenario_and_only_known_steps() -> None:
    scenarios = load_scenarios()
    assert set(scenarios) == set(SCENARIOS)
    for name, scenario in scenarios.items():
        assert scenario["steps"], name
        for step in [*scenario.get("setup", []), *scenario["steps"]]:
            assert len(set(step) & {"say", "tap", "menu", "clock", "world"}) == 1, (name, step)


@pytest.mark.process
def test_json_has_one_object_per_scenario_and_channel() -> None:
    done = subprocess.run([sys.executable, "-m", "bench.effort", "--json", "register_b"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    efforts = json.loads(done.stdout)
    assert [(effort["scenario"], effort["channel"]) for effort in efforts] == [("register_b", c) for c in CHANNELS]
    for effort in efforts:
        assert set(effort) >= KEYS
        assert effort["inputs"] == effort["typed"] + effort["taps"] > 0
        assert effort["characters"] > effort["typed"]
        assert 0 < effort["messages_per_input"] < 10


@pytest.mark.process
def test_the_table_says_each_goal_met_or_not() -> None:
    done = subprocess.run([sys.executable, "-m", "bench.effort", "register_b"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    assert "| register_b | line |" in done.stdout and "| register_b | telegram |" in done.stdout
    assert "effort: register_b inputs:" in done.stdout and "(goal ≤ 20)" in done.stdout
    assert "effort: bot messages per input:" in done.stdout
    assert done.stdout.count(": met") + done.stdout.count(": not met") == 2


async def test_counts_match_a_transcript_of_the_same_script(database: Database) -> None:
    script = load_scenarios()["register_b"]
    steps = script["steps"]
    async with demo_world(database) as world:  # the transcript: played by hand, counted from what came back
        chat = world.chat(script["person"])
        line = telegram = 0
        for step in steps:
            if "say" in step:
                await chat.say(step["say"])
            elif "tap" in step:
                await chat.tap(step["tap"])
            else:
                await chat.say(f"/{step['menu']}")
            line += len(line_render.render(chat.last))
            telegram += len(telegram_render.render_turn(chat.last, today=TODAY.date()))
        submitted = chat.text
    await empty_tables(database)
    async with demo_world(database) as world:  # the meter, on the same world from the start
        roles = {name: user.role for name, user in world.people.items()}
        turns = await Player(world.service.handle, world.clock, roles).play(load_scenarios(), "register_b")
    said = [step["say"] for step in steps if "say" in step]
    assert [turn.text for turn in turns] == [next(iter(step.values())) for step in steps]
    assert "\n".join(reply.text for reply in turns[-1].replies) == submitted
    for channel, messages in (("line", line), ("telegram", telegram)):
        effort = measure("register_b", channel, turns, TODAY)
        assert effort.typed == len(said) and effort.characters == sum(map(len, said))
        assert effort.taps == len(steps) - len(said)  # no button of B is past a list's first page
        assert effort.inputs == len(steps) and effort.messages == messages


def _long_list() -> tuple[Reply, Choice]:
    choices = tuple(Choice(f"t{number}", f"แผน {number}") for number in range(20))
    done = Choice("done", "เสร็จ", role=ChoiceRole.NAVIGATION)
    return Reply("เลือกแผน", (*choices, done)), choices[17]


def test_a_button_past_the_first_page_costs_the_page_turns() -> None:
    screen, far = _long_list()
    turn = Turn("tap", far.label, screen, far, (Reply("ถัดไป"),))
    line, telegram = measure("x", "line", [turn], TODAY), measure("x", "telegram", [turn], TODAY)
    assert line.taps == 1 + 1 and line.messages == 2  # one "more" (11 a page: the list again), then the answer
    assert telegram.taps == 2 + 1 and telegram.messages == 1  # ▶️ twice (8 a page: keyboard edits), the answer
    navigation = Turn("tap", "เสร็จ", screen, screen.choices[-1], (Reply("ถัดไป"),))
    assert measure("x", "telegram", [navigation], TODAY).taps == 1  # navigation is on every page


def test_a_menu_step_must_be_one_tap_on_both_channels() -> None:
    check_menu("new", Role.OWNER)
    check_menu("reports", Role.OWNER)
    with pytest.raises(ScriptError, match="not one tap"):
        check_menu("export", Role.OWNER)


@pytest.mark.parametrize(("role", "main", "on_line"), [
    (Role.OWNER, ["new", "continue", "reports"], ["new", "continue", "reports"]),
    (Role.DIRECTOR, ["inbox", "status"], ["inbox", "status"]),
    (Role.ADMIN, ["inbox", "status"], ["status"]),  # the admin's rich menu keeps windows and invites instead
])
def test_each_role_s_menus_open_on_its_main_actions(role: Role, main: list[str], on_line: list[str]) -> None:
    telegram = [command.command for command in bot_commands(role)]
    assert telegram[:len(main)] == main  # the first lines of the menu button's list
    line = {button.says for button in MENUS[role].buttons}
    assert {f"/{command}" for command in on_line} <= line  # one tap on the rich menu too
    for command in on_line:
        check_menu(command, role)
