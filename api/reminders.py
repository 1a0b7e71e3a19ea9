"""Wiring of the reminder loop: a cleanup context that runs it beside the channels, and ``tidtam reminders …``.

The loop sends through the pushers of the channels this process runs: the Telegram bot's sender (so its
per-chat pacing and rate limiter are shared with conversation turns), the LINE sender, and the terminal
for the account it is attached to. ``preview`` prints what is due without claiming or sending anything;
``run-once`` sends what is due now through the configured platforms (console accounts' messages are
printed here).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack
from datetime import date, datetime, time

from aiohttp import web
from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, AsyncMessagingApiBlob, Configuration

from api.keys import CLOCK, CONSOLE_CHANNEL, LINE_CHANNEL, REMINDERS, SETTINGS
from api.settings import Settings
from api.telegram_channel import TELEGRAM
from bot.console import render as console_text
from bot.line_delivery import LineSender
from bot.pushers import ConsolePusher, LinePusher, Pusher, TelegramPusher
from bot.reminders import ReminderLoop, ReminderOptions, reachable
from bot.sending_hours import SendingHours
from bot.telegram_send import TelegramSender, build_bot
from conversations.messages import Reply
from conversations.oversight.reminder_plan import due_reminders
from conversations.service import reminder_claims
from conversations.service.telling import NO_PUSHES, PushOutlook
from models.clock import system_clock
from models.db import Database
from models.enums import Platform
from models.fiscal import BANGKOK, local_day

log = logging.getLogger(__name__)
SHUTDOWN_GRACE = 20.0  # seconds the chunks being sent get to finish when the service stops


def options(settings: Settings) -> ReminderOptions:
    """The loop's schedule, sending hours and pace from the settings."""
    return ReminderOptions(schedule=settings.reminder_schedule, policy=settings.reporting_policy,
                           hours=settings.sending_hours, interval=settings.tidtam_reminder_interval)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``reminders`` subcommands."""
    reminders = sub.add_parser("reminders", help="reminders and notifications").add_subparsers(
        dest="reminders_command", required=True)
    preview = reminders.add_parser("preview", help="list what would be sent, to whom and why, without sending")
    preview.add_argument("--at", type=_moment, metavar="YYYY-MM-DD[THH:MM]",
                         help="the moment to look at, Asia/Bangkok (a day alone: when sending hours start)")
    reminders.add_parser("run-once", help="send what is due now, then stop")


def _moment(text: str) -> datetime:
    try:
        if "T" in text or " " in text:
            moment = datetime.fromisoformat(text)
            return moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)
        return datetime.combine(date.fromisoformat(text), time(0, 0), tzinfo=BANGKOK)
    except ValueError:
        raise argparse.ArgumentTypeError("write YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None


def install(app: web.Application) -> None:
    """Run the loop with the app (after the channels it sends through), unless TIDTAM_REMINDERS is off."""
    if app[SETTINGS].tidtam_reminders:
        app.cleanup_ctx.append(_loop)


async def _loop(app: web.Application) -> AsyncIterator[None]:
    pushers: list[Pusher] = []
    clock = app[CLOCK]
    if TELEGRAM in app:
        pushers.append(TelegramPusher(app[TELEGRAM].sender, today=lambda: local_day(clock())))
    if LINE_CHANNEL in app:
        pushers.append(LinePusher(app[LINE_CHANNEL].sender))
    if CONSOLE_CHANNEL in app:
        console = app[CONSOLE_CHANNEL]
        pushers.append(ConsolePusher(console.notify, only=console.user_ref))
    loop = ReminderLoop(pushers, clock=clock, options=options(app[SETTINGS]))
    app[REMINDERS] = loop
    task = asyncio.create_task(loop.run_forever(), name="reminders")
    yield
    loop.stop()  # the chunks being sent finish and are recorded: a restart must not send them again
    try:
        await asyncio.wait_for(task, SHUTDOWN_GRACE)
    except TimeoutError:
        log.warning("reminders: still sending after %.0fs; stopped (unrecorded sends may repeat)", SHUTDOWN_GRACE)
    with contextlib.suppress(asyncio.CancelledError):
        await task


def push_outlook(settings: Settings, console_user: str | None = None) -> PushOutlook:
    """What the conversations tell a director or an admin about when the people concerned hear of a change: the
    channels the reminder loop pushes on (none with ``TIDTAM_REMINDERS`` off), whom each reaches (the terminal:
    only the account it is attached to) and the sending hours."""
    if not settings.tidtam_reminders:
        return NO_PUSHES
    reaches: dict[Platform, Callable[[str], bool]] = {
        platform: reach for platform, reach in _reaches(settings).items() if platform is not Platform.CONSOLE}
    if console_user:
        reaches[Platform.CONSOLE] = lambda external_id: external_id == console_user
    return PushOutlook(reaches, settings.sending_hours.next_allowed)


def _reaches(settings: Settings) -> dict[Platform, Callable[[str], bool]]:
    reaches: dict[Platform, Callable[[str], bool]] = {Platform.CONSOLE: lambda _: True}
    if settings.telegram_enabled:
        reaches[Platform.TELEGRAM] = TelegramPusher.reaches
    if settings.line_enabled:
        reaches[Platform.LINE] = LinePusher.reaches
    return reaches


async def preview(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Print what is due at ``--at`` (default now): when it would go out, to whom, on which channel, and why."""
    at: datetime = args.at or system_clock()
    hours = settings.sending_hours
    if args.at is not None and args.at.astimezone(BANGKOK).time() == time(0, 0):
        at = hours.next_allowed(at) if hours.is_working_day(local_day(at)) else at
    due = await due_reminders(at, settings.reminder_schedule, settings.reporting_policy,
                              working_day=hours.is_working_day)
    done = await reminder_claims.settled(due)
    targets = await reachable({reminder.recipient_id for reminder in due}, _reaches(settings))
    local, sends_at = at.astimezone(BANGKOK), hours.next_allowed(at).astimezone(BANGKOK)
    later = "" if sends_at == local else f"; {_closed(hours, local)}, they go out {sends_at:%Y-%m-%d %H:%M}"
    print(f"reminders due at {local:%Y-%m-%d %H:%M} (Asia/Bangkok): {len(due)}{later}")
    for reminder in due:
        target = targets.get(reminder.recipient_id)
        channel = f"{target.platform}:{target.external_id}" if target else "no linked channel"
        state = "  (already sent)" if reminder.key in done else ""
        says = "\n      ".join(reminder.reply.text.splitlines())
        print(f"- {reminder.kind} → {reminder.recipient_name} [{channel}] Q{reminder.quarter}/{reminder.fiscal_year}"
              f"{state}\n    why: {reminder.why}\n    says: {says}")
    return 0


def _closed(hours: SendingHours, moment: datetime) -> str:
    """Why nothing goes out at ``moment``: the holiday by its name, the office's day off, or the hours."""
    day = local_day(moment)
    why = hours.holidays.why(day)
    if why is None:
        return "outside sending hours"
    reasons = [*why.names, *(["the office's day off (TIDTAM_HOLIDAYS)"] if why.office else [])]
    return f"{day} is a holiday: {'; '.join(reasons)}"


async def run_once(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Send what is due now through the configured platforms; console accounts' messages are printed here."""
    async with AsyncExitStack() as stack:
        pushers: list[Pusher] = [ConsolePusher(_print)]
        if settings.telegram_bot_token is not None:
            bot = build_bot(settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base_url,
                            rate=settings.tidtam_telegram_rate)
            await stack.enter_async_context(bot)
            pushers.append(TelegramPusher(TelegramSender(bot), today=lambda: local_day(system_clock())))
        if settings.line_channel_access_token is not None:
            host = settings.line_api_base_url.rstrip("/") if settings.line_api_base_url else None
            client = AsyncApiClient(Configuration(access_token=settings.line_channel_access_token.get_secret_value(),
                                                  host=host))
            stack.push_async_callback(client.close)
            pushers.append(LinePusher(LineSender(AsyncMessagingApi(client), AsyncMessagingApiBlob(client),
                                                 clock=system_clock, rate=settings.tidtam_line_rate)))
        report = await ReminderLoop(pushers, clock=system_clock, options=options(settings)).run_once()
    if report.deferred_until is not None:
        later = report.deferred_until.astimezone(BANGKOK)
        print(f"{_closed(settings.sending_hours, system_clock())}: nothing sent; they go out {later:%Y-%m-%d %H:%M}")
        return 0
    print(f"due {report.due}, sent {report.sent} {report.by_platform or ''}, sent before {report.settled}, "
          f"no linked channel {report.no_channel}, blocked {report.blocked}, refused {report.refused}, "
          f"to retry {report.retry_later}")
    return 0


def _print(replies: Sequence[Reply], recipient: str | None) -> None:
    print(f"── console:{recipient} ──")
    for reply in replies:
        print(console_text(reply))
        print()
