"""Typed keys for the objects the aiohttp app shares with its handlers and background tasks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from api.settings import Settings
from bot.console import ConsoleChannel
from bot.inbox_worker import InboxWorker
from bot.line import LineChannel
from bot.reminders import ReminderLoop
from conversations.service.turns import ConversationService
from models.db import Database

SETTINGS = web.AppKey("settings", Settings)
DATABASE = web.AppKey("database", Database)
CLOCK: web.AppKey[Callable[[], datetime]] = web.AppKey("clock")
SERVICE = web.AppKey("conversation_service", ConversationService)
CONSOLE_TASK: web.AppKey[asyncio.Task[None]] = web.AppKey("console_task")
LINE_CHANNEL = web.AppKey("line_channel", LineChannel)
CONSOLE_CHANNEL = web.AppKey("console_channel", ConsoleChannel)
REMINDERS = web.AppKey("reminders", ReminderLoop)
INBOX = web.AppKey("inbox_worker", InboxWorker)
