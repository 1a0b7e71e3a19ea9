"""Nothing asked that is known (issue 17): a question declared ``ask_known=False`` takes its prefill's value when a
project is started, is listed once when its section is done, is not counted among the section's steps, and is
asked as before when the value is not known. The registration flow as shipped declares M2's six contacts and M3's
province so: the engine alone first, then through the service — a taken value is changed from the section's view
or the review card, and is stored, copied with the project and handed over in the eMENSCR pack."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from typing import Any

from conversations.catalog_view import CatalogView, PlanItem
from conversations.engine.context import Context, Person, Turn
from conversations.engine.core import step
from conversations.engine.outcomes import ProjectCopied
from conversations.flows.flow import FlowId, Question
from conversations.flows.registry import FLOWS
from conversations.messages import Inbound, Reply
from conversations.oversight.handover import pack_text, project_handover
from conversations.service.copying import copy_project
from models.db import Database
from models.enums import Platform, Role
from models.project import Project
from tests.support.scenario import fill_m1, fill_m2, register_project_a, start_project
from tests.support.world import demo_world

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
OWNER = Person(id=1, name="นางสาวสุดา ศรีสุข", email="suda.s@example.go.th", phone="081-234-5678", role=Role.OWNER)
DIRECTOR = Person(id=2, name="นายสมชาย ใจดี", email="somchai.j@example.go.th", phone="053-112-233",
                  role=Role.DIRECTOR)
CATALOG = CatalogView([PlanItem("NS", None, "NS", 1, "family", "ยุทธศาสตร์ชาติ", True)])
KNOWN = ("director_name", "director_email", "director_phone", "owner_name", "owner_email", "owner_phone",
         "provinces")


class Chat:
    """One person's turns through ``step``, the state through JSON between them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.state: dict[str, Any] | None = None
        self.replies: tuple[Reply, ...] = ()

    def send(self, **fields: Any) -> tuple[Reply, ...]:
        turn = step(FLOWS, json.loads(json.dumps(self.state)), Inbound(Platform.CONSOLE, "u", **fields), NOW,
                    self.ctx)
        assert isinstance(turn, Turn), turn
        self.state, self.replies = json.loads(json.dumps(turn.state)), turn.replies
        return turn.replies

    def tap(self, label: str) -> tuple[Reply, ...]:
        return self.send(button=next(c for c in self.replies[-1].choices if label in c.label).token)

    def at_methods(self) -> None:
        """A project started, M2 answered up to its multi-select of methods, shown."""
        self.send(text="โครงการใหม่")
        self.send(text="โครงการทดสอบ")
        self.send(text="2570")
        assert self.state is not None
        self.state.update(mode="form", section="m2", step="methods", sub={})
        self.state["answers"].update(project_type="project", budget_plan="แผนงาน", uses_budget=True)
        self.send()


def context(user: Person = OWNER) -> Context:
    return Context(user=user, office_name="สพป.เชียงใหม่ เขต 1", office_province="เชียงใหม่", today=date(2026, 11, 23),
                   director=DIRECTOR, director_known=True, catalog=CATALOG)


def test_known_values_are_taken_when_the_project_starts_and_listed_when_the_section_is_done() -> None:
    chat = Chat(context())
    chat.at_methods()
    assert chat.replies[-1].text.startswith("M2 ข้อมูลทั่วไป · ขั้นที่ 4/4")  # the six contacts are not steps to do
    assert chat.state is not None
    answers = chat.state["answers"]
    assert {key: answers[key] for key in KNOWN} == {
        "director_name": "นายสมชาย ใจดี", "director_email": "somchai.j@example.go.th",
        "director_phone": "053-112-233", "owner_name": "นางสาวสุดา ศรีสุข", "owner_email": "suda.s@example.go.th",
        "owner_phone": "081-234-5678", "provinces": ["เชียงใหม่"]}
    chat.tap("ดำเนินการเอง")
    chat.tap("เสร็จ")
    texts = [reply.text for reply in chat.replies]
    known = next(text for text in texts if text.startswith("ℹ️"))
    assert "• ผู้อำนวยการ: นายสมชาย ใจดี" in known and "• โทรศัพท์ผู้รับผิดชอบ: 081-234-5678" in known
    assert "หลักการและเหตุผล" in texts[-1]  # straight on to M3, nothing of M2 asked again


def test_a_value_the_records_do_not_know_is_asked() -> None:
    chat = Chat(context(dataclasses.replace(OWNER, phone="")))
    chat.at_methods()
    assert chat.replies[-1].text.startswith("M2 ข้อมูลทั่วไป · ขั้นที่ 4/5")
    assert chat.state is not None and "owner_phone" not in chat.state["answers"]
    chat.tap("ดำเนินการเอง")
    chat.tap("เสร็จ")
    assert "เบอร์โทรศัพท์ของผู้รับผิดชอบโครงการ" in chat.replies[-1].text


def test_the_registration_flow_takes_the_contacts_and_the_province_without_asking() -> None:
    steps = [item for section in FLOWS[FlowId.REGISTER].sections for item in section.steps]
    assert {item.key for item in steps if isinstance(item, Question) and not item.ask_known} == set(KNOWN)


async def test_a_known_value_is_changed_from_the_section_s_view_and_stored(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        await fill_m2(chat)
        assert "• อีเมลผู้อำนวยการ: somchai.j@example.go.th" in chat.text  # listed once, M3 asked next
        await chat.tap("สารบัญ")
        await chat.tap("M2")
        await chat.tap("✏️ อีเมลผู้อำนวยการ")
        assert "ค่าปัจจุบัน: somchai.j@example.go.th" in chat.text
        await chat.say("somchai at example")
        assert "ดูไม่ถูกต้อง" in chat.text  # refused, asked again
        await chat.say("Director.New@Example.go.th")
        assert "• อีเมลผู้อำนวยการ: director.new@example.go.th" in chat.text  # back on the section's view
        project = await Project.get(code="CMI1-2570-003")
    assert (project.director_email, project.owner_phone) == ("director.new@example.go.th", "081-234-5678")


async def test_the_review_card_shows_the_known_values_and_edits_them(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await register_project_a(chat)
        rows = {row[0]: row[1] for reply in chat.last if reply.card for section in reply.card.sections
                for row in section.rows}
        assert rows["โทรศัพท์ผู้รับผิดชอบ"] == "081-234-5678" and rows["จังหวัด"] == "เชียงใหม่", rows
        await chat.tap("✏️ M3")
        await chat.tap("✏️ จังหวัด")
        await chat.tap("ลำพูน")
        await chat.tap("เสร็จ")
        project = await Project.get(code="CMI1-2570-003")
    assert project.provinces == ["เชียงใหม่", "ลำพูน"]


async def test_the_taken_contacts_are_stored_copied_and_handed_over_to_emenscr(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.people["suda"]
        await register_project_a(world.chat("suda"))
        project = await Project.get(code="CMI1-2570-003")
        stored = {key: getattr(project, key) for key in KNOWN}
        assert stored == {
            "director_name": "นายสมชาย ใจดี", "director_email": "somchai.j@example.go.th",
            "director_phone": "053-112-233", "owner_name": "นางสาวสุดา ศรีสุข", "owner_email": "suda.s@example.go.th",
            "owner_phone": "081-234-5678", "provinces": ["เชียงใหม่"]}
        handover = await project_handover(project.code, suda)
        assert handover is not None
        pack = pack_text(handover)
        assert all(value in pack for key, value in stored.items() if key != "provinces") and "เชียงใหม่" in pack
        copied = await copy_project(FLOWS[FlowId.REGISTER], suda, project.id, 2571, world.clock())
        assert isinstance(copied, ProjectCopied), copied
        copy = await Project.get(id=copied.project_id)
    assert {key: getattr(copy, key) for key in KNOWN} == stored
