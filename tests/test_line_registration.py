"""End to end over LINE: a new friend links the account with an invite code, registers the whole of
Project A and submits it — signed webhooks into the real app, the real line-bot-sdk client out to a
stand-in Messaging API, every answer sent with the reply token and within LINE's limits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from models.enums import ItemStatus, Platform, Role
from models.invites import issue_invite
from models.org import ChatAccount
from models.project import Project
from models.report import QuarterReport, ReportAttachment
from tests.support.line_world import line_world
from tests.support.scenario import PROJECT_A, fill_q1_report, open_report, register_project_a


async def test_project_a_is_registered_and_submitted_over_line(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda = world.user(display_name="Suda S.")
        await suda.follow()
        assert "ยินดีต้อนรับ" in suda.text and "รหัสเชิญ" in suda.text  # greeting and how to link
        account = await ChatAccount.get(platform=Platform.LINE, external_id=suda.user_id)
        assert account.display_name == "Suda S." and account.user_id is None  # the profile, read once
        _, code = await issue_invite(role=Role.OWNER, user=world.people["suda"], now=world.clock())
        await suda.say(code)
        assert "เชื่อมบัญชีเรียบร้อย ยินดีต้อนรับนางสาวสุดา ศรีสุข" in suda.text

        await register_project_a(suda)  # type: ignore[arg-type]
        assert ("➕ ลงทะเบียนโครงการ…", "➕ ลงทะเบียนโครงการใหม่") in suda.tapped  # cut to 20, shown whole
        assert ("แผนงานพื้นฐานด้านกา…", "แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์") in suda.tapped

        review = [message for message in suda.last if message["type"] == "flex"]
        assert len(review) == 1, suda.last
        title = review[0]["altText"].split("\n", 1)[0].removeprefix("📋 ")  # the summary opens with the title
        assert review[0]["contents"]["header"]["contents"][0]["text"] == title
        assert review[0]["altText"].endswith("\nรหัส CMI1-2570-003 · สถานะ 📝 ร่าง\nเปิดดูรายละเอียด")
        assert "@" not in review[0]["altText"] and "081" not in review[0]["altText"]  # no contact details
        assert f"'text': '{PROJECT_A}'" in str(review[0]["contents"]["body"])  # the card itself holds everything
        sections = [part["text"] for part in review[0]["contents"]["body"]["contents"] if part.get("weight") == "bold"]
        assert [section[:4] for section in sections[1:]] == ["✅ M1", "✅ M2", "✅ M3", "✅ M4", "✅ M5"]
        assert "ข้อมูลครบแล้วค่ะ" in suda.last[-1]["text"] and "quickReply" in suda.last[-1]

        await suda.tap("ส่งให้ผู้อำนวยการ")
        assert "ส่งโครงการ CMI1-2570-003 ให้ผู้อำนวยการแล้ว" in suda.text
        project = await Project.get(code="CMI1-2570-003")
        assert project.name == PROJECT_A and project.status is ItemStatus.SUBMITTED
        assert project.provinces == ["เชียงใหม่"] and len(project.objectives) == 2

        counts = await world.counts()
        assert counts["pushes"] == 0 and counts["failures"] == 0  # every answer went out with its reply token
        assert counts["replies"] == len(world.standin.calls_of("reply")) >= 80  # the whole registration, as replies
        pages = [text for text in suda.shown if text.startswith("ดูเพิ่ม")]
        assert pages, "a list longer than 13 (the NESDP 13 milestones) was paged"
        assert world.standin.rejected == []  # nothing broke LINE's limits
        assert all(len(delivery.messages) <= 5 for delivery in world.standin.deliveries)


async def test_q1_is_reported_over_line_with_a_photo_as_evidence(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        world.clock.set(datetime(2027, 1, 5, 2, 0, tzinfo=UTC))  # Q1 FY 2570 open, due 15 Jan
        suda = await world.linked("suda", display_name="Suda S.")
        await open_report(suda)  # type: ignore[arg-type]
        await fill_q1_report(suda)  # type: ignore[arg-type]
        await suda.send_image(b"\xff\xd8\xff\xe0 workshop photo")
        assert "ได้รับ" in suda.text and "(1/5)" in suda.text  # sent on the review card
        await suda.tap("ส่งให้ผู้อำนวยการ")
        report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=1)
        assert report.status is ItemStatus.SUBMITTED and report.disbursed_amount == Decimal(98500)
        photo = await ReportAttachment.get(report=report)
        assert photo.kind == "image" and photo.content == b"\xff\xd8\xff\xe0 workshop photo"
        assert (await world.counts())["pushes"] == 0
