"""Nothing is lost: restarts mid-flow, days away, redelivered events, racing turns, older saved states."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from conversations.engine.state import SCHEMA
from conversations.messages import Inbound
from conversations.service import inbox
from conversations.service.inbox import Received
from conversations.service.turns import ConversationService
from models.db import Database
from models.enums import ItemStatus, Platform
from models.inbox import InboxEvent
from models.org import ChatAccount
from models.project import Kpi, Project
from models.runtime import ConversationSession
from tests.support.scenario import fill_m1, fill_m2, register_project_a, start_project
from tests.support.world import demo_world

LEASE = timedelta(seconds=30)


async def test_a_restart_mid_item_loses_nothing(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        await fill_m2(chat)
        await chat.say("เหตุผลของโครงการ")
        await chat.say("เพื่อพัฒนาครู")  # taken at once
        await chat.say("ผลผลิต")
        await chat.say("ผลลัพธ์")
        await chat.say("ร้อยละนักเรียนที่อ่านออก")  # a KPI half answered: only its name
        await database.close()  # the process dies here
        await database.open()
        world.restart()
        restarted = world.chat("suda")
        await restarted.say("ร้อยละ")  # the answer to the unit question, as if nothing happened
        assert "✔️ รับทราบ: ร้อยละ" in restarted.text and restarted.screen.key == "reg.kpi.target"
        await restarted.say("85")
        assert "ร้อยละนักเรียนที่อ่านออก — เป้าหมาย 85 ร้อยละ" in restarted.text
        project = await Project.get(code="CMI1-2570-003")
        assert project.rationale == "เหตุผลของโครงการ" and project.objectives == ["เพื่อพัฒนาครู"]
        assert await Kpi.filter(project=project).count() == 1


async def test_days_away_welcome_back_without_taking_the_message_as_an_answer(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        assert chat.screen.key == "reg.project_type"
        world.clock.advance(days=3)
        await chat.say("สวัสดีค่ะ")  # a choice question: the greeting is read as an answer, and refused
        assert [reply.key for reply in chat.last] == ["resume.welcome_back", "invalid.choice.unknown",
                                                      "reg.project_type"]
        world.clock.advance(days=3)
        await chat.say("โครงการ")  # a real answer after days away is taken, with the welcome
        assert [reply.key for reply in chat.last][:2] == ["resume.welcome_back", "ack.answer"]
        assert chat.screen.key == "reg.budget_plan"


async def test_a_redelivered_event_is_stored_once_and_its_turn_run_once(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await chat.tap("ระดับ 1 ยุทธศาสตร์ชาติ")
        press = Received(Platform.CONSOLE, "suda", "update-9001", {"button": chat.choice("NS-03").token})
        await inbox.receive([press], world.clock())
        await inbox.receive([press], world.clock())  # the platform delivered it again
        [item] = await inbox.claim("one", world.clock(), LEASE, 10)
        assert await inbox.claim("two", world.clock(), LEASE, 10) == []  # held: nobody else takes it
        inbound = Inbound(Platform.CONSOLE, "suda", event_id=item.event_id, button=item.payload["button"])
        first = await world.service.handle_claimed(item, inbound)
        assert first and first[-1].choices
        assert await world.service.handle_claimed(item, inbound) is None  # its turn is stored: never run twice
        stored = await world.service.stored_replies(item)
        assert [reply.key for reply in stored] == [reply.key for reply in first]  # waiting to be sent
        assert await inbox.finish(item, world.clock())
        assert await world.service.stored_replies(item) == []  # sent: not kept
        assert await inbox.claim("two", world.clock(), LEASE, 10) == []
        assert await InboxEvent.filter(event_id="update-9001").count() == 1
        project = await Project.get(code="CMI1-2570-003").prefetch_related("plan_links")
        assert len(project.plan_links) == 1


async def test_two_turns_of_one_user_racing_are_taken_in_order(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        await chat.tap("โครงการ")
        await chat.say("แผนงานพื้นฐาน")
        await chat.tap("✅ ใช่")  # the official plan it starts
        session = await ConversationSession.get(chat_account__external_id="suda")
        first = Inbound(Platform.CONSOLE, "suda", event_id="race-1", text="ใช่")
        second = Inbound(Platform.CONSOLE, "suda", event_id="race-2", text="ดำเนินการเอง, จ้างเหมา")
        replies = await asyncio.gather(world.service.handle(first), world.service.handle(second))
        assert replies[0][0].text == "✔️ รับทราบ: ใช่"
        assert replies[1][0].text == "✔️ รับทราบ: ดำเนินการเอง, จ้างเหมา"
        project = await Project.get(code="CMI1-2570-003")
        assert project.uses_budget is True and project.method_self and project.method_contract
        await session.refresh_from_db()
        assert session.state["answers"]["methods"] == ["self", "contract"]


async def test_a_state_whose_step_the_flow_no_longer_has_goes_to_the_hub_with_a_notice(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        session = await ConversationSession.get(chat_account__external_id="suda")
        session.state = {**session.state, "section": "m9", "step": "removed_question"}
        await session.save()
        await chat.say("ต่อ")
        assert chat.last[0].key == "notice.flow_upgraded" and chat.screen.key == "hub.text"
        stale_schema = {**session.state, "schema": SCHEMA + 1}
        session.state = stale_schema
        await session.save()
        await chat.say("ต่อ")
        assert chat.last[0].key == "notice.state_reset" and chat.screen.key == "menu.text"


async def test_a_draft_is_continued_from_my_projects_and_a_submitted_one_is_read_only(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await register_project_a(chat)
        await chat.say("เมนู")
        await chat.tap("โครงการของฉัน")
        await chat.tap("1. โครงการยกระดับ")  # the newest first: the draft
        assert chat.screen.key == "project.card" and "รหัส CMI1-2570-003" in chat.screen.text
        await chat.tap("แก้ไข / ทำต่อ")
        assert chat.screen.key == "hub.text"
        await chat.tap("ส่งให้ผู้อำนวยการ")
        await chat.tap("ยืนยันส่ง")
        await chat.tap("โครงการของฉัน")
        await chat.tap("1. โครงการยกระดับ")  # read-only while it waits: only taking it back is offered
        assert [label for label in chat.labels() if "แก้ไข" in label] == ["↩️ ดึงกลับมาแก้ไข"]
        approved = await Project.get(code="CMI1-2570-001")
        assert approved.status is ItemStatus.APPROVED


async def test_directors_see_their_office_and_cannot_register(database: Database) -> None:
    async with demo_world(database) as world:
        director = world.chat("somchai")
        await director.say("สวัสดี")
        assert "📋 โครงการของหน่วยงาน" in director.labels()
        assert all("ลงทะเบียน" not in label for label in director.labels())
        await director.say("โครงการใหม่")
        assert director.last[0].key == "menu.owners_only"
        await director.tap("โครงการของหน่วยงาน")
        assert "CMI1-2570-001" in director.screen.text and "CMI1-2570-002" in director.screen.text
        assert "นายวีระ แก้วมณี" in director.screen.text
        owner = world.chat("weera")
        await owner.say("โครงการของฉัน")
        assert "CMI1-2570-002" in owner.screen.text and "CMI1-2570-001" not in owner.screen.text
        assert await ChatAccount.filter(external_id__in=["somchai", "weera"]).count() == 2


async def test_two_service_instances_racing_for_one_user_serialize_in_the_database(database: Database) -> None:
    """Each instance has its own in-process locks, like two processes: the database must serialize them."""
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        await chat.tap("โครงการ")
        await chat.say("แผนงานพื้นฐาน")
        await chat.tap("✅ ใช่")  # the official plan it starts
        other = ConversationService(postgres=database.is_postgres, clock=world.clock)
        first = Inbound(Platform.CONSOLE, "suda", text="ใช่")
        second = Inbound(Platform.CONSOLE, "suda", text="ดำเนินการเอง")
        before = (await ConversationSession.get(chat_account__external_id="suda")).row_version
        await asyncio.gather(world.service.handle(first), other.handle(second))
        session = await ConversationSession.get(chat_account__external_id="suda")
        assert session.row_version == before + 2  # two turns, each written once, none lost
        answers = session.state["answers"]
        in_order = answers["uses_budget"] is True and answers.get("methods") == ["self"]
        reversed_order = answers["uses_budget"] is True and "methods" not in answers  # "ดำเนินการเอง" is no yes/no
        assert in_order or reversed_order, answers
        project = await Project.get(code="CMI1-2570-003")
        assert project.uses_budget is True
