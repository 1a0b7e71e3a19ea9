"""A closed turn: the engine's second pass (``conclude``) says what each effect's outcome means and keeps what the
database assigned in the state; the service side only reads the state JSON. Pure: no database."""

from __future__ import annotations

import ast
import copy
import dataclasses
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from conversations.copy import render
from conversations.engine.conclude import apply_change, conclude, settle
from conversations.engine.context import Context, InboxItem, Person, Turn
from conversations.engine.core import step
from conversations.engine.effect_types import Ask, PendingAnswer
from conversations.engine.open_item import OpenItem, open_item
from conversations.engine.outcomes import (
    Answering,
    AttachmentDeleted,
    AttachmentStored,
    Decided,
    DecisionRefused,
    Deleted,
    DeleteRefused,
    ItemChanged,
    Outcome,
    ProjectSaved,
    Reopened,
    ReportClosed,
    ReportSaved,
    ReportSubmitted,
    SubmitRefused,
    Submitted,
)
from conversations.engine.state import Mode, State
from conversations.engine.substates import MultiSelect
from conversations.flows.flow import FlowId
from conversations.flows.registry import FLOWS
from conversations.messages import Inbound, Reply
from models.enums import Platform, Role

ROOT = Path(__file__).resolve().parent.parent
SERVICE_SIDE = ("conversations/service/turns.py", "conversations/service/effects.py",
                "conversations/service/freshness.py")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
OWNER = Person(id=7, name="นางสาวสุดา ศรีสุข", email="suda.s@example.go.th", phone="081-234-5678", role=Role.OWNER)
DIRECTOR = dataclasses.replace(OWNER, id=8, name="นายสมชาย ใจดี", role=Role.DIRECTOR)
CTX = Context(user=OWNER, office_name="สพป.เชียงใหม่ เขต 1", office_province="เชียงใหม่", today=date(2026, 11, 23))
SCREEN = Reply(text="the screen the turn ended on", key="screen")
FIRST = InboxItem("project", 1, "CMI1-2570-001", "โครงการแรก", "สุดา", 2570)
SECOND = InboxItem("report", 2, "CMI1-2570-002", "โครงการที่สอง", "วีระ", 2570, quarter=1, report_id=34)


def state_of(**fields: Any) -> dict[str, Any]:
    """A state as the engine dumps it, on the menu, with ``fields`` changed."""
    turn = step(FLOWS, None, Inbound(Platform.CONSOLE, "u", text="สวัสดี"), NOW, CTX)
    assert isinstance(turn, Turn)
    state = State.load(turn.state, FLOWS, FlowId.REGISTER)
    for name, value in fields.items():
        setattr(state, name, value)
    return state.dump()


def concluded(outcomes: list[Outcome], state: dict[str, Any] | None = None, ctx: Context = CTX) -> Turn:
    turn = Turn(state if state is not None else state_of(), (SCREEN,))
    before = json.dumps(turn.state, sort_keys=True)
    finished = conclude(FLOWS, turn, outcomes, ctx)
    assert json.dumps(turn.state, sort_keys=True) == before, "conclude must not mutate the turn it concludes"
    return finished


def said(turn: Turn) -> list[tuple[str, str]]:
    """(key, text) of what the turn says before its screen."""
    assert turn.replies[-1] == SCREEN or turn.state["mode"] == Mode.INBOX
    return [(reply.key, reply.text) for reply in turn.replies[:-1]]


def test_no_outcome_leaves_the_turn_as_it_was() -> None:
    turn = Turn(state_of(), (SCREEN,))
    assert conclude(FLOWS, turn, [], CTX) == turn


def test_a_question_about_the_data_keeps_its_place_to_be_answered_after_the_commit() -> None:
    ask = Ask("export", "2570")
    turn = concluded([Answering(ask)])
    assert turn.replies == (PendingAnswer(text="", ask=ask, user_id=OWNER.id), SCREEN)


def test_a_new_draft_takes_the_id_code_and_stored_answers_the_database_gave_it() -> None:
    turn = concluded([ProjectSaved(12, "CMI1-2570-012", {"name": "โครงการใหม่"}, "2026-11-23T02:00:00", created=True)],
                     state_of(project_id=None, project_status="", answers={"name": "โครงการใหม่ "}))
    assert said(turn) == []
    state = turn.state
    assert (state["project_id"], state["project_code"], state["project_status"]) == (12, "CMI1-2570-012", "draft")
    assert (state["answers"], state["synced"]) == ({"name": "โครงการใหม่"}, "2026-11-23T02:00:00")


def test_saving_an_existing_project_keeps_its_status() -> None:
    turn = concluded([ProjectSaved(12, "CMI1-2570-012", {"name": "x"}, "t2")],
                     state_of(project_id=12, project_code="CMI1-2570-012", project_status="returned"))
    assert (turn.state["project_status"], turn.state["synced"]) == ("returned", "t2")


def test_a_saved_report_takes_its_id_and_stored_answers() -> None:
    turn = concluded([ReportSaved(34, {"output": "ทำแล้ว"}, "t3")], state_of(flow=FlowId.REPORT, report_id=None))
    assert said(turn) == []
    assert (turn.state["report_id"], turn.state["answers"], turn.state["synced"]) == (34, {"output": "ทำแล้ว"}, "t3")


def test_a_submission_is_said_only_as_the_outcome_the_service_had() -> None:
    assert said(concluded([Submitted("CMI1-2570-012")])) == [
        ("submit.done", render("submit.done", code="CMI1-2570-012"))]
    assert said(concluded([SubmitRefused("approved")])) == [
        ("submit.not_editable", render("submit.not_editable", status=render("status.approved")))]
    assert said(concluded([ReportSubmitted("CMI1-2570-012", 2570, 1)])) == [
        ("submit.report_done", render("submit.report_done", name="CMI1-2570-012 Q1/2570"))]


def test_a_window_closed_meanwhile_is_said_and_the_report_is_closed_here_too() -> None:
    state = state_of(flow=FlowId.REPORT, mode=Mode.FORM, project_id=12, report_id=34, period="2570-1",
                     answers={"output": "ทำแล้ว"})
    turn = concluded([ReportSaved(34, {"output": "ทำแล้ว"}, "t3"), ReportClosed()], state)
    assert said(turn) == [("report.closed_now", render("report.closed_now"))]
    assert (turn.state["mode"], turn.state["project_id"], turn.state["report_id"]) == ("menu", None, None)
    assert turn.state["notice"] == ""


def test_a_deleted_draft_is_said_and_so_is_one_kept() -> None:
    assert said(concluded([Deleted()])) == [("cancel.deleted", render("cancel.deleted"))]
    # the person confirmed a deletion: silence would let them think it happened (a draft sent meanwhile, or one
    # taken back after it was sent, is kept for the record)
    assert said(concluded([DeleteRefused()])) == [("cancel.not_deleted", render("cancel.not_deleted"))]


def test_a_decision_is_said_with_the_item_and_how_the_owner_hears_of_it() -> None:
    told = render("tell.next_message", who=render("tell.owner"), count="")
    approved = concluded([Decided("project", 1, "CMI1-2570-001", approve=True, told=told)])
    what = render("item.what.project", code="CMI1-2570-001")
    assert said(approved) == [("decide.approved", render("decide.approved", code=what, told=told))]
    returned = concluded([Decided("report", 34, "CMI1-2570-002", approve=False, told="", period=(2570, 1))])
    what = render("item.what.report", period="Q1/2570", code="CMI1-2570-002")
    assert said(returned) == [("decide.returned", render("decide.returned", code=what, told=""))]


def test_the_inbox_is_drawn_again_without_the_item_just_decided_and_keeps_it_when_nothing_landed() -> None:
    director = dataclasses.replace(CTX, user=DIRECTOR, inbox=(FIRST, SECOND))
    inbox = state_of(mode=Mode.INBOX)
    decided = concluded([Decided("report", 34, "CMI1-2570-002", approve=True, told="")], inbox, director)
    assert "โครงการแรก" in decided.replies[-1].text and "โครงการที่สอง" not in decided.replies[-1].text
    assert decided.replies[-1].choices[0].label.startswith("1. ")
    refused = concluded([DecisionRefused("project", 1)], inbox, director)
    assert said(refused) == [("decide.refused", render("decide.refused"))]
    assert "โครงการแรก" not in refused.replies[-1].text and "โครงการที่สอง" in refused.replies[-1].text
    assert concluded([], inbox, director).replies == (SCREEN,)


def test_a_reopened_item_is_said_by_what_it_is() -> None:
    turn = concluded([Reopened("report", 34, "CMI1-2570-002", (2570, 1))])
    what = render("item.what.report", period="Q1/2570", code="CMI1-2570-002")
    assert said(turn) == [("reopen.done", render("reopen.done", code=what))]
    assert said(concluded([Reopened("report", 35, "CMI1-2570-002")])) == [
        ("reopen.done", render("reopen.done", code="CMI1-2570-002"))]


def test_a_stored_file_takes_its_id_and_a_removed_one_changes_nothing() -> None:
    files = [{"filename": "a.jpg", "kind": "image", "size": 3, "id": 1}, {"filename": "b.pdf", "kind": "document",
                                                                          "size": 4}]
    state = state_of(flow=FlowId.REPORT, answers={"attachments": files})
    turn = concluded([AttachmentStored(2)], state)
    assert [entry.get("id") for entry in turn.state["answers"]["attachments"]] == [1, 2]
    assert said(turn) == []
    assert concluded([AttachmentDeleted(1)], state).state == state


def test_outcomes_settle_in_order() -> None:
    state = state_of(project_id=None)
    step_by_step = settle(FLOWS, settle(FLOWS, state, ProjectSaved(1, "C1", {"a": 1}, "t1", created=True)),
                          ProjectSaved(1, "C1", {"a": 2}, "t2"))
    assert concluded([ProjectSaved(1, "C1", {"a": 1}, "t1", created=True),
                      ProjectSaved(1, "C1", {"a": 2}, "t2")], state).state == step_by_step
    assert (step_by_step["answers"], step_by_step["synced"]) == ({"a": 2}, "t2")


def test_an_item_changed_elsewhere_is_applied_by_the_engine() -> None:
    state = state_of(mode=Mode.HUB, project_id=12, project_status="draft", answers={"name": "เดิม"},
                     selection=MultiSelect("methods", ["a"]))
    assert apply_change(FLOWS, state, None) is state
    reloaded = apply_change(FLOWS, state, ItemChanged({"name": "ใหม่"}, "returned", "t9", "notice.item_changed"))
    assert (reloaded["answers"], reloaded["project_status"], reloaded["synced"]) == ({"name": "ใหม่"}, "returned", "t9")
    assert (reloaded["selection"], reloaded["notice"], reloaded["project_id"]) == (None, "notice.item_changed", 12)
    closed = apply_change(FLOWS, state, ItemChanged(None, notice="notice.item_locked"))
    assert (closed["mode"], closed["project_id"], closed["notice"]) == ("menu", None, "notice.item_locked")
    assert state["answers"] == {"name": "เดิม"}, "the state given is not changed"


def written_into(path: Path) -> list[str]:
    """Every place a module writes into a dict or list it holds: ``x[k] = v``, ``x[k] += v``, ``del x[k]``, and the
    mutating methods of a dict called on anything named like the state or its answers."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    stored = [node for node in ast.walk(tree)
              if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del)]
    mutated = [node for node in ast.walk(tree)
               if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
               and node.func.attr in ("update", "setdefault", "pop", "popitem", "clear", "append", "extend")
               and any(word in ast.unparse(node.func.value) for word in ("state", "answers", "files"))]
    return [f"{path.name}:{node.lineno} {ast.unparse(node)}" for node in [*stored, *mutated]]


@pytest.mark.parametrize("module", SERVICE_SIDE)
def test_the_service_side_never_writes_into_the_state(module: str) -> None:
    assert written_into(ROOT / module) == []


def test_the_write_check_catches_a_write(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f(state, files):\n    state['mode'] = 'menu'\n    files[-1]['id'] += 1\n"
                      "    del state['x']\n    state.setdefault('a', [])\n    state['answers'].update(b=1)\n",
                      encoding="utf-8")
    assert len(written_into(sample)) == 5


def test_the_turn_state_given_to_conclude_is_a_copy_of_the_engines() -> None:
    state = state_of(flow=FlowId.REPORT, answers={"attachments": [{"filename": "a.jpg"}]})
    kept = copy.deepcopy(state)
    concluded([AttachmentStored(5)], state)
    assert state == kept


def keys_read(path: Path) -> list[str]:
    """Every place a module reads a key of something named like a state (``state["x"]``, ``previous.get("x")``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    named = ("state", "previous", "session.state")
    reads = [node for node in ast.walk(tree)
             if (isinstance(node, ast.Subscript) and ast.unparse(node.value) in named)
             or (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                 and ast.unparse(node.func.value) in named)]
    return [f"{path.name}:{node.lineno} {ast.unparse(node)}" for node in reads]


@pytest.mark.parametrize("module", ["conversations/service/effects.py", "conversations/service/freshness.py"])
def test_effects_and_freshness_read_the_state_only_through_its_open_item(module: str) -> None:
    assert keys_read(ROOT / module) == []


def test_the_read_check_catches_a_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f(state, previous):\n    return state['flow'], previous.get('answers')\n", encoding="utf-8")
    assert len(keys_read(sample)) == 2


def test_the_open_item_is_read_out_of_the_state() -> None:
    assert open_item(None) == open_item({}) == OpenItem()
    state = state_of(flow=FlowId.REPORT, mode=Mode.FORM, project_id=12, report_id=34, period="2570-1",
                     project_status="returned", synced="t1", answers={"output": "ทำแล้ว"})
    assert open_item(state) == OpenItem(FlowId.REPORT, 12, 34, (2570, 1), "returned", "t1", {"output": "ทำแล้ว"},
                                        working=True)
    assert not open_item(state_of(project_id=12)).working
