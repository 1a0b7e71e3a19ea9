"""The engine alone, pure: no database, state re-serialised before every turn, data asked for by type."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from conversations.catalog_view import CatalogView, PlanItem
from conversations.engine.context import Context, DataRequest, NeedProjects, Person, ProjectSummary, Turn
from conversations.engine.core import step
from conversations.engine.effect_types import SaveDraft
from conversations.engine.state import SCHEMA
from conversations.flows.registry import FLOWS
from conversations.messages import Inbound, Reply
from conversations.tokens import decode, encode, widget_token
from models.enums import ItemStatus, Platform, Role

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
OWNER = Person(id=1, name="นางสาวสุดา ศรีสุข", email="suda.s@example.go.th", phone="081-234-5678", role=Role.OWNER)
CATALOG = CatalogView([
    PlanItem("NS", None, "NS", 1, "family", "ยุทธศาสตร์ชาติ", True),
    PlanItem("NS-03", "NS", "NS", 1, "plan", "ยุทธศาสตร์ชาติด้านทรัพยากรมนุษย์", True),
    PlanItem("MP", None, "MP", 2, "family", "แผนแม่บท", True),
    PlanItem("MP-12", "MP", "MP", 2, "plan", "การพัฒนาการเรียนรู้", True),
])


def context(**changes: Any) -> Context:
    base = Context(user=OWNER, office_name="สพป.เชียงใหม่ เขต 1", office_province="เชียงใหม่", today=date(2026, 11, 23))
    return dataclasses.replace(base, **changes)


class PureChat:
    """Drives ``step`` directly; the state goes through ``json.dumps``/``json.loads`` between turns."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.state: dict[str, Any] | None = None
        self.replies: tuple[Reply, ...] = ()
        self.effects: list[object] = []

    def send(self, **fields: Any) -> tuple[Reply, ...]:
        frozen = json.dumps(self.state)
        turn = step(FLOWS, json.loads(frozen), Inbound(Platform.CONSOLE, "u", **fields), NOW, self.ctx)
        assert json.dumps(self.state) == frozen, "the engine must not mutate its input"
        assert isinstance(turn, Turn), turn
        self.state = json.loads(json.dumps(turn.state))
        self.replies = turn.replies
        self.effects.extend(turn.effects)
        return turn.replies

    def tap(self, label: str) -> tuple[Reply, ...]:
        choice = next(c for c in self.replies[-1].choices if label in c.label)
        return self.send(button=choice.token)


def test_a_turn_is_deterministic_and_ends_with_the_live_question() -> None:
    first = step(FLOWS, None, Inbound(Platform.CONSOLE, "u", text="สวัสดี"), NOW, context())
    second = step(FLOWS, None, Inbound(Platform.CONSOLE, "u", text="สวัสดี"), NOW, context())
    assert first == second and isinstance(first, Turn)
    assert first.replies[-1].key == "menu.text" and first.replies[-1].choices
    assert first.state["schema"] == SCHEMA and first.state["mode"] == "menu"


def test_missing_data_is_asked_for_by_type_and_nothing_of_the_turn_stands() -> None:
    chat = PureChat(context())
    chat.send(text="สวัสดี")
    state = copy.deepcopy(chat.state)
    mine = next(c for c in chat.replies[-1].choices if "โครงการของฉัน" in c.label)
    turn = step(FLOWS, state, Inbound(Platform.CONSOLE, "u", button=mine.token), NOW, context())
    assert turn == DataRequest(frozenset({NeedProjects()}))
    summary = ProjectSummary(7, "CMI1-2570-007", "โครงการทดสอบ", 2570, ItemStatus.DRAFT, 2, 5)
    turn = step(FLOWS, state, Inbound(Platform.CONSOLE, "u", button=mine.token), NOW,
                context(projects=(summary,)))
    assert isinstance(turn, Turn)
    assert "CMI1-2570-007" in turn.replies[-1].text and "กรอกแล้ว 2/5 ส่วน" in turn.replies[-1].text


def test_a_new_project_is_saved_only_once_its_name_and_year_are_known() -> None:
    chat = PureChat(context(catalog=CATALOG, director_known=True))
    chat.send(text="โครงการใหม่")
    chat.send(text="โครงการทดสอบ")
    assert not chat.effects
    chat.tap("ปีงบประมาณ 2570")
    assert chat.effects == [SaveDraft()]
    assert chat.state is not None and chat.state["mode"] == "form" and chat.state["section"] == "m1"
    answers = chat.state["answers"]
    assert (answers.pop("name"), answers.pop("fiscal_year")) == ("โครงการทดสอบ", 2570)
    taken = {step.key for step in FLOWS["register"].questions() if not step.ask_known}
    assert answers and set(answers) <= taken  # besides, only what the records know (issue 17), saved with them


def test_a_multi_select_keeps_its_ticks_across_turns_until_done() -> None:
    chat = PureChat(context(catalog=CATALOG, director_known=True))
    assert chat.state is None
    chat.send(text="โครงการใหม่")
    chat.send(text="โครงการทดสอบ")
    chat.send(text="2570")
    assert chat.state is not None
    chat.state.update(mode="form", section="m2", step="methods", sub={})
    chat.state["answers"].update(project_type="project", budget_plan="แผนงาน", uses_budget=True)
    chat.send()  # show the current question
    chat.tap("จ้างเหมา")
    assert [c.label for c in chat.replies[-1].choices if c.selected] == ["จ้างเหมา"]
    chat.tap("ดำเนินการเอง")
    chat.tap("จ้างเหมา")  # untick
    assert [c.label for c in chat.replies[-1].choices if c.selected] == ["ดำเนินการเอง"]
    chat.tap("เสร็จ")
    assert chat.state["answers"]["methods"] == ["self"]


@pytest.mark.parametrize("prompt", [0, 1, 35, 36, 10**9])
@pytest.mark.parametrize("value", ["MP-12-01-Y1", "~submit", "+17", "i1.2", "p12345"])
def test_tokens_round_trip_and_stay_within_telegram_callback_limits(prompt: int, value: str) -> None:
    token = encode(prompt, value)
    assert len(token.encode()) <= 64
    decoded = decode(token)
    assert decoded is not None and (decoded.prompt, decoded.value) == (prompt, value)


@pytest.mark.parametrize("bad", ["", "nodot", ".value", "zz!.v", "x" * 70])
def test_foreign_tokens_are_not_decoded(bad: str) -> None:
    assert decode(bad) is None


def test_a_value_that_cannot_fit_a_token_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be carried"):
        encode(1, "ก")
    with pytest.raises(ValueError, match="cannot be carried"):
        encode(1, "x" * 63)


def test_a_date_picked_in_a_widget_is_parsed_like_typed_text_and_can_be_stale() -> None:
    chat = PureChat(context(catalog=CATALOG, director_known=True))
    chat.send(text="โครงการใหม่")
    chat.send(text="โครงการทดสอบ")
    chat.send(text="2570")
    assert chat.state is not None
    chat.state.update(mode="form", section="m3", step="start_date", sub={})
    chat.send()
    prompt = chat.state["prompt"]
    chat.send(button=widget_token(prompt, "2026-10-01"))
    assert chat.replies[0].text == "✔️ รับทราบ: 1 ต.ค. 2569"
    assert chat.state["answers"]["start_date"] == "2026-10-01"
    chat.send(button=widget_token(prompt, "2026-10-02"))  # the old picker, tapped again
    assert chat.replies[0].text.startswith("ขั้นตอนนั้นผ่านไปแล้ว")
    assert chat.state["answers"]["start_date"] == "2026-10-01"
