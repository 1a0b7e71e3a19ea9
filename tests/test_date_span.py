"""Project dates in one input (issue 17): the whole fiscal year in one tap on the start-date question, or a range
typed in one message, checked as the two questions check them; a single date keeps the two-question path."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from conversations.catalog_view import CatalogView, PlanItem
from conversations.engine.context import Context, Person, Turn
from conversations.engine.core import step
from conversations.flows.checks import CheckInput, allowed_quarters, quarters_in_project
from conversations.flows.flow import DateSpan, FlowError, Kind, Question, Section
from conversations.flows.registration import REGISTRATION
from conversations.flows.registry import FLOWS, build
from conversations.messages import Inbound, Reply
from conversations.parsers.date_range import parse_date_range
from conversations.parsers.errors import InvalidAnswer
from models.enums import Platform, Role

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
OWNER = Person(id=1, name="นางสาวสุดา ศรีสุข", email="suda.s@example.go.th", phone="081-234-5678", role=Role.OWNER)
CATALOG = CatalogView([PlanItem("NS", None, "NS", 1, "family", "ยุทธศาสตร์ชาติ", True)])
WHOLE_YEAR = "📅 ทั้งปีงบประมาณ 2570 (1 ต.ค. 2569 – 30 ก.ย. 2570)"
FY_2570 = {"start_date": "2026-10-01", "end_date": "2027-09-30"}


class Chat:
    """Drives the engine's ``step`` as a channel would, the state through JSON between turns."""

    def __init__(self) -> None:
        self.ctx = Context(user=OWNER, office_name="สพป.เชียงใหม่ เขต 1", office_province="เชียงใหม่",
                           today=date(2026, 11, 23), catalog=CATALOG, director_known=True)
        self.state: dict[str, Any] = {}
        self.replies: tuple[Reply, ...] = ()

    def send(self, **fields: Any) -> str:
        turn = step(FLOWS, json.loads(json.dumps(self.state)) if self.state else None,
                    Inbound(Platform.CONSOLE, "u", **fields), NOW, self.ctx)
        assert isinstance(turn, Turn), turn
        self.state, self.replies = json.loads(json.dumps(turn.state)), turn.replies
        return "\n".join(reply.text for reply in self.replies)

    def tap(self, label: str) -> str:
        return self.send(button=next(c for c in self.replies[-1].choices if c.label == label).token)

    def labels(self) -> list[str]:
        return [choice.label for choice in self.replies[-1].choices]

    @property
    def answers(self) -> dict[str, Any]:
        return dict(self.state["answers"])


def at_start_date() -> Chat:
    """A new project of fiscal year 2570, on M3's start-date question."""
    chat = Chat()
    chat.send(text="โครงการใหม่")
    chat.send(text="โครงการทดสอบวันที่")
    chat.send(text="2570")
    chat.state.update(mode="form", section="m3", step="start_date", sub={})
    chat.send()
    return chat


def test_the_whole_fiscal_year_is_one_tap_and_the_end_date_is_not_asked() -> None:
    chat = at_start_date()
    assert chat.labels()[0] == WHOLE_YEAR
    said = chat.tap(WHOLE_YEAR)
    assert "✔️ รับทราบ: 1 ต.ค. 2569 – 30 ก.ย. 2570" in said
    assert {key: chat.answers[key] for key in FY_2570} == FY_2570
    assert chat.state["step"] == "activities"  # past the end date


@pytest.mark.parametrize("typed", [
    "1/10/69 - 30/9/70", "1 ต.ค. 2569 ถึง 30 ก.ย. 2570", "1 ต.ค. 69 – 30 ก.ย. 70", "๑/๑๐/๒๕๖๙ - ๓๐/๙/๒๕๗๐",
    "1-10-2569 - 30-9-2570", "1 ตุลาคม 2569 จนถึง 30 กันยายน 2570",
])
def test_a_range_typed_in_one_message_answers_both_dates(typed: str) -> None:
    chat = at_start_date()
    chat.send(text=typed)
    assert {key: chat.answers[key] for key in FY_2570} == FY_2570
    assert chat.state["step"] == "activities"


@pytest.mark.parametrize(("typed", "said"), [
    ("1/4/70 - 30/9/69", "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม (1 เม.ย. 2570)"),
    ("1/10/70 - 30/9/71", "วันเริ่มอยู่หลังปีงบประมาณ 2570"),
    ("1/10/69 - 31/9/70", "ไม่มีวันที่ 31 ในเดือนกันยายน 2570"),
    ("1/10/69 ถึง สิ้นปี", "ไม่เข้าใจวันที่ “สิ้นปี”"),
    ("1/10/69 - 30/9/3000", "อยู่นอกช่วง"),
    ("ถึง 30/9/70", "ไม่เข้าใจช่วงวันที่ “ถึง 30/9/70”"),
])
def test_a_wrong_range_says_why_stores_nothing_and_asks_again(typed: str, said: str) -> None:
    chat = at_start_date()
    reply = chat.send(text=typed)
    assert said in reply
    assert "start_date" not in chat.answers and "end_date" not in chat.answers
    assert chat.state["step"] == "start_date"
    assert chat.replies[-1].key == "reg.start_date"  # asked again, the whole-year button with it
    assert WHOLE_YEAR in chat.labels()


def test_a_single_date_keeps_the_two_questions() -> None:
    chat = at_start_date()
    chat.send(text="1 พ.ย. 2569")
    assert chat.answers["start_date"] == "2026-11-01" and "end_date" not in chat.answers
    assert chat.state["step"] == "end_date"
    chat.send(text="31 มี.ค. 2570")
    assert chat.answers["end_date"] == "2027-03-31"
    assert chat.state["step"] == "activities"


def test_either_date_is_still_edited_on_its_own_from_the_section() -> None:
    chat = at_start_date()
    chat.tap(WHOLE_YEAR)
    chat.state.update(mode="section", section="m3", step="", sub=None)
    chat.send()
    chat.tap("✏️ วันสิ้นสุด")
    assert chat.replies[-1].key == "reg.end_date"
    chat.send(text="31/3/70")
    assert chat.answers["end_date"] == "2027-03-31" and chat.answers["start_date"] == "2026-10-01"
    assert chat.state["mode"] == "section"
    chat.tap("✏️ วันเริ่ม")
    chat.send(text="1/1/70")
    assert chat.answers["start_date"] == "2027-01-01" and chat.answers["end_date"] == "2027-03-31"
    assert chat.state["mode"] == "section"


def test_the_activity_quarters_follow_the_dates_given_in_one_message() -> None:
    chat = at_start_date()
    chat.send(text="1/10/69 - 31/3/70")
    answers = chat.answers
    assert allowed_quarters(answers) == [1, 2]
    quarters_in_project(CheckInput([1, 2], answers))
    with pytest.raises(InvalidAnswer) as refused:
        quarters_in_project(CheckInput([2, 3], answers))
    assert refused.value.reason == "check.quarters_outside_project"


def test_the_parser_leaves_single_dates_and_non_dates_to_the_date_parser() -> None:
    assert parse_date_range("1/10/69") is None
    assert parse_date_range("1-10-2569") is None
    assert parse_date_range("พรุ่งนี้") is None
    assert parse_date_range("1 ต.ค. 69 - 30 ก.ย. 70") == (date(2026, 10, 1), date(2027, 9, 30))


def _with_start(span: DateSpan, kind: Kind = Kind.DATE) -> Question:
    return Question("start_date", "reg.start_date", kind, column="start_date", span=span)


@pytest.mark.parametrize(("start", "problem"), [
    (_with_start(DateSpan("nowhere", fiscal_year="fiscal_year")), "span end 'nowhere'"),
    (_with_start(DateSpan("end_date", fiscal_year="year")), "span fiscal year 'year'"),
    (_with_start(DateSpan("end_date"), Kind.TEXT), "only a date question"),
])
def test_a_span_that_could_not_work_is_refused_when_the_flow_is_built(start: Question, problem: str) -> None:
    end = Question("end_date", "reg.end_date", Kind.DATE, column="end_date")
    section = Section("m3", "sec.m3", (start, end))
    flow = dataclasses.replace(REGISTRATION, sections=(section,))
    with pytest.raises(FlowError, match=problem):
        build(flow)
