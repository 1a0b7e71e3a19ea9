"""Edges found in review: stale resume points, two chats of one person, relinking, outages, forged values."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from conversations.messages import Inbound
from models.db import Database
from models.enums import FundingSource, ItemStatus, Platform, Role
from models.invites import issue_invite
from models.org import ChatAccount, User
from models.project import BudgetLine, Project
from models.runtime import ConversationSession
from tests.support.scenario import fill_m1, fill_m2, register_project_a, start_project
from tests.support.world import demo_world


async def test_continue_after_starting_another_project_does_not_resurrect_the_old_position(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        await chat.say("โครงการใหม่")
        await chat.say("ทำต่อ")
        assert chat.screen.key in ("reg.name", "projects.text")
        await chat.say("เมนู")
        await chat.say("โครงการของฉัน")
        await chat.tap("1. โครงการยกระดับ")
        await chat.tap("แก้ไข / ทำต่อ")
        await chat.tap("M2")
        await chat.tap("โครงการ")
        assert "✔️ รับทราบ: โครงการ" in chat.text


async def test_a_resume_point_into_a_removed_item_reopens_the_list(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await register_project_a(chat)
        await chat.tap("✏️ M4")
        await chat.tap("กิจกรรม")
        await chat.tap("แก้ไข")
        await chat.say("4")  # editing activity 4…
        assert "สรุปและรายงานผล" in chat.screen.text
        await chat.say("เมนู")  # …then away, with that position remembered
        await chat.say("สารบัญ")
        await chat.tap("M4")
        await chat.tap("กิจกรรม")
        await chat.tap("ลบ")
        await chat.say("3")  # now there are only three activities
        await chat.say("ทำต่อ")  # back to the remembered position, which points past the end
        assert chat.screen.key == "" and "1. ประชุมเชิงปฏิบัติการพัฒนาครู" in chat.screen.text  # the list again
        await chat.tap("เสร็จ")
        assert chat.last[-1].choices


async def test_one_person_in_two_chats_sees_the_other_chats_edits(database: Database) -> None:
    async with demo_world(database) as world:
        await ChatAccount.create(platform=Platform.TELEGRAM, external_id="555", user=world.people["suda"])
        console, telegram = world.chat("suda"), world.chat("555", platform=Platform.TELEGRAM)
        await start_project(console)
        await console.say("เมนู")
        await telegram.say("โครงการของฉัน")
        await telegram.tap("1. โครงการยกระดับ")
        await telegram.tap("แก้ไข / ทำต่อ")
        await telegram.tap("M1")
        await telegram.tap("ระดับ 1 ยุทธศาสตร์ชาติ")
        await telegram.tap("NS-03")
        await console.say("ทำต่อ")  # the console's copy is older: it is refreshed, not written back
        assert "แก้ไขจากอีกช่องทางหนึ่ง" in console.text
        await console.tap("สารบัญ")
        await console.tap("M1")
        assert "NS-03" in console.screen.text
        project = await Project.get(code="CMI1-2570-003").prefetch_related("plan_links")
        assert len(project.plan_links) == 1
        await telegram.tap("ระดับ 2 แผนแม่บท")
        await telegram.tap("MP ")
        await console.say("/cancel")
        await console.tap("ใช่ ลบร่าง")
        await telegram.tap("MP-12 ")
        assert "ถูกลบหรือไม่อยู่ในสิทธิ์" in telegram.text and telegram.screen.key == "menu.text"


async def test_relinking_a_chat_to_another_person_starts_clean(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        suda = world.people["suda"]
        suda.active = False
        await suda.save()
        await chat.say("สวัสดี")
        assert chat.last[0].key == "link" and "ปิดการใช้งาน" in chat.text
        _, code = await issue_invite(role=Role.OWNER, user=world.people["weera"], now=world.clock())
        await chat.say(code)
        assert "ยินดีต้อนรับนายวีระ แก้วมณี" in chat.text
        assert all("ทำต่อ" not in label for label in chat.labels())
        session = await ConversationSession.get(chat_account__external_id="suda")
        assert session.state.get("project_id") is None


async def test_an_invite_redeemed_by_two_chats_at_once_links_only_one(database: Database) -> None:
    async with demo_world(database) as world:
        _, code = await issue_invite(role=Role.OWNER, user=world.people["weera"], now=world.clock())
        first = Inbound(Platform.TELEGRAM, "a1", event_id="x1", text=code)
        second = Inbound(Platform.LINE, "b2", event_id="x2", text=code)
        replies = await asyncio.gather(world.service.handle(first), world.service.handle(second))
        texts = ["\n".join(r.text for r in reply) for reply in replies]
        assert sum("เชื่อมบัญชีเรียบร้อย" in text for text in texts) == 1
        assert sum("ถูกใช้ไปแล้ว" in text for text in texts) == 1
        assert await ChatAccount.filter(user=world.people["weera"]).exclude(platform=Platform.CONSOLE).count() == 1


async def test_a_failure_mid_turn_gets_an_apology_and_loses_nothing(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await database.close()  # the database goes away
        replies = await world.service.handle(Inbound(Platform.CONSOLE, "suda", event_id="out-1", text="/hub"))
        assert [reply.key for reply in replies] == ["error.sorry"]  # not an outage: the ORM itself is gone
        await database.open()
        again = await world.service.handle(Inbound(Platform.CONSOLE, "suda", event_id="out-1", text="/hub"))
        assert again and again[-1].key == "hub.text"  # the redelivered event is processed now


async def test_changing_a_budget_lines_source_drops_the_old_agency(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await register_project_a(chat)
        await chat.tap("✏️ M5")
        await chat.tap("รายการงบประมาณ")
        await chat.tap("แก้ไข")
        await chat.say("2")
        await chat.tap("งบจังหวัด")
        await chat.say("ลำพูน")
        for _ in range(2):
            await chat.tap("ใช้ค่านี้")
        await chat.tap("ใช้ค่านี้")
        line = await BudgetLine.get(project__code="CMI1-2570-003", amount=Decimal(120000))
        assert (line.source, line.source_agency) == (FundingSource.PROVINCE, "ลำพูน")


async def test_saying_no_budget_keeps_the_lines_for_a_change_of_mind(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await register_project_a(chat)
        await chat.tap("✏️ M2")
        await chat.tap("ใช้งบประมาณ")
        await chat.tap("ไม่ใช่")
        assert "รายการงบประมาณ 3 รายการที่กรอกไว้ยังเก็บไว้" in chat.text
        assert await BudgetLine.filter(project__code="CMI1-2570-003").count() == 3
        await chat.tap("ใช้งบประมาณ")
        await chat.tap("ใช่")
        await chat.say("ตรวจทาน")
        assert "รวมงบประมาณทั้งสิ้น: 520,000 บาท" in chat.screen.text


async def test_typed_answers_on_offers_and_confirmations(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        await fill_m2(chat)
        for text in ("เหตุผล", "วัตถุประสงค์"):  # one objective: taken at once
            await chat.say(text)
        for text in ("ผลผลิต", "ผลลัพธ์", "ตัวชี้วัด"):
            await chat.say(text)
        await chat.tap("คน")
        await chat.say("10")
        await chat.tap("เสร็จ")
        await chat.say("ครู")  # the office's province is taken without asking
        await chat.tap("ข้าม")
        await chat.say("1 ต.ค. 2569")
        await chat.say("31 ธ.ค. 2569")  # a one-quarter project
        await chat.say("อบรมครู")
        await chat.say("Q1")
        assert chat.screen.key == ""  # the offer of a sub-activity
        await chat.say("นิเทศติดตาม")  # typed instead of choosing: the next activity
        assert "✔️ รับทราบ: นิเทศติดตาม" in chat.text
        await chat.say("ไตรมาส 1")
        await chat.tap("ไม่มี ไปต่อ")
        await chat.tap("เสร็จ")
        await chat.tap("งบของหน่วยงานเอง")
        await chat.tap("งบดำเนินงาน")
        await chat.say("40,000")
        assert [c.label for c in chat.screen.choices][:1] == ["ทั้งหมดในไตรมาส 1"]
        await chat.tap("แบ่งเท่ากันทุกไตรมาส")  # only the project's one quarter
        assert "40,000 บาท (ทั้งหมดใน Q1)" in chat.text and "รับทราบ" not in chat.text  # the item, said once
        await chat.tap("เสร็จ")
        await chat.tap("สารบัญ")  # from the hub (not the review card, which is its own confirmation) submit asks
        await chat.say("/submit")
        await chat.say("อาจจะ")
        assert chat.last[0].key == "confirm.yes_or_no"
        await chat.say("ใช่ค่ะ")
        project = await Project.get(name="โครงการยกระดับความสามารถด้านการอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1–3",
                                    status=ItemStatus.SUBMITTED)
        assert project.code == "CMI1-2570-003"


async def test_the_name_can_be_corrected_from_the_review_card(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await register_project_a(chat)
        await chat.tap("✏️ ชื่อโครงการ")
        await chat.say("โครงการยกระดับการอ่านออกเขียนได้ ป.1–3 (ปรับชื่อ)")
        assert chat.screen.key == "review" and "(ปรับชื่อ)" in chat.screen.text
        assert (await Project.get(code="CMI1-2570-003")).name.endswith("(ปรับชื่อ)")


async def test_a_forged_value_with_the_live_prompt_number_is_refused(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await register_project_a(chat)
        await chat.tap("✏️ M3")
        prompt = chat.screen.choices[0].token.split(".", 1)[0]
        for value in ("e99", "eX", "pX", "~approve", "@2026-10-01"):
            await chat.press(f"{prompt}.{value}")
            assert chat.last[0].text.startswith("ขั้นตอนนั้นผ่านไปแล้ว"), value
            assert chat.screen.key == "section.view"


async def test_a_greeting_after_days_away_is_not_taken_as_a_free_text_answer(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        await fill_m2(chat)
        assert chat.screen.key == "reg.rationale"
        world.clock.advance(days=2)
        await chat.say("สวัสดีค่ะ")
        assert chat.last[0].key == "resume.welcome_back" and chat.screen.key == "reg.rationale"
        assert "rationale" not in (await ConversationSession.get(chat_account__external_id="suda")).state["answers"]
        assert (await User.get(id=world.people["suda"].id)).active
