"""Reminders through the real SDKs to the stand-in platforms: buttons that open the report, 429 storms,
blocked users, LINE multicast for identical messages, and the loop started by the app itself."""

from __future__ import annotations

import asyncio

import pytest

from api.keys import REMINDERS
from conversations.service.reminder_claims import RETRY_FIRST
from models.enums import DeliveryStatus, Platform, ReminderKind, Role
from models.invites import issue_invite
from models.org import ChatAccount, User
from models.report import WindowException
from models.runtime import ReminderDelivery
from tests.support.line_user import LineUser
from tests.support.line_world import LineWorld, line_world
from tests.support.reminders import bangkok
from tests.support.telegram_app import assert_within_limits, telegram_app
from tests.support.telegram_user import buttons

OPEN_REPORT = "📝 เปิดรายงาน"


async def two_line_admins(world: LineWorld) -> list[LineUser]:
    """The demo admin and a second one, both linked on LINE (identical messages to them go by multicast)."""
    second = await User.create(name="เจ้าหน้าที่ติดตามผล 2", role=Role.ADMIN)
    admins = [world.user("แอดมิน"), world.user("แอดมิน 2")]
    for user, person in zip(admins, (world.people["admin"], second), strict=True):
        await user.follow()
        _, code = await issue_invite(role=Role.ADMIN, user=person, now=world.clock())
        await user.say(code)
        assert "เชื่อมบัญชีเรียบร้อย" in user.text
    return admins


async def test_telegram_reminder_button_opens_the_report(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        await WindowException.all().delete()
        suda = await rig.link(rig.user(7001), "suda")
        await suda.say("รายงานผล")  # somewhere else in the conversation when the reminder arrives
        rig.clock.set(bangkok(2027, 1, 4, 9))
        report = await rig.client.app[REMINDERS].run_once()
        assert report.by_platform == {"telegram": 1}, report  # suda; the others have no Telegram
        reminder = suda.bot_messages[-1]
        assert "เปิดรับรายงานผลไตรมาส Q1/2570" in reminder["text"] and "เหลือ 11 วัน" in reminder["text"]
        [(label, data)] = buttons(reminder)
        assert label == OPEN_REPORT and data.startswith("*")
        await suda.press(reminder, data)
        assert "ผลผลิต" in suda.text or "ผลการดำเนินงาน" in suda.text, suda.transcript()
        assert suda.labels() and OPEN_REPORT not in suda.labels()
        assert_within_limits(rig.standin)


async def test_telegram_429_storm_delays_but_never_loses_or_repeats(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        await WindowException.all().delete()
        suda = await rig.link(rig.user(7001), "suda")
        weera = await rig.link(rig.user(7002, "วีระ"), "weera")
        before = {user.id: len(user.bot_messages) for user in (suda, weera)}
        rig.standin.fail("sendMessage", 429, "Too Many Requests: retry after 0", retry_after=0, times=6)
        rig.clock.set(bangkok(2027, 1, 4, 9))
        loop = rig.client.app[REMINDERS]
        assert (await loop.run_once()).sent == 2
        for user in (suda, weera):
            assert len(user.bot_messages) == before[user.id] + 1  # once each

        # a storm longer than every retry: the delivery waits, then goes out once
        rig.clock.set(bangkok(2027, 1, 8, 9))
        rig.standin.fail("sendMessage", 429, "Too Many Requests: retry after 0", retry_after=0, times=40)
        first = await loop.run_once()
        assert first.retry_later >= 1 and first.sent + first.retry_later == 2
        rig.standin._faults.clear()
        rig.clock.advance(seconds=RETRY_FIRST.total_seconds() - 5)
        assert (await loop.run_once()).sent == 0  # not before its retry time
        rig.clock.advance(seconds=10)
        assert (await loop.run_once()).sent == first.retry_later
        for user in (suda, weera):
            reminders = [message for message in user.bot_messages if "อีก 7 วัน" in message.get("text", "")]
            assert len(reminders) == 1


async def test_telegram_blocked_user_is_marked_and_skipped(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        await WindowException.all().delete()
        await rig.link(rig.user(7001), "suda")
        rig.standin.fail("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=7001)
        rig.clock.set(bangkok(2027, 1, 4, 9))
        loop = rig.client.app[REMINDERS]
        report = await loop.run_once()
        assert report.blocked == 1 and report.sent == 0
        account = await ChatAccount.get(platform=Platform.TELEGRAM, external_id="7001")
        assert account.active is False
        row = await ReminderDelivery.get(recipient=rig.people["suda"])
        assert row.status is DeliveryStatus.SKIPPED and "blocked" in row.last_error
        calls = len(rig.standin.called("sendMessage"))
        rig.clock.set(bangkok(2027, 1, 8, 9))
        assert (await loop.run_once()).sent == 0
        assert len(rig.standin.called("sendMessage")) == calls  # nothing more is tried


async def test_the_app_runs_the_loop_by_itself(empty_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIDTAM_REMINDER_INTERVAL", "0.2")
    async with telegram_app(empty_database_url) as rig:
        await WindowException.all().delete()
        suda = await rig.link(rig.user(7001), "suda")
        rig.clock.set(bangkok(2027, 1, 4, 9))
        await rig.standin.wait_for(lambda: any("เปิดรับรายงานผล" in message.get("text", "")
                                               for message in suda.bot_messages), seconds=10)
        await asyncio.sleep(0.5)  # more ticks: still once
        assert sum("เปิดรับรายงานผล" in message.get("text", "") for message in suda.bot_messages) == 1


async def test_line_push_with_a_button_and_multicast_for_identical_messages(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        await WindowException.all().delete()
        suda = await world.linked("suda", "สุดา")
        admin, admin2 = await two_line_admins(world)
        world.clock.set(bangkok(2027, 1, 4, 9))
        report = await world.client.app[REMINDERS].run_once()
        assert report.by_platform == {"line": 3}, report

        multicasts = world.standin.calls_of("multicast")
        assert len(multicasts) == 1  # the admins' summary is one text: one request for both
        summary = [delivery for delivery in world.standin.deliveries if delivery.via == "multicast"]
        assert {delivery.user_id for delivery in summary} == {admin.user_id, admin2.user_id}
        assert "สรุปประจำสัปดาห์" in summary[0].messages[0]["text"]

        [pushed] = [delivery for delivery in world.standin.deliveries_to(suda.user_id) if delivery.via == "push"]
        message = pushed.messages[-1]
        assert "เปิดรับรายงานผลไตรมาส Q1/2570" in message["text"]
        [item] = [item for item in message["quickReply"]["items"] if item["action"]["label"] == OPEN_REPORT]
        await suda.press(item)
        assert "ผลผลิต" in suda.text or "ผลการดำเนินงาน" in suda.text, suda.text
        assert not world.standin.rejected


async def test_line_429_and_5xx_are_retried_then_left_for_later(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        await WindowException.all().delete()
        suda = await world.linked("suda", "สุดา")
        world.standin.fail("push", 429, times=2)
        world.clock.set(bangkok(2027, 1, 4, 9))
        loop = world.client.app[REMINDERS]
        assert (await loop.run_once()).sent == 1
        assert len([d for d in world.standin.deliveries_to(suda.user_id) if d.via == "push"]) == 1

        world.clock.set(bangkok(2027, 1, 8, 9))
        world.standin.fail("push", 503, times=50)
        assert (await loop.run_once()).retry_later == 1
        world.standin.faults.clear()
        world.clock.advance(seconds=RETRY_FIRST.total_seconds() + 1)
        assert (await loop.run_once()).sent == 1
        pushes = [d for d in world.standin.deliveries_to(suda.user_id) if d.via == "push"]
        assert len(pushes) == 2 and "อีก 7 วัน" in pushes[-1].messages[0]["text"]
        row = await ReminderDelivery.get(recipient=world.people["suda"], kind=ReminderKind.DUE_SOON)
        assert row.status is DeliveryStatus.SENT and row.attempts == 2


async def test_line_unfollowed_user_is_skipped(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        await WindowException.all().delete()
        suda = await world.linked("suda", "สุดา")
        await suda.unfollow()
        world.clock.set(bangkok(2027, 1, 4, 9))
        report = await world.client.app[REMINDERS].run_once()
        assert report.sent == 0 and report.no_channel == 3  # suda unfollowed; weera and the admin never linked LINE
        assert not [d for d in world.standin.deliveries_to(suda.user_id) if d.via == "push"]


async def test_line_refused_multicast_falls_back_to_pushes_and_bad_credentials_wait(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        await WindowException.all().delete()
        admins = await two_line_admins(world)
        world.standin.fail("multicast", 400)  # one recipient LINE will not take fails the whole request
        world.clock.set(bangkok(2027, 1, 4, 9))
        loop = world.client.app[REMINDERS]
        assert (await loop.run_once()).sent == 2
        for user in admins:
            [summary] = [d for d in world.standin.deliveries_to(user.user_id) if d.via == "push"]
            assert "สรุปประจำสัปดาห์" in summary.messages[0]["text"]

        suda = await world.linked("suda", "สุดา")
        world.standin.fail("push", 401, times=10)  # the channel token was rotated: wait, do not give up
        report = await loop.run_once()
        assert report.retry_later == 1 and report.refused == 0
        row = await ReminderDelivery.get(recipient=world.people["suda"])
        assert row.status is DeliveryStatus.CLAIMED and "401" in row.last_error
        world.standin.faults.clear()
        world.clock.advance(seconds=RETRY_FIRST.total_seconds() + 1)
        assert (await loop.run_once()).sent == 1
        assert [d for d in world.standin.deliveries_to(suda.user_id) if d.via == "push"]
