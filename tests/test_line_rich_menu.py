"""LINE rich menus through the real line-bot-sdk against the stand-in: a menu per role with its picture, the owner's
the default, each person's linked when they link and when their role changes, made once and reused, stale ones
deleted, LINE refusing never stopping the service; and pushed messages carrying quick replies for the next step."""

from __future__ import annotations

import io
import logging

import pytest
from PIL import Image

from api.demo import seed_demo
from api.keys import REMINDERS
from bot.line_menus import RECHECK, menu_body
from conversations.engine.nav import Nav
from models.db import Database
from models.enums import ItemStatus, Platform, Role
from models.invites import issue_invite
from models.org import ChatAccount, User
from models.project import Project
from models.report import WindowException
from tests.support.app import app_client
from tests.support.clock import SteppingClock
from tests.support.line_standin import LineStandin, line_standin
from tests.support.line_standin_menus import RichMenu
from tests.support.line_user import LineUser
from tests.support.line_world import ACCESS_TOKEN, LineWorld, line_settings, line_world
from tests.support.reminders import bangkok
from tests.support.scenario import register_project_a
from tests.test_reminder_channels import two_line_admins

OWNER_BUTTONS = ["ลงทะเบียนโครงการ", "รายงานผลรายไตรมาส", "โครงการของฉัน", "ทำต่อ", "เมนูหลัก", "วิธีใช้"]
NOT_UNDERSTOOD = "กรุณาเลือกจากปุ่ม"  # what the bot says to words it does not take on the main menu


def ours(standin: LineStandin) -> dict[str, RichMenu]:
    """Our menus in the stand-in, by role."""
    return {menu.name.split(":")[1]: menu for menu in standin.menus.named("tidtam:")}


async def link_as(world: LineWorld, person: str) -> LineUser:
    """A LINE user linked to a demo person with an invite of that person's role."""
    user = world.user()
    await user.follow()
    _, code = await issue_invite(role=world.people[person].role, user=world.people[person], now=world.clock())
    await user.say(code)
    assert "เชื่อมบัญชีเรียบร้อย" in user.text, user.text
    return user


async def settled(world: LineWorld) -> dict[str, RichMenu]:
    assert world.channel.menus is not None
    await world.channel.menus.settled()
    return ours(world.standin)


async def test_each_role_has_its_menu_with_its_picture_and_every_button_is_understood(
        empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        menus = await settled(world)
        assert sorted(menus) == ["admin", "director", "owner"]
        assert world.standin.menus.default == menus["owner"].rich_menu_id  # newcomers see the owner's
        for menu in menus.values():
            assert menu.image_type == "image/png"
            picture = Image.open(io.BytesIO(menu.image or b""))
            assert picture.size == (2500, 843) and len(picture.getcolors(2**16) or []) > 2  # drawn, with text
            for action in menu.area_actions().values():  # a command the bot takes, the label shown in the chat
                assert action["type"] == "postback" and action["displayText"] == action["label"], action
                assert action["data"].startswith("cmd:/") and Nav(action["data"][len("cmd:/"):]), action
        assert list(menus["owner"].area_actions()) == OWNER_BUTTONS

        people = {"suda": "owner", "somchai": "director", "admin": "admin"}
        for person, role in people.items():
            user = await link_as(world, person)
            assert world.standin.menus.linked[user.user_id] == menus[role].rich_menu_id  # linked as they linked
            for label in menus[role].area_actions():
                await user.tap_menu(label)
                assert user.last and NOT_UNDERSTOOD not in user.text, (person, label, user.text)
                assert "ทำได้โดย" not in user.text and "เฉพาะ" not in user.text, (person, label, user.text)
        assert not world.standin.rejected and not [call for call in world.standin.menu_calls if call.status >= 400]


async def test_a_person_whose_role_changes_is_moved_to_that_role_s_menu(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        menus = await settled(world)
        suda = await world.linked("suda")
        assert world.standin.menus.linked[suda.user_id] == menus["owner"].rich_menu_id
        await User.filter(id=world.people["suda"].id).update(role=Role.DIRECTOR)
        links = len(world.standin.menus.linked)
        await suda.say("เมนู")
        assert world.standin.menus.linked[suda.user_id] == menus["owner"].rich_menu_id  # a role is not read each turn
        world.clock.advance(seconds=RECHECK.total_seconds() + 1)
        await suda.say("เมนู")
        assert world.standin.menus.linked[suda.user_id] == menus["director"].rich_menu_id
        assert len(world.standin.menus.linked) == links
        await User.filter(id=world.people["suda"].id).update(active=False)
        world.clock.advance(seconds=RECHECK.total_seconds() + 1)
        await suda.say("เมนู")
        assert suda.user_id not in world.standin.menus.linked  # no longer anyone's: the default again


async def test_menus_are_made_once_reused_after_a_restart_and_stale_ones_deleted(empty_database_url: str) -> None:
    async with line_standin(ACCESS_TOKEN) as standin:
        stale = RichMenu("richmenu-stale", {**menu_body(Role.OWNER), "name": "tidtam:owner:0ld"}, b"png", "image/png")
        foreign = RichMenu("richmenu-campaign", {**menu_body(Role.OWNER), "name": "campaign-2569"}, b"x", "image/png")
        half_made = RichMenu("richmenu-half", menu_body(Role.DIRECTOR))  # a start cut short: no picture
        standin.menus.by_id |= {menu.rich_menu_id: menu for menu in (stale, foreign, half_made)}
        standin.menus.default = stale.rich_menu_id
        settings = line_settings(empty_database_url, standin.url)
        async with app_client(settings, clock=SteppingClock()) as client:
            world = LineWorld(client, standin, SteppingClock(), {})
            first = await settled(world)
        assert len(standin.menu_calls_of("richmenu.create")) == 3
        assert set(standin.menus.by_id) == {foreign.rich_menu_id, *(menu.rich_menu_id for menu in first.values())}
        assert standin.menus.default == first["owner"].rich_menu_id

        async with Database(empty_database_url):  # someone linked on LINE while the service was down
            people = await seed_demo()
            await ChatAccount.create(platform=Platform.LINE, external_id="U" + "1" * 32, user=people["somchai"])
        async with app_client(settings, clock=SteppingClock()) as client:
            again = await settled(LineWorld(client, standin, SteppingClock(), people))
        assert {role: menu.rich_menu_id for role, menu in again.items()} == \
            {role: menu.rich_menu_id for role, menu in first.items()}
        assert len(standin.menu_calls_of("richmenu.create")) == 3 and not standin.menu_calls_of("richmenu.image")[3:]
        assert standin.menus.linked["U" + "1" * 32] == first["director"].rich_menu_id


@pytest.mark.parametrize("refused", ["richmenu.list", "richmenu.create", "richmenu.image", "richmenu.link"])
async def test_line_refusing_the_menus_never_stops_the_service(empty_database_url: str, refused: str,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot.line_menus")
    async with line_standin(ACCESS_TOKEN) as standin:
        standin.fail(refused, 403, times=100)
        settings = line_settings(empty_database_url, standin.url)
        clock = SteppingClock()
        async with app_client(settings, clock=clock) as client:
            world = LineWorld(client, standin, clock, await seed_demo())
            await settled(world)
            suda = await world.linked("suda")
            await suda.say("เมนู")
            assert "ต้องการทำอะไรคะ" in suda.text  # the chat goes on
        assert any("LINE rich menu" in record.getMessage() for record in caplog.records)
        assert all(menu.image is not None for menu in standin.menus.by_id.values())  # none left without a picture


async def test_pushes_without_buttons_carry_the_next_steps(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        await WindowException.all().delete()
        suda = await world.linked("suda", "สุดา")
        admin, _ = await two_line_admins(world)
        world.clock.set(bangkok(2027, 1, 4, 9))
        await world.client.app[REMINDERS].run_once()
        [summary] = [delivery for delivery in world.standin.deliveries_to(admin.user_id) if delivery.via == "multicast"]
        items = summary.messages[-1]["quickReply"]["items"]
        assert [item["action"]["label"] for item in items] == ["สถานะการรายงาน", "ค้างส่ง", "เมนูหลัก"]
        await admin.press(items[1])
        assert "Q1/2570" in admin.text and NOT_UNDERSTOOD not in admin.text, admin.text
        [pushed] = [delivery for delivery in world.standin.deliveries_to(suda.user_id) if delivery.via == "push"]
        labels = [item["action"]["label"] for item in pushed.messages[-1]["quickReply"]["items"]]
        assert labels == ["📝 เปิดรายงาน"]  # a push with its own button keeps just that
        assert not world.standin.rejected


async def test_a_menu_tap_while_a_comment_is_asked_is_a_command_never_the_comment(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        await settled(world)
        suda, somchai = await link_as(world, "suda"), await link_as(world, "somchai")
        await register_project_a(suda)  # type: ignore[arg-type]
        await suda.tap("ส่งให้ผู้อำนวยการ")
        await somchai.tap_menu("รออนุมัติ")
        await somchai.tap("1. ทะเบียนโครงการ")
        await somchai.tap("ส่งกลับแก้ไข")  # the comment is asked now
        await somchai.tap_menu("สถานะการรายงาน")
        assert "สถานะ" in somchai.text and NOT_UNDERSTOOD not in somchai.text, somchai.text
        project = await Project.get(code="CMI1-2570-003")
        assert project.status is ItemStatus.SUBMITTED  # not returned with the comment "สถานะ"
        assert somchai.shown[-1] == "สถานะการรายงาน"  # the chat shows the button's label, not a command
