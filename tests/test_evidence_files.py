"""The director opens the evidence a report lists: a button per file on the report's card. Telegram sends the
file itself; LINE shows a photo as an image and links a document when the service has a public address, and
otherwise says how to get it. Only the project's owner, the office's director and admins get a file."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from conversations.messages import Attachment
from conversations.service.evidence_serving import evidence_reply
from conversations.service.report_store import create_report, store_attachment, submit_report
from models.enums import Role
from models.fiscal import FiscalQuarter
from models.org import Office, User
from models.project import Project
from models.report import ReportAttachment
from tests.support.line_world import line_world
from tests.support.telegram_app import assert_within_limits, telegram_app
from tests.support.telegram_user import buttons

PUBLIC = "https://tidtam.example.go.th"
JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
PHOTO = b"\xff\xd8\xff\xe0" + b"workshop photo" * 100
PDF = b"%PDF-1.7 " + b"attendance list " * 200


async def submitted_with_evidence(people: dict[str, User]) -> list[int]:
    """Project A's Q1 report, submitted by its owner with a photo and a PDF; the files' ids."""
    owner = people["suda"]
    project = await Project.get(code="CMI1-2570-001")
    report = await create_report(project, FiscalQuarter(2570, 1))
    ids = [await store_attachment(report, Attachment("image", "อบรมรุ่น1.jpg", PHOTO, "image/jpeg"), owner, JAN_5),
           await store_attachment(report, Attachment("document", "รายชื่อ.pdf", PDF, "application/pdf"), owner,
                                  JAN_5)]
    await submit_report(report, JAN_5, owner, late=False)
    return ids


async def test_telegram_sends_each_evidence_file_on_a_tap(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        rig.clock.set(JAN_5)
        await submitted_with_evidence(rig.people)
        somchai = await rig.link(rig.user(7003, "สมชาย", "ใจดี"), "somchai")
        await somchai.say("รออนุมัติ")
        await somchai.tap("1. รายงาน Q1/2570")
        assert {"📎1. อบรมรุ่น1.jpg", "📎2. รายชื่อ.pdf"} <= set(somchai.labels())

        await somchai.tap("📎2. รายชื่อ.pdf")
        [document] = rig.standin.called("sendDocument")
        assert document.files["document"] == ("รายชื่อ.pdf", PDF)
        assert document.params.get("caption") == "📎 หลักฐาน: รายชื่อ.pdf"
        await somchai.tap("📎1. อบรมรุ่น1.jpg")
        [photo] = rig.standin.called("sendPhoto")
        assert photo.files["photo"][1] == PHOTO
        assert "✅ อนุมัติ" in somchai.labels()  # the card stays on screen, its decision still to take
        assert [m["message_id"] for m in somchai.bot_messages if buttons(m)] == [somchai.screen["message_id"]]
        assert_within_limits(rig.standin)


async def test_line_shows_the_photo_and_links_the_document(empty_database_url: str) -> None:
    async with line_world(empty_database_url, public_url=PUBLIC) as world:
        world.clock.set(JAN_5)
        await submitted_with_evidence(world.people)
        director = await world.linked("somchai", "สมชาย")
        await director.say("รออนุมัติ")
        await director.tap("1. รายงาน Q1/2570")
        await director.tap("📎1. อบรมรุ่น1.jpg")
        [image] = [message for message in director.last if message["type"] == "image"]
        assert image["originalContentUrl"].startswith(f"{PUBLIC}/files/")
        served = await world.client.get(urlsplit(image["originalContentUrl"]).path)
        assert served.status == 200 and await served.read() == PHOTO

        await director.tap("📎2. รายชื่อ.pdf")
        assert "📎 หลักฐาน: รายชื่อ.pdf" in director.text and "ดาวน์โหลด (7 วัน): " in director.text
        link = director.text.split("ดาวน์โหลด (7 วัน): ")[1].split()[0]
        document = await world.client.get(urlsplit(link).path)
        assert document.status == 200 and await document.read() == PDF
        assert "✅ อนุมัติ" in director.labels()
        assert not world.standin.rejected


async def test_line_without_a_public_address_says_how_to_get_the_file(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        world.clock.set(JAN_5)
        await submitted_with_evidence(world.people)
        director = await world.linked("somchai", "สมชาย")
        await director.say("รออนุมัติ")
        await director.tap("1. รายงาน Q1/2570")
        await director.tap("📎2. รายชื่อ.pdf")
        assert "📎 รายชื่อ.pdf" in director.text and "https://" not in director.text
        assert "ลิงก์ดาวน์โหลด" in director.text and "TIDTAM_PUBLIC_URL" in director.text
        assert not [message for message in director.last if message["type"] == "image"]


async def test_only_the_owner_the_offices_director_and_admins_get_a_file(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        photo_id, _ = await submitted_with_evidence(rig.people)
        elsewhere = await Office.create(code="CMI2", name="สพป.เชียงใหม่ เขต 2")
        other_director = await User.create(name="ผอ.เขต 2", role=Role.DIRECTOR, office=elsewhere)
        allowed = {name: rig.people[name] for name in ("suda", "somchai", "admin")}
        for name, person in allowed.items():
            reply = await evidence_reply(person, str(photo_id))
            assert reply.attachment is not None and reply.attachment.content == PHOTO, name
        for person in (rig.people["weera"], other_director):  # another owner of the office; another office
            reply = await evidence_reply(person, str(photo_id))
            assert reply.attachment is None and reply.key == "evidence.not_found", person.name
        assert (await evidence_reply(rig.people["admin"], "999999")).attachment is None
        assert await ReportAttachment.filter(id=photo_id).exists()
