"""A new chat user links their account with a one-time invite code; wrong codes are throttled."""

from __future__ import annotations

from datetime import timedelta

from models.db import Database
from models.enums import Platform, Role
from models.invites import issue_invite
from models.org import ChatAccount, Invite, Office, User
from tests.support.world import demo_world


async def test_an_invite_links_a_telegram_account_to_its_person(database: Database) -> None:
    async with demo_world(database) as world:
        _, code = await issue_invite(role=Role.OWNER, user=world.people["weera"], now=world.clock())
        chat = world.chat("777000", platform=Platform.TELEGRAM, display_name="Weera K.")
        await chat.say("สวัสดีครับ")
        assert chat.last[0].text.startswith("สวัสดีค่ะ 🙏 ยินดีต้อนรับ") and "รหัสเชิญ" in chat.text
        await chat.say("ขอเข้าใช้งานครับ")
        assert chat.last[0].text.startswith("กรุณาพิมพ์รหัสเชิญ")
        await chat.say(code.lower().replace("-", " "))  # sloppy typing still matches
        assert "เชื่อมบัญชีเรียบร้อย ยินดีต้อนรับนายวีระ แก้วมณี ในบทบาทเจ้าของโครงการ" in chat.text
        assert chat.screen.key == "menu.text"
        account = await ChatAccount.get(platform=Platform.TELEGRAM, external_id="777000")
        assert account.user_id == world.people["weera"].id
        invite = await Invite.get(user=world.people["weera"])
        assert invite.used_at == world.clock() and invite.used_by_id == account.id
        other = world.chat("888000", platform=Platform.TELEGRAM)
        await other.say(code)
        assert "ถูกใช้ไปแล้ว" in other.text


async def test_start_with_a_code_creates_the_person_of_a_role_invite(database: Database) -> None:
    async with demo_world(database) as world:
        office = await Office.get(code="CMI1")
        _, code = await issue_invite(role=Role.DIRECTOR, office=office, now=world.clock())
        chat = world.chat("U123", platform=Platform.LINE, display_name="ผอ.ใหม่ ทดสอบ")
        await chat.say(f"/start {code.replace('-', '')}")
        assert "ในบทบาทผู้อำนวยการ" in chat.text
        user = await User.get(name="ผอ.ใหม่ ทดสอบ")
        assert user.role is Role.DIRECTOR and user.office_id == office.id


async def test_expired_codes_are_explained(database: Database) -> None:
    async with demo_world(database) as world:
        _, code = await issue_invite(role=Role.OWNER, user=world.people["suda"], now=world.clock(),
                                     valid_for=timedelta(days=1))
        world.clock.advance(days=2)
        chat = world.chat("999", platform=Platform.TELEGRAM)
        await chat.say(code)
        assert "หมดอายุแล้วเมื่อ 24 พ.ย. 2569" in chat.text


async def test_repeated_wrong_codes_are_throttled_then_allowed_again(database: Database) -> None:
    async with demo_world(database) as world:
        _, code = await issue_invite(role=Role.OWNER, user=world.people["suda"], now=world.clock())
        chat = world.chat("555", platform=Platform.TELEGRAM)
        for left in (4, 3, 2, 1):
            await chat.say("ABCDE-FGHJK")
            assert f"เหลือโอกาส {left} ครั้ง" in chat.text
        await chat.say("ABCDE-FGHJK")
        assert "กรุณารอ 15 นาที" in chat.text
        await chat.say(code)  # even the right code waits
        assert "กรุณารอ" in chat.text
        account = await ChatAccount.get(external_id="555")
        assert account.user_id is None
        world.clock.advance(minutes=16)
        await chat.say(code)
        assert "เชื่อมบัญชีเรียบร้อย" in chat.text
        await account.refresh_from_db()
        assert account.user_id == world.people["suda"].id and account.failed_link_attempts == 0
