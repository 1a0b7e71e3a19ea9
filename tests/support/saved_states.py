"""Saved conversations from an earlier release: a person's stored state at a chosen point of a recorded conversation,
and what their next act must get.

A fixture (``tests/fixtures/saved_states/*.json``) names a setup transcript and a turn. Playing the transcript up to
that turn builds the world (projects, reports, the clock); the person's stored state is then replaced by the
fixture's, which was saved by the release that recorded it, and the next act must get the replies recorded then. A
tap is sent as the very token that release drew (a keyboard still on the person's phone), not looked up on today's
screen.

The setup transcripts (``tests/fixtures/saved_states/setup/*.json``) are frozen copies of the golden files the
fixtures were taken from, played with the flows as they were then (:data:`RECORDED_FLOWS`, every question asked):
the live golden files follow the conversation as it is (issue 17 stops asking known contacts, which shifts their
turns), while a fixture's turn number must keep meaning the point its state was saved at. The fixture's act runs
with the real flows, on a service restarted after the setup.

Modes (``TIDTAM_SAVED_STATES``): ``record`` writes the fixtures listed in :data:`POINTS` from the code as it is (done
once, before the state's shape changed; later releases only load them); ``replies`` refreshes only the fixtures'
expected replies after an intended UI change, never their ``state`` or ``act``; ``setup`` re-records the expected
replies of the setup transcripts (their inputs never change) when UI text changed, to run before ``replies``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from conversations.messages import Inbound, Reply
from models.enums import Platform
from models.runtime import ConversationSession
from tests.support.golden import WORLD_CHANGES, GoldenMismatch, GoldenRunner, reply_record, write
from tests.support.recorded_flows import RECORDED_FLOWS
from tests.support.world import World

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "saved_states"
SETUP_DIR = FIXTURE_DIR / "setup"  # frozen copies of the golden files the fixtures were taken from

# name -> (setup transcript, the turn after which the state is saved, what the point shows)
POINTS: dict[str, tuple[str, int, str]] = {
    "start_name": ("register_project_a", 3, "the first start question (the project's name)"),
    "start_fiscal_year": ("register_project_a", 4, "the second start question (fiscal year)"),
    "links_browse_families": ("register_project_a", 6, "plan links: browsing level 1's families"),
    "links_browse_node": ("register_project_a", 7, "plan links: browsing inside NS-03"),
    "links_results": ("register_project_a", 8, "plan links: search results"),
    "links_reference": ("register_project_a", 15, "plan links: typing a law's reference"),
    "m2_budget_plan": ("register_project_a", 18, "mid-M2: the budget plan question"),
    "m2_multi_one_ticked": ("register_project_a", 21, "a multi-select with one tick"),
    "m2_multi_two_ticked": ("register_project_a", 22, "a multi-select with two ticks, about to finish"),
    "m2_owner_email": ("register_project_a", 27, "mid-M2: the owner's e-mail"),
    "group_menu_objectives": ("register_project_a", 31, "a group's list (objectives)"),
    "group_new_objective": ("register_project_a", 32, "a group item just started (objective)"),
    "kpi_half_answered_unit": ("register_project_a", 37, "a KPI half answered: its unit next"),
    "kpi_half_answered_target": ("register_project_a", 38, "a KPI half answered: its target next"),
    "kpi_second_half_answered": ("register_project_a", 41, "a second KPI half answered"),
    "activity_half_answered": ("register_project_a", 50, "an activity half answered: its quarters next"),
    "activity_offer_child": ("register_project_a", 51, "the offer of a sub-activity"),
    "sub_activity_half_answered": ("register_project_a", 53, "a sub-activity half answered"),
    "budget_line_quarter_plan": ("register_project_a", 70, "a budget line: its quarterly plan next"),
    "review_before_submit": ("register_project_a", 84, "the review card, complete"),
    "confirm_submit": ("register_project_a", 85, "confirming the submission"),
    "report_first_question": ("report_q1_returned_fixed_approved", 4, "a report form's first question"),
    "report_kpi_fixed_item": ("report_q1_returned_fixed_approved", 6, "a report's fixed KPI list, first KPI"),
    "report_activity_half": ("report_q1_returned_fixed_approved", 9, "a report's activity half answered"),
    "report_evidence": ("report_q1_returned_fixed_approved", 20, "a report's evidence step"),
    "report_review_returned": ("report_q1_returned_fixed_approved", 33, "a returned report's review card"),
    "report_section_view": ("report_q1_returned_fixed_approved", 34, "a report section's answers, to edit"),
    "report_group_menu_edit": ("report_q1_returned_fixed_approved", 35, "a fixed list opened from the section"),
    "report_group_pick": ("report_q1_returned_fixed_approved", 36, "picking the KPI to edit"),
    "report_kpi_editing": ("report_q1_returned_fixed_approved", 37, "a KPI being edited from the list"),
    "report_confirm_submit": ("report_q1_returned_fixed_approved", 40, "confirming a report's submission"),
}


@dataclass
class SavedPoint:
    """One fixture: where it was taken, the stored state, the next act (with its token) and its replies."""

    name: str
    golden: str  # the setup transcript (named after the golden file it is a frozen copy of)
    after: int
    about: str
    who: str
    state: dict[str, Any]
    act: dict[str, str]  # {"say": text} or {"tap": label, "token": token}
    replies: list[dict[str, Any]]

    @classmethod
    def read(cls, path: Path) -> SavedPoint:
        """A fixture from its file."""
        return cls(name=path.stem, **json.loads(path.read_text(encoding="utf-8")))

    def write(self) -> None:
        """Write the fixture (Thai as itself, indented so a diff is readable)."""
        data = {"golden": self.golden, "after": self.after, "about": self.about, "who": self.who,
                "act": self.act, "replies": self.replies, "state": self.state}
        FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
        (FIXTURE_DIR / f"{self.name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                                       encoding="utf-8")


async def _stored_state(who: str) -> dict[str, Any]:
    session = await ConversationSession.get(chat_account__external_id=who)
    state: dict[str, Any] = session.state
    return state


async def play_until(world: World, golden: str, after: int) -> tuple[dict[str, Any], dict[str, Reply]]:
    """Play a setup transcript's turns up to ``after`` with the flows it was recorded under (checking its replies);
    its content and each person's screen. The world's service serves the real flows again afterwards."""
    path = SETUP_DIR / f"{golden}.json"
    runner = GoldenRunner(world, path)
    content: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    screens: dict[str, Reply] = {}
    world.flows = RECORDED_FLOWS
    try:
        for number, turn in enumerate(content["turns"][:after], 1):
            if "clock" in turn:
                world.clock.set(datetime.fromisoformat(turn["clock"]))
                continue
            if "world" in turn:
                await WORLD_CHANGES[turn["world"]](world)
                continue
            world.restart()
            replies = await world.service.handle(runner.inbound(number, turn, screens))
            if replies:
                screens[turn["who"]] = replies[-1]
            if [reply_record(reply) for reply in replies] != turn["replies"]:
                raise GoldenMismatch(path, number, "differs while setting up a saved state (TIDTAM_SAVED_STATES="
                                                   "setup re-records the setup transcripts after a UI change)")
    finally:
        world.flows = None
        world.restart()
    return content, screens


async def play_setup(world: World, golden: str, record: bool = False) -> None:
    """Play a whole setup transcript with the flows it was recorded under, checking its replies or (``record``)
    rewriting them; its inputs stay as frozen."""
    path = SETUP_DIR / f"{golden}.json"
    world.flows = RECORDED_FLOWS
    try:
        content = await GoldenRunner(world, path, record=record).play()
    finally:
        world.flows = None
    if record:
        write(path, content)


async def record(world: World, name: str) -> SavedPoint:
    """Take the fixture ``name`` of :data:`POINTS` from the code as it is."""
    golden, after, about = POINTS[name]
    content, screens = await play_until(world, golden, after)
    turn = content["turns"][after]
    who = turn["who"]
    state = await _stored_state(who)
    runner = GoldenRunner(world, SETUP_DIR / f"{golden}.json")
    inbound = runner.inbound(after + 1, turn, screens)
    act = {"say": turn["say"]} if "say" in turn else {"tap": turn["tap"], "token": inbound.button or ""}
    world.restart()
    replies = [reply_record(reply) for reply in await world.service.handle(inbound)]
    return SavedPoint(name, golden, after, about, who, state, act, replies)


async def replay(world: World, point: SavedPoint) -> list[dict[str, Any]]:
    """Build the world up to the point, put the saved state back as the person's, and send the next act."""
    await play_until(world, point.golden, point.after)
    session = await ConversationSession.get(chat_account__external_id=point.who)
    # the item's version is this world's (its updated_at is the wall clock's), not part of the saved position
    session.state = {**point.state, "synced": session.state.get("synced", "")}
    await session.save()
    world.restart()
    event = f"saved-{point.name}"
    if "say" in point.act:
        inbound = Inbound(Platform.CONSOLE, point.who, event_id=event, text=point.act["say"])
    else:
        inbound = Inbound(Platform.CONSOLE, point.who, event_id=event, button=point.act["token"])
    return [reply_record(reply) for reply in await world.service.handle(inbound)]


async def refresh_replies(world: World, point: SavedPoint) -> SavedPoint:
    """The fixture with the replies its act gets now (after an intended UI change); its state and act as saved."""
    return dataclasses.replace(point, replies=await replay(world, point))
