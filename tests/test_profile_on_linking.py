"""A person who links with a role invite is asked their real name (phone and email optional) once, before
anything else; the role's word never stands for their name, nor is it offered as a prefilled answer."""

from __future__ import annotations

from models.enums import Role
from models.invites import issue_invite
from models.org import Office, User
from tests.support.line_world import line_world
from tests.support.scenario import start_project
from tests.support.telegram_app import telegram_app

REAL_NAME = "นายอนุชา ใจงาม"


async def test_line_a_role_invite_asks_the_real_name_phone_and_email_once(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        office = await Office.get(code="CMI1")
        _, code = await issue_invite(role=Role.OWNER, office=office, now=world.clock())
        anucha = world.user()  # no LINE display name to go by
        await anucha.follow()
        await anucha.say(code)
        assert "เชื่อมบัญชีเรียบร้อย" in anucha.text and "ยินดีต้อนรับคุณเจ้าของโครงการ" not in anucha.text
        assert "ชื่อ-นามสกุลจริง" in anucha.text, anucha.text

        await anucha.say("/skip")  # the name cannot be skipped
        assert "ข้ามไม่ได้" in anucha.text and "ชื่อ-นามสกุลจริง" in anucha.text
        await anucha.say("เมนู")  # nor passed by
        assert "ขอข้อมูลของคุณก่อน" in anucha.text and "ชื่อ-นามสกุลจริง" in anucha.text
        await anucha.say("เจ้าของโครงการ")  # the placeholder is no name
        assert "ไม่ใช่ชื่อคน" in anucha.text
        await anucha.say(REAL_NAME)
        assert f"รับทราบ: {REAL_NAME}" in anucha.text and "เบอร์โทรศัพท์" in anucha.text
        assert anucha.screen is not None and "⏭ ข้าม" in anucha.labels()
        await anucha.tap("⏭ ข้าม")
        assert "อีเมล" in anucha.text
        await anucha.say("anucha at example")  # refused, asked again
        assert "อีเมล" in anucha.screen["text"]
        await anucha.say("Anucha.J@Example.go.th")
        assert f"บันทึกข้อมูลของ{REAL_NAME}เรียบร้อยแล้ว" in anucha.text
        assert "📝 รายงานผลรายไตรมาส" in anucha.labels()  # the menu, at last

        person = await User.get(name=REAL_NAME)
        assert (person.role, person.phone, person.email, person.profile_asks) == (
            Role.OWNER, "", "anucha.j@example.go.th", [])

        await anucha.say("สวัสดี")  # asked once: never again
        assert "ชื่อ-นามสกุลจริง" not in anucha.text


async def test_telegram_the_owner_name_taken_in_m2_is_the_real_one(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        office = await Office.get(code="CMI1")
        _, code = await issue_invite(role=Role.OWNER, office=office, now=rig.clock())
        anucha = rig.user(7301, "Anu")  # a nickname on Telegram: the real name is still asked
        await anucha.say(f"/start {code}")
        assert "ชื่อ-นามสกุลจริง" in anucha.text, anucha.transcript()
        await anucha.say(REAL_NAME)
        await anucha.say("081-234-5678")
        await anucha.tap("ข้าม")
        assert "ลงทะเบียนโครงการใหม่" in " ".join(anucha.labels(anucha.screen))

        await start_project(anucha)  # type: ignore[arg-type]
        await anucha.say("สารบัญ")
        await anucha.tap("M2")
        await anucha.tap("โครงการ")
        await anucha.tap("แผนงานพื้นฐานด้านการพัฒนา")
        await anucha.say("ใช่")
        await anucha.tap("ดำเนินการเอง")
        await anucha.tap("เสร็จ")
        # the director's contacts, the owner's name and phone are taken; the e-mail skipped at linking is asked
        assert "อีเมลของผู้รับผิดชอบโครงการ" in anucha.screen["text"], anucha.screen["text"]
        await anucha.say("anucha.j@example.go.th")
        assert f"• ผู้รับผิดชอบโครงการ: {REAL_NAME}" in anucha.text, anucha.text


async def test_a_person_named_only_by_a_role_is_asked_and_never_offered_it(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        office = await Office.get(code="CMI1")
        placeholder = await User.create(name="เจ้าของโครงการ", role=Role.OWNER, office=office)  # linked earlier
        _, code = await issue_invite(role=Role.OWNER, user=placeholder, now=rig.clock())
        person = rig.user(7302, "พร")
        await person.say(f"/start {code}")
        assert "ยินดีต้อนรับคุณเจ้าของโครงการ" not in person.text and "ชื่อ-นามสกุลจริง" in person.text
        await person.say("นางพรทิพย์ ทองดี")
        await placeholder.refresh_from_db()
        assert placeholder.name == "นางพรทิพย์ ทองดี"


async def test_a_director_named_only_by_a_role_is_not_offered_as_the_directors_name(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        await User.filter(id=rig.people["somchai"].id).update(name="ผู้อำนวยการ")  # joined by a role invite
        suda = await rig.link(rig.user())
        await start_project(suda)  # type: ignore[arg-type]
        await suda.say("สารบัญ")
        await suda.tap("M2")
        await suda.tap("โครงการ")
        await suda.tap("แผนงานพื้นฐานด้านการพัฒนา")
        await suda.say("ใช่")
        await suda.tap("ดำเนินการเอง")
        await suda.tap("เสร็จ")
        screen = suda.screen["text"]
        assert "ชื่อ-นามสกุล ผู้อำนวยการ" in screen and "ข้อมูลที่มีอยู่" not in screen, screen
        assert not any("ใช้ค่านี้" in label for label in suda.labels(suda.screen))
