"""Fan-out: reminders to 10,000 people through the real SDKs to local stand-in platforms.

For each platform the reminder loop sends one quarter-opening reminder to every owner (a different text
each, so LINE pushes them one by one) and, on LINE, one identical message to every admin (multicast, 500
per request). Reported: the achieved rate as a ratio of the configured limit (the baseline: what the
platform allows us), and the duplicates and losses counted by the stand-in, person by person.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, AsyncMessagingApiBlob, Configuration

from api.log_setup import redact
from api.settings import load_settings
from bench.standins import standin_process
from bot.line_delivery import LineSender
from bot.pushers import LinePusher, Pusher, TelegramPusher
from bot.reminders import ReminderLoop, ReminderOptions
from bot.sending_hours import SendingHours
from bot.telegram_send import TelegramSender, build_bot
from conversations.oversight.reminder_stages import ReminderSchedule
from models.clock import system_clock
from models.db import Database
from models.enums import ItemStatus, Platform, Role
from models.fiscal import BANGKOK
from models.org import ChatAccount, Office, User
from models.project import Project

RECIPIENTS = int(os.environ.get("BENCH_FANOUT_RECIPIENTS", "10000"))
TELEGRAM_RATE = float(os.environ.get("BENCH_TELEGRAM_RATE", "150"))  # messages a second: five times Telegram's
LINE_RATE = float(os.environ.get("BENCH_LINE_RATE", "300"))  # requests a second, configured
MOMENT = (2027, 1, 4, 9)  # a Monday: Q1 FY2570's window is open
BATCH = 1000


@dataclass(frozen=True, slots=True)
class FanoutResult:
    """One platform's run."""

    name: str
    recipients: int
    requests: int
    seconds: float
    limit: float  # requests a second allowed
    duplicates: int
    losses: int

    @property
    def ratio(self) -> float | None:
        """The time the limiter needs for these requests over the time they took (1.0: at the limit).

        A token bucket lets ``limit`` requests go at once and then ``limit`` a second, so the ideal time is
        ``(requests - limit) / limit``; None when the run fits in that first burst (nothing to compare).
        """
        ideal = (self.requests - self.limit) / self.limit
        return ideal / self.seconds if ideal > 0 and self.seconds else None


async def _seed(platform: Platform, count: int, *, admins: bool = False) -> list[str]:
    """``count`` owners (or admins) with a chat account each, owners with an approved project; their ids."""
    office = await Office.create(code=f"F{platform.value[:2].upper()}", name=f"bench {platform.value}")
    role = Role.ADMIN if admins else Role.OWNER
    users = [User(name=f"{role.value} {number}", role=role, office=None if admins else office)
             for number in range(count)]
    await User.bulk_create(users, batch_size=BATCH)
    created = await User.filter(role=role, name__startswith=f"{role.value} ").order_by("id").values_list("id",
                                                                                                      flat=True)
    ids = [str(7_000_000 + number) if platform is Platform.TELEGRAM else f"U{number:032x}" for number in range(count)]
    await ChatAccount.bulk_create([ChatAccount(platform=platform, external_id=external, user_id=user_id)
                                   for external, user_id in zip(ids, created, strict=True)], batch_size=BATCH)
    if admins:  # the summary is of a quarter with something to report
        owner = await User.create(name="owner", role=Role.OWNER, office=office)
        await Project.create(code=f"{office.code}-2570-00000", fiscal_year=2570, office=office, owner=owner,
                             status=ItemStatus.APPROVED, name="โครงการ")
    else:
        await Project.bulk_create([Project(code=f"{office.code}-2570-{number:05d}", fiscal_year=2570, office=office,
                                           owner_id=user_id, status=ItemStatus.APPROVED, name=f"โครงการ {number}")
                                   for number, user_id in enumerate(created)], batch_size=BATCH)
    return ids


async def _timed(run: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await run()
    return time.perf_counter() - started


def _loop(pusher: Pusher) -> ReminderLoop:
    moment = datetime(*MOMENT, tzinfo=BANGKOK)
    options = ReminderOptions(schedule=ReminderSchedule(admin_weekday=0), hours=SendingHours())
    return ReminderLoop([pusher], clock=lambda: moment, options=options)


async def telegram_fanout(count: int) -> FanoutResult:
    """Every owner on Telegram gets their reminder."""
    ids = await _seed(Platform.TELEGRAM, count)
    async with standin_process("telegram") as standin:
        async with build_bot(standin.token, standin.base_url, rate=TELEGRAM_RATE) as bot:
            pusher = TelegramPusher(TelegramSender(bot), today=lambda: date(*MOMENT[:3]))
            seconds = await _timed(_loop(pusher).run_once)
        arrived = Counter(await standin.counts())
    return FanoutResult("Telegram, one message each", count, sum(arrived.values()), seconds, TELEGRAM_RATE,
                        sum(n - 1 for n in arrived.values() if n > 1), sum(1 for chat in ids if not arrived[chat]))


async def line_fanout(count: int, *, admins: bool) -> FanoutResult:
    """Every owner on LINE gets their reminder by push, or every admin the same summary by multicast."""
    ids = await _seed(Platform.LINE, count, admins=admins)
    async with standin_process("line") as standin:
        client = AsyncApiClient(Configuration(access_token=standin.token, host=standin.base_url))
        try:
            sender = LineSender(AsyncMessagingApi(client), AsyncMessagingApiBlob(client), clock=system_clock,
                                rate=LINE_RATE)
            seconds = await _timed(_loop(LinePusher(sender)).run_once)
        finally:
            await client.close()
        arrived = Counter(await standin.counts())
    requests = arrived.pop("__requests__", 0)
    name = "LINE, one summary to all (multicast)" if admins else "LINE, one message each (push)"
    return FanoutResult(name, count, requests, seconds, LINE_RATE, sum(n - 1 for n in arrived.values() if n > 1),
                        sum(1 for user in ids if not arrived[user]))


async def _fresh(url: str, work: Callable[[], Awaitable[FanoutResult]]) -> FanoutResult:
    database = Database(url)
    await database.open()
    try:
        await database.migrate()
        return await work()
    finally:
        await database.close()


async def run(recipients: int = RECIPIENTS) -> list[FanoutResult]:
    """The three runs, each on a fresh SQLite database."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for number, work in enumerate((lambda: telegram_fanout(recipients),
                                       lambda: line_fanout(recipients, admins=False),
                                       lambda: line_fanout(recipients, admins=True))):
            url = f"sqlite://{Path(folder) / f'fanout-{number}.sqlite3'}"
            results.append(await _fresh(url, work))
    return results


def table(results: list[FanoutResult]) -> str:
    """The figures as rows."""
    lines = [f"{'fan-out':38} {'people':>7} {'requests':>8} {'seconds':>8} {'limit/s':>8} {'ratio':>6} "
             f"{'dup':>4} {'lost':>4}"]
    for result in results:
        ratio = f"{result.ratio:>6.2f}" if result.ratio is not None else f"{'-':>6}"
        lines.append(f"{result.name:38} {result.recipients:>7} {result.requests:>8} {result.seconds:>8.1f} "
                     f"{result.limit:>8.0f} {ratio} {result.duplicates:>4} {result.losses:>4}")
    return "\n".join(lines)


if __name__ == "__main__":
    redact(load_settings())  # the log filter of every entry point (levels left as they are)
    print(table(asyncio.run(run())))
