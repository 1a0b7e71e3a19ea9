"""Wiring of the LINE channel into the app (filled in by issue #6)."""

from __future__ import annotations

from aiohttp import web


def install(app: web.Application) -> None:
    """Attach the LINE webhook when channel credentials are configured."""
