"""Wiring of the Telegram channel into the app (filled in by issue #5)."""

from __future__ import annotations

from aiohttp import web


def install(app: web.Application) -> None:
    """Attach the Telegram channel (polling or webhook) when a bot token is configured."""
