"""Running the real aiohttp app on 127.0.0.1 for a test, with a real HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from aiohttp.web_runner import BaseRunner

from api.app import create_app
from api.http_server import AppRunner
from api.settings import Settings
from models.api_tokens import issue_token


class AppServer(TestServer):
    """aiohttp's test server, running the app the way ``tidtam serve`` does (``api.http_server.AppRunner``)."""

    async def _make_runner(self, **kwargs: Any) -> BaseRunner:
        return AppRunner(self.app, **kwargs)


@asynccontextmanager
async def app_client(
    settings: Settings, *, clock: Callable[[], datetime] | None = None
) -> AsyncIterator[TestClient[object, object]]:
    """Start the app (its cleanup contexts run), yield a client, stop it again."""
    server = AppServer(create_app(settings, clock=clock), host="127.0.0.1", port=0)
    client: TestClient[object, object] = TestClient(server)
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def bearer(**who: Any) -> dict[str, str]:
    """The Authorization header of a new API token for ``who`` (a user, or a role and office)."""
    _, token = await issue_token(**who)
    return {"Authorization": f"Bearer {token}"}
