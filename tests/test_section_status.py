"""Which sections an answer breaks (``status.newly_broken``): the sections done before and needing attention
after, whether the caller hands over the states after or not; what the hub and the review card count as ready."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from conversations.catalog_view import CatalogView
from conversations.engine.context import Context, Person, Turn
from conversations.engine.core import step
from conversations.engine.status import Status, all_done, flow_states, newly_broken, section_state
from conversations.flows.flow import Flow
from conversations.flows.registry import FLOWS
from conversations.messages import Inbound, Reply
from models.enums import Platform, Role

SAVED = Path(__file__).parent / "fixtures" / "saved_states" / "review_before_submit.json"


def _complete() -> tuple[Flow, dict[str, Any]]:
    """A registration whose every section is done."""
    state = json.loads(SAVED.read_text(encoding="utf-8"))["state"]
    return FLOWS[state["flow"]], state["answers"]


def _reference(flow: Flow, before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The definition, drawn the long way: every section from both answers."""
    return [(section.id, after_state.problems) for section in flow.sections
            if section_state(section, before).status is Status.DONE
            and (after_state := section_state(section, after)).status is Status.ATTENTION]


def _said(broken: list[Any]) -> list[tuple[str, list[str]]]:
    return [(state.section.id, state.problems) for state in broken]


def test_a_changed_date_breaks_the_done_sections_that_depend_on_it() -> None:
    flow, before = _complete()
    after = copy.deepcopy(before)
    after["end_date"] = "2026-11-30"  # the project now ends in the first quarter: later quarters' plans are wrong
    expected = _reference(flow, before, after)
    assert expected, "the fixture no longer has a section depending on the project's dates"
    assert _said(newly_broken(flow, before, after)) == expected
    assert _said(newly_broken(flow, before, after, flow_states(flow, after))) == expected


def test_unchanged_or_harmless_answers_break_nothing() -> None:
    flow, before = _complete()
    assert newly_broken(flow, before, copy.deepcopy(before)) == []
    after = copy.deepcopy(before)
    after["end_date"] = "2027-09-29"  # still within the year and after the start
    assert _said(newly_broken(flow, before, after)) == _reference(flow, before, after) == []


def test_ready_only_when_every_section_that_applies_is_done() -> None:
    flow, answers = _complete()
    assert all_done(flow_states(flow, answers))
    broken = copy.deepcopy(answers)
    broken["end_date"] = "2026-11-30"
    assert not all_done(flow_states(flow, broken))


def test_an_edited_end_date_says_which_done_sections_it_breaks_then_shows_the_section() -> None:
    ctx = Context(user=Person(id=1, name="สุดา", email="suda@example.go.th", phone="081-234-5678", role=Role.OWNER),
                  office_name="สพป.เชียงใหม่ เขต 1", office_province="เชียงใหม่", today=date(2026, 11, 23),
                  catalog=CatalogView([]))
    state: dict[str, Any] = json.loads(SAVED.read_text(encoding="utf-8"))["state"]
    replies: tuple[Reply, ...] = ()

    def send(**fields: Any) -> tuple[Reply, ...]:
        nonlocal state, replies
        turn = step(FLOWS, state, Inbound(Platform.CONSOLE, "u", **fields), datetime(2026, 11, 23, 2, tzinfo=UTC), ctx)
        assert isinstance(turn, Turn), turn
        state, replies = json.loads(json.dumps(turn.state)), turn.replies
        return replies

    def tap(label: str) -> None:
        send(button=next(choice for choice in replies[-1].choices if label in choice.label).token)

    send(text="สารบัญ")
    tap("M3")
    tap("วันสิ้นสุด")
    said = send(text="30/11/2569")
    broken = [reply.text.splitlines()[0] for reply in said if reply.key == "section.broken"]
    assert broken == ["⚠️ การแก้ไขนี้กระทบ M4 กิจกรรม:", "⚠️ การแก้ไขนี้กระทบ M5 งบประมาณ:"]
    assert said[-1].key == "section.view"
