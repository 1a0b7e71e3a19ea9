"""Each person's Telegram command menu fits their role: set on their chat when they link and when the role
changes; the default menu holds only what a newcomer can do (end to end, through the stand-in Bot API)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from models.enums import Role
from models.org import User
from tests.support.telegram_app import TelegramRig, telegram_app

ADMIN_ONLY = {"invite", "windows", "window", "except"}


@pytest.fixture
async def rig(empty_database_url: str) -> AsyncIterator[TelegramRig]:
    async with telegram_app(empty_database_url) as running:
        yield running


def chat_scoped(rig: TelegramRig, chat_id: int) -> list[dict[str, object]]:
    return [call.params for call in rig.standin.called("setMyCommands")
            if (call.params.get("scope") or {}).get("type") == "chat" and call.params["scope"]["chat_id"] == chat_id]


async def test_a_newcomer_sees_only_how_to_start(rig: TelegramRig) -> None:
    assert rig.standin.commands and [c["command"] for c in rig.standin.commands] == ["start", "help"]
    stranger = rig.user(7301, "ใครสักคน")
    await stranger.say("สวัสดี")
    assert rig.standin.menu_of(stranger.id) == ["start", "help"]
    assert not chat_scoped(rig, stranger.id)


async def test_each_role_gets_its_own_menu_when_it_links(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user(7001), "suda")
    somchai = await rig.link(rig.user(7002, "สมชาย"), "somchai")
    admin = await rig.link(rig.user(7003, "แอดมิน"), "admin")

    owner_menu = set(rig.standin.menu_of(suda.id))
    assert {"new", "reports", "skip", "submit"} <= owner_menu
    assert not owner_menu & (ADMIN_ONLY | {"inbox", "pending", "start"})
    director_menu = set(rig.standin.menu_of(somchai.id))
    assert {"inbox", "pending", "status", "export"} <= director_menu
    assert not director_menu & (ADMIN_ONLY | {"new", "submit", "skip"})
    admin_menu = set(rig.standin.menu_of(admin.id))
    assert admin_menu >= ADMIN_ONLY | {"inbox", "status"} and not admin_menu & {"new", "submit", "start"}
    assert [c["command"] for c in rig.standin.commands] == ["start", "help"]  # the default is unchanged

    await suda.say("เมนู")
    await suda.say("ช่วยเหลือ")
    assert len(chat_scoped(rig, suda.id)) == 1, "a menu is set once, not at every turn"


async def test_a_changed_role_or_an_unlinked_person_changes_the_menu(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user(7001), "suda")
    await User.filter(id=rig.people["suda"].id).update(role=Role.DIRECTOR)
    await suda.say("เมนู")
    assert "inbox" in rig.standin.menu_of(suda.id) and "new" not in rig.standin.menu_of(suda.id)

    await User.filter(id=rig.people["suda"].id).update(active=False)
    await suda.say("เมนู")
    assert rig.standin.menu_of(suda.id) == ["start", "help"]
    assert rig.standin.called("deleteMyCommands")


async def test_a_menu_telegram_refuses_never_stops_the_answer(rig: TelegramRig) -> None:
    rig.standin.fail("setMyCommands", 400, "Bad Request: BOT_COMMAND_INVALID")
    suda = await rig.link(rig.user(7001), "suda")
    assert "เชื่อมบัญชีเรียบร้อย" in suda.text
    await suda.say("เมนู")  # tried again at the next turn
    assert "new" in rig.standin.menu_of(suda.id)
