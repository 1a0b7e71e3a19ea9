"""The one aiohttp application factory: every resource is a cleanup context, every shared object a typed key."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from aiohttp import web

from api import data_api, files, health, line_channel, plan_api, plans, reminders, telegram_channel
from api.errors import json_errors
from api.keys import CLOCK, CONSOLE_CHANNEL, CONSOLE_TASK, DATABASE, INBOX, SERVICE, SETTINGS
from api.log_setup import redact
from api.settings import Settings
from api.url_input import checked_url
from bot.console import ConsoleChannel
from bot.console_input import stdin_lines
from bot.inbox_worker import InboxWorker
from conversations.service.turns import ConversationService
from models.clock import system_clock
from models.db import Database

log = logging.getLogger(__name__)


def create_app(
    settings: Settings, *, clock: Callable[[], datetime] | None = None, console_user: str | None = None
) -> web.Application:
    """Build the app; nothing connects until the app starts, and everything closes when it stops.

    ``console_user`` attaches the terminal channel (as that console account) when no LINE or Telegram
    credentials are configured, so that ``make run`` can be tried at once.
    """
    app = web.Application(middlewares=[json_errors, checked_url])
    app[SETTINGS] = settings
    app[CLOCK] = clock or system_clock
    app.cleanup_ctx.append(_redaction)  # first: the database and the SDKs log as they start
    app.cleanup_ctx.append(_database)
    app.cleanup_ctx.append(health.readiness)
    console = console_user if console_user and not (settings.telegram_enabled or settings.line_enabled) else None
    app.cleanup_ctx.append(_conversations(console))
    if console:
        app.cleanup_ctx.append(_console(console))
    telegram_channel.install(app)
    line_channel.install(app)
    app.cleanup_ctx.append(_inbox)  # after the channels, which it hands events to; stopped before they close
    reminders.install(app)  # after the channels: it sends through them
    app.add_routes(health.routes)
    app.add_routes(plans.routes)
    app.add_routes(data_api.routes)
    app.add_routes(plan_api.routes)
    app.add_routes(files.routes)
    return app


async def _redaction(app: web.Application) -> AsyncIterator[None]:
    """This app's secrets are masked in every log record while it runs (an entry point masks them from the start;
    an app made in a test or a benchmark is covered too)."""
    stop_masking = redact(app[SETTINGS])
    yield
    stop_masking()


async def _database(app: web.Application) -> AsyncIterator[None]:
    database = Database(app[SETTINGS].database_url)
    await database.open()
    app[DATABASE] = database
    try:
        yield
    finally:
        await database.close()


def _conversations(console_user: str | None) -> Callable[[web.Application], AsyncIterator[None]]:
    async def service(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS]
        conversations = ConversationService(postgres=app[DATABASE].is_postgres, clock=app[CLOCK],
                                            policy=settings.reporting_policy,
                                            outlook=reminders.push_outlook(settings, console_user))
        app[SERVICE] = conversations
        app[INBOX] = InboxWorker(conversations, options=settings.inbox_options)
        yield

    return service


async def _inbox(app: web.Application) -> AsyncIterator[None]:
    """Work off the inbox while the app runs; at shutdown, let the running events finish and give back the rest."""
    worker = app[INBOX]
    await worker.start()
    try:
        yield
    finally:
        await worker.stop()


def _console(user_ref: str) -> Callable[[web.Application], AsyncIterator[None]]:
    async def attach(app: web.Application) -> AsyncIterator[None]:
        channel = ConsoleChannel(app[SERVICE].handle, user_ref)
        app[CONSOLE_CHANNEL] = channel
        task = asyncio.create_task(_run_console(channel), name="console-channel")
        app[CONSOLE_TASK] = task
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return attach


async def _run_console(channel: ConsoleChannel) -> None:
    try:
        async with stdin_lines() as lines:
            await channel.run(lines)
    except Exception:  # the terminal channel must never take the service down
        log.exception("terminal channel stopped")
    else:
        log.info("terminal channel: end of input, the service keeps running")
