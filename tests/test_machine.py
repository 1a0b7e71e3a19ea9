"""The declared conversation machine: sound when built, honest about what the screens offer, drawn from its
declaration (``tidtam flows diagram``, embedded in the README), with back pointers of old sessions kept."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from bot.line_limits import MAX_POSTBACK_DATA
from bot.line_postback import button_data
from bot.telegram_limits import MAX_CALLBACK_DATA_BYTES
from conversations.catalog_view import CatalogView
from conversations.copy import COPY
from conversations.engine.context import Context, Person, Turn
from conversations.engine.core import step
from conversations.engine.diagram import ANYWHERE as ANYWHERE_NODE
from conversations.engine.diagram import node, token_label
from conversations.engine.dialogs import ANYWHERE, GLOBAL, SCREENS
from conversations.engine.machine import Done, Event, Screen, button, dispatch_anywhere, switch, targets
from conversations.engine.machine_check import WORST_PROMPT, MachineError, buttons_of, check, problems, worst_value
from conversations.engine.modes import Mode
from conversations.engine.nav import Input, Nav
from conversations.engine.output import Output
from conversations.engine.picks import Pick, Picked, parse, value
from conversations.engine.state import State
from conversations.flows.flow import Section
from conversations.flows.registry import FLOWS
from conversations.messages import TOKEN_BUDGET_BYTES, Inbound
from conversations.tokens import NAV, encode
from models.db import Database
from models.enums import Platform, Role
from models.runtime import ConversationSession
from tests.support.golden import GOLDEN_DIR, GoldenRunner
from tests.support.world import demo_world

ROOT = Path(__file__).resolve().parent.parent
KEYS = frozenset(COPY)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
OWNER = Person(id=1, name="นางสาวสุดา ศรีสุข", email="", phone="", role=Role.OWNER)


def test_the_machine_as_built_is_sound() -> None:
    assert problems(SCREENS, ANYWHERE, FLOWS, KEYS) == []
    assert set(SCREENS) == set(Mode)


def test_a_missing_screen_an_unknown_target_and_an_unreachable_screen_are_refused() -> None:
    screens = {mode: screen for mode, screen in SCREENS.items() if mode is not Mode.COMMENT}
    found = problems(screens, ANYWHERE, FLOWS, KEYS)
    assert "screen comment is not declared" in found
    assert "item: return leads to undeclared screen comment" in found
    menu = dataclasses.replace(SCREENS[Mode.MENU], buttons=())
    found = problems({**SCREENS, Mode.MENU: menu}, ANYWHERE, FLOWS, KEYS)
    assert "screen inbox cannot be reached from the menu" in found
    assert "screen projects cannot be reached from the menu" in found
    with pytest.raises(MachineError, match="cannot be reached"):
        check({**SCREENS, Mode.MENU: menu}, ANYWHERE, FLOWS, KEYS)


def test_an_unknown_copy_key_is_refused() -> None:
    hub = SCREENS[Mode.HUB]
    renamed = dataclasses.replace(hub, texts=("hub.nowhere",), buttons=(
        button(Nav.REVIEW, "nav.nowhere", switch(Mode.REVIEW)), *hub.buttons))
    found = problems({**SCREENS, Mode.HUB: renamed}, ANYWHERE, FLOWS, KEYS)
    assert "hub: unknown copy key hub.nowhere" in found
    assert "hub: review has unknown label copy key nav.nowhere" in found


def test_every_navigation_word_has_exactly_one_declared_handler() -> None:
    without_start = tuple(declared for declared in ANYWHERE if declared.token is not Nav.START)
    assert problems(SCREENS, without_start, FLOWS, KEYS) == ["nav start has no declared handler"]
    with pytest.raises(MachineError, match="nav start has no declared handler"):
        check(SCREENS, without_start, FLOWS, KEYS)
    menu = next(declared for declared in ANYWHERE if declared.token is Nav.MENU)
    assert "anywhere: menu is declared twice" in problems(SCREENS, (*ANYWHERE, menu), FLOWS, KEYS)
    assert "anywhere: menu has no handler" in problems(
        SCREENS, (*ANYWHERE[:1], dataclasses.replace(menu, run=None)), FLOWS, KEYS)
    hub = SCREENS[Mode.HUB]
    own_save = dataclasses.replace(hub, buttons=(button(Nav.SAVE, "nav.save", switch(Mode.MENU),
                                                        run=lambda event: None), *hub.buttons))
    found = problems({**SCREENS, Mode.HUB: own_save}, ANYWHERE, FLOWS, KEYS)
    assert "hub: save has a handler of its own besides the one anywhere" in found
    form = SCREENS[Mode.FORM]
    no_words = {**SCREENS, Mode.FORM: dataclasses.replace(form, words=frozenset()),
                Mode.START: dataclasses.replace(SCREENS[Mode.START], words=frozenset())}
    assert "nav skip has no declared handler" in problems(no_words, ANYWHERE, FLOWS, KEYS)
    taken_twice = {**SCREENS, Mode.FORM: dataclasses.replace(form, words=form.words | {Nav.MENU})}
    assert "form: menu is taken as input and handled anywhere" in problems(taken_twice, ANYWHERE, FLOWS, KEYS)


def test_a_word_that_works_anywhere_is_dispatched_through_its_declaration() -> None:
    state = State(mode=Mode.PROJECTS)
    out = Output()
    handled = dispatch_anywhere(GLOBAL, Event(FLOWS, state, _context(), Input(action=Nav.HELP), out))
    assert handled and [reply.key for reply in out.replies] == ["help.text"] and state.mode is Mode.PROJECTS
    # /submit applies only from an item's own screens: elsewhere the screen on show takes the word
    assert not dispatch_anywhere(GLOBAL, Event(FLOWS, state, _context(), Input(action=Nav.SUBMIT), Output()))
    assert not dispatch_anywhere(GLOBAL, Event(FLOWS, state, _context(), Input(action=Nav.YES), Output()))


def test_a_button_whose_token_would_not_fit_is_refused() -> None:
    register = FLOWS["register"]
    long_id = "m" * (TOKEN_BUDGET_BYTES - 4)  # fits alone, not after the prompt number and the pick's prefix
    wide = dataclasses.replace(register, sections=(*register.sections,
                                                   Section(long_id, register.sections[0].title, ())))
    found = problems(SCREENS, ANYWHERE, {**FLOWS, "register": wide}, KEYS)
    assert any(line.startswith("hub: section does not fit a token") for line in found), found


def test_the_token_budget_is_the_smallest_channel_limit() -> None:
    assert TOKEN_BUDGET_BYTES <= MAX_CALLBACK_DATA_BYTES
    for screen in SCREENS.values():
        for declared in buttons_of(screen):
            token = encode(WORST_PROMPT, worst_value(declared.token, FLOWS))
            assert len(token.encode()) <= MAX_CALLBACK_DATA_BYTES
            assert len(button_data(token, page=99)) <= MAX_POSTBACK_DATA


@pytest.mark.parametrize(("pick", "argument", "text"), [
    (Pick.SECTION, ("m3",), "s.m3"), (Pick.VIEW, ("r2",), "v.r2"), (Pick.START_QUESTION, ("name",), "n.name"),
    (Pick.EDIT, ("kpis",), "e.kpis"), (Pick.PROJECT, (7,), "p7"), (Pick.REPORT, (34,), "r34"),
    (Pick.QUARTER, (12, 2570, 1), "q12.2570.1"), (Pick.FILE, (5,), "f5"),
])
def test_picks_round_trip_through_their_short_values(pick: Pick, argument: tuple[Any, ...], text: str) -> None:
    assert value(pick, *argument) == text
    assert parse(text, (pick,)) == Picked(pick, argument)


def test_a_value_is_read_only_by_a_screen_that_declares_its_pick() -> None:
    assert parse("p12", (Pick.QUARTER, Pick.SECTION)) is None
    assert parse("q12.2570", (Pick.QUARTER,)) is None  # a quarter has three parts
    assert parse("qx.2570.1", (Pick.QUARTER,)) is None
    assert parse("e", (Pick.EDIT,)) is None
    with pytest.raises(ValueError, match="takes"):
        value(Pick.EDIT, 3)
    with pytest.raises(ValueError, match="cannot be carried"):
        value(Pick.SECTION, "m.3")


def _declared(screen: Screen, offered: str) -> bool:
    if offered.startswith(NAV):
        return any(declared.token == offered[len(NAV):] for declared in buttons_of(screen))
    return parse(offered, tuple(b.token for b in screen.buttons if isinstance(b.token, Pick))) is not None


@pytest.mark.parametrize("path", sorted(GOLDEN_DIR.glob("*.json")), ids=lambda path: path.stem)
async def test_every_button_a_screen_offers_is_declared_on_it(database: Database, path: Path) -> None:
    """Through every golden conversation: after each turn, the buttons on each person's screen (outside the
    question walk, whose answers are the form's own) are buttons its declaration names."""
    seen: set[str] = set()

    async def declared_only() -> None:
        for session in await ConversationSession.all():
            state = session.state
            mode = Mode(state.get("mode", Mode.MENU))
            seen.add(mode)
            if mode in (Mode.FORM, Mode.START):
                continue
            undeclared = [offered for offered in state.get("offered", []) if not _declared(SCREENS[mode], offered)]
            assert not undeclared, f"{path.name}: {mode} offers undeclared {undeclared}"

    async with demo_world(database) as world:
        await GoldenRunner(world, path, after_turn=declared_only).play()
    assert seen - {Mode.FORM, Mode.START}, "the conversation never left the form"


def _diagram_lines() -> list[str]:
    done = subprocess.run([sys.executable, "-m", "api.cli", "flows", "diagram"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    return done.stdout.splitlines()


SHAPES = [re.compile(pattern) for pattern in (
    r"stateDiagram-v2",
    r"( {4})+(\[\*\]|[A-Za-z]\w*) --> (\[\*\]|[A-Za-z]\w*)( : [^:]+)?",
    r"( {4})+state [A-Za-z]\w* \{",
    r"( {4})*\}",
)]


@pytest.mark.process  # runs the `tidtam` command
def test_flows_diagram_draws_every_screen_and_transition_as_a_mermaid_state_diagram() -> None:
    lines = _diagram_lines()
    assert lines[0] == "stateDiagram-v2"
    misshapen = [line for line in lines if not any(shape.fullmatch(line) for shape in SHAPES)]
    assert not misshapen, misshapen
    assert sum(line.count("{") for line in lines) == sum(line.count("}") for line in lines)
    arrows = [line.strip() for line in lines if " --> " in line]
    nodes = {part for arrow in arrows for part in arrow.split(" : ")[0].split(" --> ")}
    assert {node(mode) for mode in Mode} <= nodes
    for screen in SCREENS.values():
        for declared in buttons_of(screen):
            for action in declared.actions:
                for target in targets(action) or ():
                    assert any(arrow.startswith(f"{node(screen.id)} --> {node(target)} : ")
                               and arrow.endswith(token_label(declared.token)) for arrow in arrows), \
                        (screen.id, declared.token, target)
                if isinstance(action, Done):
                    assert any(arrow.startswith(f"{node(screen.id)} --> ") and " : done · " in arrow
                               for arrow in arrows), screen.id
    for declared in ANYWHERE:
        assert any(arrow.startswith(f"{ANYWHERE_NODE} --> ") and arrow.endswith(token_label(declared.token))
                   for arrow in arrows), declared.token
    for flow in FLOWS.values():  # each flow's sections, in order, inside the form
        assert f"        state {flow.id} {{" in lines
        ids = [section.id for section in flow.sections]
        assert [f"{before} --> {after}" for before, after in pairwise(ids)] == [
            arrow for arrow in arrows if arrow.split(" --> ")[0] in ids and arrow.split(" --> ")[1] in ids]


@pytest.mark.process  # runs the `tidtam` command
def test_the_readme_embeds_the_diagram_as_generated() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The conversation machine", 1)[1]
    embedded = re.search(r"```mermaid\n(.*?)```", section, re.DOTALL)
    assert embedded is not None
    assert embedded.group(1).splitlines() == _diagram_lines(), \
        "the README's diagram is out of date: paste the output of `tidtam flows diagram` under its heading"


OLD_STATES: list[tuple[dict[str, Any], list[dict[str, Any]]]] = [
    ({"mode": "form", "origin": "review"}, [{"screen": "review"}]),
    ({"mode": "start", "origin": "section"}, [{"screen": "section"}]),
    ({"mode": "hub", "origin": "review"}, []),  # a stale origin outside a form meant nothing
    ({"mode": "item", "item": {"back": "reports", "kind": "report"}}, [{"screen": "reports"}]),
    ({"mode": "comment", "item": {"back": "inbox"}}, [{"screen": "inbox"}, {"screen": "item"}]),
    ({"mode": "history", "item": {"back": "inbox", "history_back": "item"}}, [{"screen": "inbox"},
                                                                              {"screen": "item"}]),
    ({"mode": "history", "item": {"back": "inbox", "history_back": "form"}}, [{"screen": "form"}]),
]


@pytest.mark.parametrize(("old", "stack"), OLD_STATES)
def test_back_pointers_of_a_session_saved_before_the_stack_become_frames(old: dict[str, Any],
                                                                         stack: list[dict[str, Any]]) -> None:
    saved = {"schema": 1, "flow": "register", "flow_version": 1, **old}
    state = State.load(saved, FLOWS, "register")
    assert [frame.dump() for frame in state.stack] == stack
    assert "back" not in state.item and "history_back" not in state.item


def test_an_old_confirmation_asked_mid_edit_returns_to_the_edit_and_then_to_the_review_card() -> None:
    position = {"mode": "form", "section": "m2", "step": 0, "sub": {}, "origin": "review", "flow": "register",
                "project_id": 5, "report_id": None}
    saved = {"schema": 1, "flow": "register", "flow_version": 1, "mode": "confirm",
             "project_id": 5, "confirm": {"action": "cancel_draft", "back": position}}
    state = State.load(saved, FLOWS, "register")
    kept = {key: value for key, value in position.items() if key != "origin"}  # the frame says where it returns
    assert [frame.dump() for frame in state.stack] == [{"screen": "review"},
                                                      {"screen": "form", "at": {**kept, "step": "project_type"}}]
    assert state.confirm == {"action": "cancel_draft"}


def _context(**changes: Any) -> Context:
    return dataclasses.replace(Context(user=OWNER, office_name="สพป.เชียงใหม่ เขต 1", office_province="เชียงใหม่",
                                       today=date(2026, 11, 23), catalog=CatalogView([])), **changes)


def _press(state: dict[str, Any], ctx: Context, **fields: Any) -> dict[str, Any]:
    turn = step(FLOWS, json.loads(json.dumps(state)), Inbound(Platform.CONSOLE, "u", **fields), NOW, ctx)
    assert isinstance(turn, Turn), turn
    return {"state": turn.state, "key": turn.replies[-1].key}


def test_back_from_an_old_sessions_history_goes_where_it_was_opened() -> None:
    saved = {"schema": 1, "flow": "register", "flow_version": 1, "mode": "history",
             "prompt": 3, "shown": "history:CMI1", "offered": ["~back", "~menu"],
             "item": {"code": "CMI1", "history_back": "reports"}}
    after = _press(saved, _context(report_tasks=()), button=encode(3, "~back"))
    assert after["state"]["mode"] == "reports" and after["key"] == "reports.text"
    assert after["state"]["stack"] == []


def test_an_edit_of_the_name_from_the_review_card_returns_to_it() -> None:
    saved = {"schema": 1, "flow": "register", "flow_version": 1, "mode": "review",
             "prompt": 3, "shown": "review", "offered": ["n0"], "project_id": 5,
             "answers": {"name": "โครงการพัฒนาครูเดิม", "fiscal_year": 2570}}
    editing = _press(saved, _context(), button=encode(3, "n0"))
    assert editing["state"]["mode"] == "start" and editing["state"]["stack"] == [{"screen": "review"}]
    after = _press(editing["state"], _context(), text="โครงการพัฒนาครูใหม่")
    assert after["state"]["mode"] == "review" and after["key"] == "review"
    assert after["state"]["answers"]["name"] == "โครงการพัฒนาครูใหม่" and after["state"]["stack"] == []
