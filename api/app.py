"""The one aiohttp application factory: every resource is a cleanup context, every shared object a typed key."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime

from aiohttp import web

from api import health, plans
from api.keys import CLOCK, DATABASE, SETTINGS
from api.settings import Settings
from models.clock import system_clock
from models.db import Database


def create_app(settings: Settings, *, clock: Callable[[], datetime] | None = None) -> web.Application:
    """Build the app; nothing connects until the app starts, and everything closes when it stops."""
    app = web.Application()
    app[SETTINGS] = settings
    app[CLOCK] = clock or system_clock
    app.cleanup_ctx.append(_database)
    app.add_routes(health.routes)
    app.add_routes(plans.routes)
    return app


async def _database(app: web.Application) -> AsyncIterator[None]:
    database = Database(app[SETTINGS].database_url)
    await database.open()
    app[DATABASE] = database
    try:
        yield
    finally:
        await database.close()
