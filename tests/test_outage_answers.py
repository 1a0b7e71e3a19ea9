"""A database outage is answered at once and for what it is: ``/readyz`` says 503 within two seconds even while
the database hangs, the HTTP API answers 503 ``database_unavailable`` (never 500), and the CLI says the database
cannot be reached (where, never the password) with exit status 3. Once the database is back, all answer normally.

PostgreSQL really hangs (a TCP forwarder that resets every connection, then accepts new ones and answers nothing:
the driver waits for its connect timeout); on SQLite another connection holds the file's write lock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from aiohttp.test_utils import TestClient

from api.demo import seed_demo
from api.settings import Settings
from models.api_tokens import issue_token
from models.clock import system_clock
from models.db import SERVING, is_postgres
from models.enums import Role
from models.shared_files import share
from tests.support.app import app_client
from tests.support.faults import sqlite_locked, tcp_cut
from tests.support.processes import Finished, free_port, run_tidtam, tidtam_env

READY_WITHIN = 2.0  # what a load balancer's check may wait
OUTAGE_WITHIN = SERVING.connect + 3.0  # the driver's connect timeout, and some slack for a loaded machine
PASSWORD = "never-print-me-4242"


@pytest.fixture
def postgres_url(empty_database_url: str) -> str:
    """The test database, when it is PostgreSQL."""
    if not is_postgres(empty_database_url):
        pytest.skip("a database server that hangs needs PostgreSQL (DATABASE_URL)")
    return empty_database_url


@pytest.fixture
def sqlite_url(empty_database_url: str) -> str:
    """The test database, when it is SQLite."""
    if is_postgres(empty_database_url):
        pytest.skip("the file lock is SQLite's")
    return empty_database_url


def with_password(database_url: str) -> str:
    """``database_url`` logging in with :data:`PASSWORD` (PostgreSQL's trust authentication takes any)."""
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(netloc=f"{parts.username or 'postgres'}:{quote(PASSWORD)}@{parts.hostname}:"
                                            f"{parts.port}"))


def settings_for(database_url: str) -> Settings:
    """A service with no chat platform on ``database_url``."""
    return Settings(database_url=database_url, telegram_bot_token=None, line_channel_secret=None,
                    line_channel_access_token=None, telegram_webhook_url=None, tidtam_reminders=False)


async def timed(request: Awaitable[Any]) -> tuple[Any, float]:
    """The result of ``request`` and how many seconds it took."""
    began = time.monotonic()
    result = await request
    return result, time.monotonic() - began


async def answer(client: TestClient[Any, Any], path: str, token: str | None = None) -> tuple[int, str]:
    """Status and error code (empty when none) of a GET."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with client.get(path, headers=headers) as response:
        body = await response.json() if response.content_type == "application/json" else {}
        return response.status, body.get("error", {}).get("code", "") if isinstance(body, dict) else ""


async def seeded(client: TestClient[Any, Any]) -> tuple[str, str]:
    """The demo, an admin's API token and a shared file's token, written while the database answers."""
    await seed_demo()
    _, token = await issue_token(role=Role.ADMIN)
    file_token = await share("export.xlsx", "application/octet-stream", b"PK", system_clock())
    assert await answer(client, "/readyz") == (200, "")
    return token, file_token


def api_paths(file_token: str) -> list[str]:
    """Endpoints of every kind: the data API, the plan search, a file link."""
    return ["/api/v1/projects", "/api/v1/projects/CMI1-2570-001", "/api/v1/status?fy=2570&q=1",
            "/api/v1/plans?q=MP", f"/files/{file_token}/export.xlsx"]


def said_unreachable(result: Finished, where: str) -> None:
    """The CLI said that the database cannot be reached, where it is, and nothing more."""
    assert result.returncode == 3, result
    assert "the database cannot be reached" in result.stderr and where in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "needs migrating" not in result.stderr
    assert PASSWORD not in result.stderr + result.stdout


async def test_a_hanging_postgres_is_answered_503_at_once_and_normally_once_back(postgres_url: str) -> None:
    async with tcp_cut(postgres_url) as link, app_client(settings_for(link.url_through(postgres_url))) as client:
        token, file_token = await seeded(client)
        cli_env = tidtam_env(with_password(link.url_through(postgres_url)))
        link.hang()
        cli = asyncio.create_task(run_tidtam(["office", "list"], cli_env))
        (ready, first), (again, second) = await asyncio.gather(timed(answer(client, "/readyz")),
                                                               timed(answer(client, "/readyz")))
        assert ready == again == (503, "database_unavailable")
        assert first < READY_WITHIN and second < READY_WITHIN
        answers = await asyncio.gather(*(timed(answer(client, path, token)) for path in api_paths(file_token)))
        assert [status for status, _ in answers] == [(503, "database_unavailable")] * len(answers)
        assert max(seconds for _, seconds in answers) < OUTAGE_WITHIN
        (status, seconds) = await timed(answer(client, "/readyz"))  # still hanging: still quick
        assert status == (503, "database_unavailable") and seconds < READY_WITHIN
        said_unreachable(await cli, f"127.0.0.1:{link.port}")

        link.restore()
        assert await answer(client, "/readyz") == (200, "")
        for path in api_paths(file_token):
            assert await answer(client, path, token) == (200, ""), path
        listed = await run_tidtam(["office", "list"], cli_env)
        assert listed.returncode == 0 and "CMI1" in listed.stdout, listed


async def test_a_locked_sqlite_file_is_answered_503_where_a_write_is_needed(sqlite_url: str) -> None:
    async with app_client(settings_for(sqlite_url)) as client:
        token, file_token = await seeded(client)
        env = tidtam_env(sqlite_url)
        async with sqlite_locked(sqlite_url):  # a stuck writer (or a backup) holds the file: reads still work (WAL)
            add = asyncio.create_task(run_tidtam(["office", "add", "--code", "LCK1", "--name", "ล็อก"], env))
            (ready, seconds) = await timed(answer(client, "/readyz"))
            assert ready == (200, "") and seconds < READY_WITHIN
            (used, seconds) = await timed(answer(client, "/api/v1/projects", token))  # the token's use is written
            assert used == (503, "database_unavailable") and seconds < SERVING.busy + 2.0
            assert await answer(client, "/api/v1/plans?q=MP") == (200, "")  # reading only
            assert await answer(client, f"/files/{file_token}/export.xlsx") == (200, "")
            said_unreachable(await add, sqlite_url.removeprefix("sqlite://"))
        assert await answer(client, "/api/v1/projects", token) == (200, "")
        added = await run_tidtam(["office", "add", "--code", "LCK1", "--name", "ล็อก"], env)
        assert added.returncode == 0, added


async def test_the_cli_names_a_server_that_refuses_connections_and_not_its_password() -> None:
    port = free_port()
    result = await run_tidtam(["office", "list"], tidtam_env(f"postgres://tidtam:{PASSWORD}@127.0.0.1:{port}/x"))
    said_unreachable(result, f"PostgreSQL at 127.0.0.1:{port}/x")
