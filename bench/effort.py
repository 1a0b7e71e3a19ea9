"""The phone-effort meter (issue 17): what registering a project or reporting a quarter costs a person in inputs.

Each scenario of ``bench/effort_scenarios.json`` is a script of what a person does — type a text (``say``), tap a
button on screen by its label (``tap``), tap the rich menu / Telegram menu (``menu``: the command the menu button
sends) — played through the real service on a fresh database with the demo office, people and projects. Only the
``steps`` are counted; ``setup`` (and the scenario named by ``after``) brings the world to where they start: the
clock, another person's part (the director returning a report), and a notice the channels push by themselves
(the console shows it at the person's next message, so the script's set-up says hello). The inputs live only in
that file, so a shorter
way of answering changes the script, not this code.

The replies are the engine's neutral ones, the same on every channel; they are then counted as LINE and Telegram
would send them (``bot.line_render``, ``bot.telegram_render``). A tap on a button that is not on the first page of
a long list also costs the taps that turn the pages: LINE's "more" quick reply (answered with the screen again),
Telegram's ▶️ (an edit of the keyboard, no new message). A menu tap must be on that person's LINE rich menu and in
their Telegram command menu, or the scenario is refused: a shortcut nobody sees is not the shortest path.

``python -m bench.effort`` prints the table and each goal, met or not; ``--json`` prints one object per scenario
and channel.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from api.demo import seed_demo
from bench.service import fresh_database
from bot import line_render, telegram_render
from bot.line_menus import MENUS
from bot.line_postback import button_data
from bot.telegram_commands import ROLE_COMMANDS
from conversations.messages import Choice, ChoiceRole, Inbound, Reply
from conversations.service.turns import ConversationService
from models.db import Database
from models.enums import Platform, Role
from models.report import WindowException
from tests.support.clock import SteppingClock

SCENARIOS_FILE = Path(__file__).with_name("effort_scenarios.json")
SCENARIOS = ("register_a", "register_b", "report_a_q1", "fix_returned")
CHANNELS = ("line", "telegram")
GOALS: dict[str, int] = {"register_a": 40, "register_b": 20, "report_a_q1": 12, "fix_returned": 4}
MESSAGES_PER_INPUT = 1.5
Handler = Callable[[Inbound], Awaitable[list[Reply]]]


async def _drop_window_exceptions() -> None:
    """The demo lets Q1 be reported early; without its exception the real windows apply."""
    await WindowException.all().delete()


WORLD_CHANGES: dict[str, Callable[[], Awaitable[None]]] = {"drop_window_exceptions": _drop_window_exceptions}


class ScriptError(Exception):
    """A step the screen does not allow: a button not on it, a menu command not on the person's menus."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One counted input: what the person did, the screen it was done on, and what the bot answered."""

    kind: str  # say, tap or menu
    text: str  # what was typed, the label tapped, or the menu command
    screen: Reply | None  # the live screen before the input (where a tap's button is looked for)
    choice: Choice | None  # the button tapped
    replies: tuple[Reply, ...]


@dataclass(frozen=True, slots=True)
class Effort:
    """What one scenario cost on one channel."""

    scenario: str
    channel: str
    inputs: int
    typed: int
    taps: int
    characters: int
    messages: int

    @property
    def messages_per_input(self) -> float:
        """Bot messages sent per input (page turns included)."""
        return round(self.messages / self.inputs, 2) if self.inputs else 0.0

    def as_json(self) -> dict[str, Any]:
        """The object ``--json`` prints (``messages`` is kept too, for the total)."""
        return {**asdict(self), "messages_per_input": self.messages_per_input}


def load_scenarios(path: Path = SCENARIOS_FILE) -> dict[str, dict[str, Any]]:
    """The scripts, by scenario name."""
    scenarios: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return scenarios


def find_choice(screen: Reply | None, label: str, above: Sequence[Reply] = ()) -> Choice:
    """The button on screen labelled exactly ``label``, else the one label containing it; failing that, a button
    of a message above it (a notice's 📝 เปิดรายงาน), as the golden transcripts tap.

    Raises:
        ScriptError: no single such button.
    """
    choices = screen.choices if screen is not None else ()
    found = _labelled(choices, label) or _labelled([choice for reply in above for choice in reply.choices], label)
    if len(found) != 1:
        raise ScriptError(f"no single button {label!r} among {[choice.label for choice in choices]}")
    return found[0]


def _labelled(choices: Sequence[Choice], label: str) -> list[Choice]:
    return [choice for choice in choices if choice.label == label] or [
        choice for choice in choices if label in choice.label]


def check_menu(command: str, role: Role) -> None:
    """A menu step must be one tap on both channels: on the role's LINE rich menu and Telegram command menu.

    Raises:
        ScriptError: it is missing from either.
    """
    on_line = any(button.says == f"/{command}" for button in MENUS[role].buttons)
    on_telegram = command in ROLE_COMMANDS[role]
    if not (on_line and on_telegram):
        raise ScriptError(f"/{command} is not one tap for a {role.value}: LINE rich menu {on_line}, "
                          f"Telegram menu {on_telegram}")


class Player:
    """Plays scripts through a handler (the real service), one person's screen each."""

    def __init__(self, handle: Handler, clock: SteppingClock, roles: dict[str, Role]) -> None:
        self.handle = handle
        self.clock = clock
        self.roles = roles
        self.screens: dict[str, Reply] = {}
        self.above: dict[str, tuple[Reply, ...]] = {}  # the replies above each person's screen (a notice)
        self._events = 0

    async def act(self, who: str, step: dict[str, Any]) -> Turn | None:
        """Do one step; a person's step returns its turn, a clock or world step None."""
        if "clock" in step:
            self.clock.set(datetime.fromisoformat(step["clock"]))
            return None
        if "world" in step:
            await WORLD_CHANGES[step["world"]]()
            return None
        self._events += 1
        event = f"effort-{self._events}"
        screen = self.screens.get(who)
        choice: Choice | None = None
        if "say" in step:
            kind, text = "say", str(step["say"])
            inbound = Inbound(Platform.CONSOLE, who, event_id=event, text=text)
        elif "tap" in step:
            kind, text = "tap", str(step["tap"])
            choice = find_choice(screen, text, self.above.get(who, ()))
            inbound = Inbound(Platform.CONSOLE, who, event_id=event, button=choice.token)
        elif "menu" in step:
            kind, text = "menu", str(step["menu"])
            check_menu(text, self.roles[who])
            inbound = Inbound(Platform.CONSOLE, who, event_id=event, text=f"/{text}")
        else:
            raise ScriptError(f"a step needs say, tap, menu, clock or world: {step}")
        replies = await self.handle(inbound)
        if replies:
            self.screens[who], self.above[who] = replies[-1], tuple(replies[:-1])
        return Turn(kind, text, screen, choice, tuple(replies))

    async def play(self, scenarios: dict[str, dict[str, Any]], name: str) -> list[Turn]:
        """Bring the world to the scenario's start (uncounted), then play its steps; return the counted turns."""
        scenario = scenarios[name]
        if "after" in scenario:
            await self.play(scenarios, scenario["after"])
        person = scenario["person"]
        for step in scenario.get("setup", []):
            await self.act(step.get("who", person), step)
        turns: list[Turn] = []
        for number, step in enumerate(scenario["steps"], 1):
            try:
                turn = await self.act(step.get("who", person), step)
            except ScriptError as error:
                raise ScriptError(f"{name}, step {number} {step}: {error}") from None
            if turn is not None:
                turns.append(turn)
        return turns


def line_page_of(screen: Reply, choice: Choice) -> int:
    """The LINE quick-reply page holding the button (0: the first, shown with the question)."""
    for page in range(line_render.page_count(screen)):
        data = button_data(choice.token, page)
        if any(item["action"].get("data") == data for item in line_render.quick_reply_items(screen, page)):
            return page
    return 0


def telegram_page_of(screen: Reply, choice: Choice) -> int:
    """The Telegram keyboard page holding the button (navigation buttons are on every page)."""
    if choice.role is ChoiceRole.NAVIGATION:
        return 0
    answers = [item for item in screen.choices if item.role is not ChoiceRole.NAVIGATION]
    return answers.index(choice) // telegram_render.PAGE_SIZE if choice in answers else 0


def line_messages(replies: Sequence[Reply]) -> int:
    """Messages LINE sends for one turn's replies."""
    return len(line_render.render(replies))


def telegram_messages(replies: Sequence[Reply], today: datetime) -> int:
    """Messages Telegram sends for one turn's replies (long text split)."""
    return len(telegram_render.render_turn(replies, today=today.date()))


def measure(scenario: str, channel: str, turns: Sequence[Turn], today: datetime) -> Effort:
    """Count the turns as ``channel`` shows them."""
    inputs = typed = taps = characters = messages = 0
    for turn in turns:
        if turn.kind == "say":
            typed += 1
            characters += len(turn.text)
        else:
            taps += 1
            if turn.choice is not None and turn.screen is not None:  # turning pages to reach the button
                if channel == "line":
                    turns_needed = line_page_of(turn.screen, turn.choice)
                    messages += sum(len(line_render.render([turn.screen], page))
                                    for page in range(1, turns_needed + 1))
                else:
                    turns_needed = telegram_page_of(turn.screen, turn.choice)  # edits the keyboard: no message
                taps += turns_needed
        messages += line_messages(turn.replies) if channel == "line" else telegram_messages(turn.replies, today)
    inputs = typed + taps
    return Effort(scenario, channel, inputs, typed, taps, characters, messages)


async def run_scenario(scenarios: dict[str, dict[str, Any]], name: str, url: str) -> list[Effort]:
    """Play one scenario on a fresh demo database at ``url``; its effort on each channel."""
    async with Database(url) as database:
        people = await seed_demo()
        roles = {console: user.role for console, user in people.items()}
        clock = SteppingClock()
        service = ConversationService(postgres=database.is_postgres, clock=clock)
        turns = await Player(service.handle, clock, roles).play(scenarios, name)
        return [measure(name, channel, turns, clock()) for channel in CHANNELS]


async def run(names: Sequence[str] = SCENARIOS) -> list[Effort]:
    """Every scenario, each on its own fresh database."""
    scenarios = load_scenarios()
    efforts: list[Effort] = []
    for name in names:
        async with fresh_database("sqlite", f"effort_{name}") as url:
            efforts += await run_scenario(scenarios, name, url)
    return efforts


def goals(efforts: Sequence[Effort]) -> list[tuple[str, str, str, bool]]:
    """Each goal of issue 17: what, the figure reached, the goal, met."""
    rows: list[tuple[str, str, str, bool]] = []
    for name, limit in GOALS.items():
        mine = [effort for effort in efforts if effort.scenario == name]
        if mine:
            most = max(effort.inputs for effort in mine)
            rows.append((f"effort: {name} inputs", str(most), f"≤ {limit}", most <= limit))
    if efforts:
        worst = max(efforts, key=lambda effort: effort.messages_per_input)
        rows.append(("effort: bot messages per input", f"{worst.messages_per_input:.2f} ({worst.scenario}, "
                     f"{worst.channel})", f"≤ {MESSAGES_PER_INPUT}", worst.messages_per_input <= MESSAGES_PER_INPUT))
    return rows


def table(efforts: Sequence[Effort]) -> str:
    """The effort of each scenario and channel, then each goal met or not."""
    lines = ["| scenario | channel | inputs | typed | taps | characters | messages/input |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {e.scenario} | {e.channel} | {e.inputs} | {e.typed} | {e.taps} | {e.characters:,} | "
              f"{e.messages_per_input:.2f} |" for e in efforts]
    lines.append("")
    lines += [f"{what}: {reached} (goal {goal}): {'met' if met else 'not met'}"
              for what, reached, goal, met in goals(efforts)]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m bench.effort [--json] [SCENARIO …]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.effort", description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per scenario and channel")
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=f"some of {', '.join(SCENARIOS)}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.scenarios) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    efforts = asyncio.run(run(args.scenarios or SCENARIOS))
    if args.json:
        json.dump([effort.as_json() for effort in efforts], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(table(efforts))


if __name__ == "__main__":
    main()

