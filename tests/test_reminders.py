"""The reminder loop on a stepping clock: a quarter's ladder, quiet hours, digests, notifications, restarts.

Messages go out through the terminal pusher (the demo people have console accounts); the channel tests
send the same through the real SDKs to the stand-in platforms.
"""

from __future__ import annotations

import pytest

from bot.reminders import ReminderOptions
from bot.sending_hours import SendingHours
from conversations.oversight.reminder_plan import due_reminders
from conversations.oversight.reminder_stages import ReminderSchedule
from conversations.service import reminder_claims
from conversations.service.reminder_claims import LEASE
from models.days_off import DaysOff
from models.db import Database
from models.enums import DeliveryStatus, ItemStatus, ReminderKind
from models.org import User
from models.project import Project
from models.report import QuarterReport, WindowException
from models.runtime import Notification, ReminderDelivery
from tests.support.reminders import Terminal, bangkok, loop, second_office
from tests.support.scenario import fill_q1_report, open_report
from tests.support.world import demo_world


async def test_a_quarter_walks_the_whole_ladder_once(database: Database) -> None:
    async with demo_world(database) as world:
        await WindowException.all().delete()  # the demo's early-reporting exception: real windows here
        terminal = Terminal()
        no_national_holidays = SendingHours(holidays=DaysOff(country=None))  # the ladder alone: 1 Jan at work
        reminders = loop(world.clock, terminal.pusher(), options=ReminderOptions(hours=no_national_holidays))

        world.clock.set(bangkok(2026, 12, 31, 10))  # the quarter's last day: nothing yet
        assert (await reminders.run_once()).due == 0

        world.clock.set(bangkok(2027, 1, 1, 0, 30))  # the window opens at midnight, in quiet hours
        report = await reminders.run_once()
        assert report.sent == 0 and report.deferred_until == bangkok(2027, 1, 1, 8)
        assert terminal.take() == {}

        world.clock.set(bangkok(2027, 1, 1, 8))
        assert (await reminders.run_once()).sent == 3  # and the admins' weekly summary
        shown = terminal.take()
        assert set(shown) == {"suda", "weera"}
        suda = shown["suda"][0]
        assert "เปิดรับรายงานผลไตรมาส Q1/2570" in suda and "CMI1-2570-001" in suda
        assert "กำหนดส่ง 15 ม.ค. 2570 (เหลือ 14 วัน)" in suda
        assert "CMI1-2570-002" in shown["weera"][0]
        assert terminal.shown == {}

        world.clock.advance(minutes=1)
        assert (await reminders.run_once()).sent == 0  # once
        restarted = loop(world.clock, terminal.pusher(), options=ReminderOptions(hours=no_national_holidays))
        assert (await restarted.run_once()).sent == 0  # once, after a restart too

        # suda reports on 5 January; the director hears of it at the next tick
        world.clock.set(bangkok(2027, 1, 5, 9))
        owner = world.chat("suda")
        await open_report(owner)
        await fill_q1_report(owner)
        await owner.say("/submit")
        assert (await QuarterReport.get(fiscal_year=2570, quarter=1)).status is ItemStatus.SUBMITTED
        world.clock.advance(minutes=1)
        await reminders.run_once()
        shown = terminal.take()
        assert list(shown) == ["somchai"] and "ส่งรายงาน Q1/2570" in shown["somchai"][0]
        # pushed means seen: it is not repeated at the top of his next turn
        assert await Notification.filter(recipient=world.people["somchai"], shown_at__isnull=True).count() == 0

        expectations = [
            (bangkok(2027, 1, 8, 8), "อีก 7 วันถึงกำหนดส่งรายงานไตรมาส Q1/2570"),
            (bangkok(2027, 1, 12, 8), "อีก 3 วันถึงกำหนดส่งรายงานไตรมาส Q1/2570"),
            (bangkok(2027, 1, 15, 8), "วันนี้ (15 ม.ค. 2570) เป็นวันสุดท้าย"),
        ]
        for moment, words in expectations:
            world.clock.set(moment)
            await reminders.run_once()
            shown = terminal.take()
            assert list(shown) == ["weera"], (moment, shown)  # suda has reported: she is left in peace
            assert words in shown["weera"][0] and "CMI1-2570-002" in shown["weera"][0]

        world.clock.set(bangkok(2027, 1, 16, 9))  # Saturday: overdue, but it waits for Monday
        assert (await reminders.run_once()).deferred_until == bangkok(2027, 1, 18, 8)
        world.clock.set(bangkok(2027, 1, 18, 8))
        await reminders.run_once()
        shown = terminal.take()
        assert set(shown) == {"weera", "somchai"}
        assert "เลยกำหนดส่ง (15 ม.ค. 2570) มาแล้ว 3 วัน" in shown["weera"][0]
        assert "ยังส่งได้ถึง 30 ม.ค. 2570" in shown["weera"][0]
        digest = shown["somchai"][0]
        assert "CMI1-2570-002" in digest and "นายวีระ แก้วมณี" in digest and "ยังไม่เริ่ม" in digest
        assert "CMI1-2570-001" not in digest  # reported: not outstanding

        world.clock.set(bangkok(2027, 1, 22, 8))  # a week late: once more, to both
        await reminders.run_once()
        assert set(terminal.take()) == {"weera", "somchai"}
        world.clock.set(bangkok(2027, 2, 1, 8))  # locked: no report is taken, nothing is said
        await reminders.run_once()
        assert terminal.take() == {}

        sent = await ReminderDelivery.filter(status=DeliveryStatus.SENT).exclude(kind=ReminderKind.ADMIN_WEEKLY).count()
        assert sent == 2 + 1 + 3 + 2 + 2  # opened ×2, notification, due-soon ×3, overdue+digest ×2
        kinds = set(await ReminderDelivery.all().values_list("kind", flat=True))
        assert kinds == {ReminderKind.WINDOW_OPENED, ReminderKind.SUBMITTED, ReminderKind.DUE_SOON,
                         ReminderKind.OVERDUE, ReminderKind.DIRECTOR_DIGEST, ReminderKind.ADMIN_WEEKLY}
        weeks = await ReminderDelivery.filter(kind=ReminderKind.ADMIN_WEEKLY).values_list("subject", flat=True)
        assert sorted(weeks) == ["w2026-53", "w2027-01", "w2027-02", "w2027-03", "w2027-05"]  # once a week


async def test_a_missed_rung_is_replaced_by_the_latest_not_sent_beside_it(database: Database) -> None:
    async with demo_world(database) as world:
        await WindowException.all().delete()
        terminal = Terminal()
        world.clock.set(bangkok(2027, 1, 13, 9))  # the service was down from before the window opened
        await loop(world.clock, terminal.pusher()).run_once()
        shown = terminal.take()
        assert len(shown["suda"]) == 1 and "อีก 2 วันถึงกำหนดส่ง" in shown["suda"][0]  # the 3-day rung, today's count


async def test_the_digest_lists_all_and_only_the_offices_outstanding_projects(database: Database) -> None:
    async with demo_world(database) as world:
        await WindowException.all().delete()
        await second_office()
        weera = world.people["weera"]
        for number in range(3, 6):  # three more of weera's, one already reported and approved
            await Project.create(code=f"CMI1-2570-00{number}", fiscal_year=2570, office_id=weera.office_id,
                                 owner=weera, status=ItemStatus.APPROVED, name=f"โครงการที่ {number}")
        done = await Project.get(code="CMI1-2570-005")
        await QuarterReport.create(project=done, fiscal_year=2570, quarter=1, status=ItemStatus.APPROVED)
        draft = await Project.get(code="CMI1-2570-004")
        await QuarterReport.create(project=draft, fiscal_year=2570, quarter=1, status=ItemStatus.DRAFT)
        terminal = Terminal()
        world.clock.set(bangkok(2027, 1, 18, 9))
        await loop(world.clock, terminal.pusher()).run_once()
        shown = terminal.take()
        assert len(shown["somchai"]) == 1  # one digest, never one message per project
        digest = shown["somchai"][0]
        for code in ("CMI1-2570-001", "CMI1-2570-002", "CMI1-2570-003", "CMI1-2570-004"):
            assert code in digest
        assert "CMI1-2570-005" not in digest and "LPN1" not in digest
        assert "4 โครงการ" in digest and "ร่างไว้ ยังไม่ส่ง" in digest
        assert "LPN1-2570-001" in shown["krit"][0] and "CMI1" not in shown["krit"][0]


async def test_quiet_hours_and_holidays_defer_and_never_drop(database: Database) -> None:
    async with demo_world(database) as world:
        await WindowException.all().delete()
        terminal = Terminal()
        reminders = loop(world.clock, terminal.pusher())  # Thailand's calendar: New Year's Day is a holiday
        for moment in (bangkok(2027, 1, 1, 9), bangkok(2027, 1, 2, 9), bangkok(2027, 1, 3, 23)):
            world.clock.set(moment)  # New Year's Day, then the weekend
            assert (await reminders.run_once()).deferred_until == bangkok(2027, 1, 4, 8)
        assert terminal.take() == {}
        world.clock.set(bangkok(2027, 1, 4, 8))
        await reminders.run_once()
        shown = terminal.take()
        assert set(shown) == {"suda", "weera"} and "เหลือ 11 วัน" in shown["suda"][0]


async def test_a_configured_ladder_and_the_admins_weekly_summary(database: Database) -> None:
    async with demo_world(database) as world:
        await WindowException.all().delete()
        terminal = Terminal()
        schedule = ReminderSchedule(days_before_due=(5,), days_after_due=(2,), admin_weekday=0)
        reminders = loop(world.clock, terminal.pusher(), options=ReminderOptions(schedule=schedule))
        world.clock.set(bangkok(2027, 1, 4, 9))  # a Monday: the admins' summary too
        await reminders.run_once()
        shown = terminal.take(admins=True)
        summary = shown["admin"][0]
        assert "สรุปประจำสัปดาห์ รายงานไตรมาส Q1/2570" in summary and "โครงการที่ต้องรายงาน 2" in summary
        assert "ยังไม่ส่ง 2" in summary and "ประถมศึกษาเชียงใหม่ เขต 1: ค้าง 2 จาก 2" in summary
        world.clock.set(bangkok(2027, 1, 8, 9))  # the 5-day rung falls on Sunday 10 Jan: said on the Friday before
        await reminders.run_once()
        shown = terminal.take(admins=True)
        assert list(shown) == ["suda", "weera"] and "อีก 7 วันถึงกำหนดส่ง" in shown["suda"][0]
        world.clock.set(bangkok(2027, 1, 11, 9))
        await reminders.run_once()
        shown = terminal.take(admins=True)
        assert list(shown) == ["admin"] and "สรุปประจำสัปดาห์" in shown["admin"][0]  # the next week's summary
        world.clock.set(bangkok(2027, 1, 17, 9))  # Sunday: the 2-day overdue rung waits for Monday
        await reminders.run_once()
        assert terminal.take(admins=True) == {}
        world.clock.set(bangkok(2027, 1, 18, 8))
        await reminders.run_once()
        shown = terminal.take(admins=True)
        assert "เลยกำหนดส่ง (15 ม.ค. 2570) มาแล้ว 3 วัน" in shown["suda"][0] and "admin" in shown


async def test_a_due_date_in_songkran_is_announced_before_it_and_nothing_goes_out_in_it(database: Database) -> None:
    async with demo_world(database) as world:
        await WindowException.all().delete()
        terminal = Terminal()
        reminders = loop(world.clock, terminal.pusher())  # by default Thailand's calendar: Songkran is 13–15 April
        world.clock.set(bangkok(2027, 4, 12, 9))  # Q2 is due 15 April, in Songkran: the last day is said on the 12th
        await reminders.run_once()
        shown = terminal.take()
        assert "อีก 3 วันถึงกำหนดส่งรายงานไตรมาส Q2/2570" in shown["suda"][0]
        for moment in (bangkok(2027, 4, 13, 9), bangkok(2027, 4, 15, 19)):
            world.clock.set(moment)  # the due date itself, in Songkran: the overdue rung waits for the 16th's morning
            assert (await reminders.run_once()).deferred_until == bangkok(2027, 4, 16, 8)
        assert terminal.take() == {}
        world.clock.set(bangkok(2027, 4, 16, 8))  # the moment it named
        await reminders.run_once()
        assert "เลยกำหนดส่ง (15 เม.ย. 2570) มาแล้ว 1 วัน" in terminal.take()["suda"][0]


@pytest.mark.parametrize(("weekday", "sent_on"), [(6, [4, 11]), (4, [4, 8, 15])])
async def test_the_weekly_summary_on_a_day_off_goes_out_the_next_working_day(
        database: Database, weekday: int, sent_on: list[int]) -> None:
    async with demo_world(database) as world:
        await WindowException.all().delete()
        terminal = Terminal()
        schedule = ReminderSchedule(admin_weekday=weekday)
        reminders = loop(world.clock, terminal.pusher(), options=ReminderOptions(schedule=schedule))
        days = []
        for day in range(4, 16):  # from Monday 4 January (the service starts: last week's summary is still due)
            world.clock.set(bangkok(2027, 1, day, 9))
            await reminders.run_once()
            if "admin" in terminal.take(admins=True):
                days.append(day)
        assert days == sent_on  # Sunday's summary goes out on Monday, Friday's on Friday: once a week


async def test_a_claim_lost_with_its_process_is_sent_by_the_next_never_dropped(database: Database) -> None:
    async with demo_world(database) as world:
        await WindowException.all().delete()
        terminal = Terminal()
        world.clock.set(bangkok(2027, 1, 4, 9))
        due = [reminder for reminder in await due_reminders(world.clock(), ReminderSchedule(), world.service.policy)
               if reminder.recipient_name.startswith("นางสาวสุดา")]
        held = await reminder_claims.claim(due, "a-run-that-died", world.clock())
        assert len(held) == 1  # claimed, then the process died before sending

        reminders = loop(world.clock, terminal.pusher())
        await reminders.run_once()
        assert set(terminal.take()) == {"weera"}  # suda's is still held: nobody sends it twice at once
        world.clock.advance(seconds=LEASE.total_seconds() + 1)
        await reminders.run_once()
        assert set(terminal.take()) == {"suda"}  # the lapsed claim is taken over and sent
        row = await ReminderDelivery.get(recipient=world.people["suda"])
        assert row.status is DeliveryStatus.SENT and row.attempts == 2


async def test_inactive_people_and_unlinked_ones_get_nothing(database: Database) -> None:
    async with demo_world(database) as world:
        await WindowException.all().delete()
        await User.filter(id=world.people["weera"].id).update(active=False)
        await world.people["suda"].chat_accounts.all().delete()  # suda never linked a chat
        terminal = Terminal()
        world.clock.set(bangkok(2027, 1, 4, 9))
        report = await loop(world.clock, terminal.pusher()).run_once()
        assert report.no_channel == 1 and report.by_platform == {"console": 1}  # the admin's summary
        assert not terminal.take()
        assert await ReminderDelivery.filter(recipient=world.people["suda"]).count() == 0  # she links a chat: sent
