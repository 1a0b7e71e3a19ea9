"""Liveness and readiness endpoints for load balancers and ``make run`` users."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from api.errors import json_error
from api.keys import DATABASE
from models.db import Database

routes = web.RouteTableDef()
READY_WITHIN = 1.5  # seconds /readyz waits for the database: a load balancer's check must not hang with it


class Readiness:
    """Asks the database ``SELECT 1``, one question at a time, and waits for the answer a bounded time.

    A database that hangs would hang the query until the driver's timeouts, and cancelling it could hang as
    well (a cancelled task waits for its connection to give up). So the query runs as a task of its own that
    a caller waits for at most ``within`` seconds and otherwise leaves running; callers meanwhile share it, so
    that a hung database never gathers more than one query.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self._query: asyncio.Task[None] | None = None

    async def ready(self, within: float = READY_WITHIN) -> bool:
        """Whether the database answers within ``within`` seconds.

        A question still in flight from an earlier call is waited for rather than asked again; should it fail
        within the time, the question is asked once more (it may have failed on connections that are since back).
        """
        deadline = asyncio.get_running_loop().time() + within
        inherited = self._query is not None and not self._query.done()
        while True:
            if self._query is None or self._query.done():
                self._query = asyncio.create_task(self._ask(), name="readiness-query")
                self._query.add_done_callback(_observed)
            query = self._query
            done, _ = await asyncio.wait({query}, timeout=max(0.0, deadline - asyncio.get_running_loop().time()))
            answered = bool(done) and not query.cancelled() and query.exception() is None
            if answered or not done or not inherited:
                return answered
            inherited = False

    async def _ask(self) -> None:
        await self.database.connection().execute_query("SELECT 1")

    async def close(self) -> None:
        """Give up the question in flight, if any (at shutdown), without waiting on a hung database for long."""
        if self._query is not None and not self._query.done():
            self._query.cancel()
            await asyncio.wait({self._query}, timeout=READY_WITHIN)


def _observed(task: asyncio.Task[None]) -> None:
    """Mark a failed question's error as seen: nobody may be left waiting for it."""
    if not task.cancelled():
        task.exception()


READINESS = web.AppKey("readiness", Readiness)


async def readiness(app: web.Application) -> AsyncIterator[None]:
    """The app's :class:`Readiness`, closed before the database is (a cleanup context after the database's)."""
    app[READINESS] = Readiness(app[DATABASE])
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            await app[READINESS].close()


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    """The process is up and serving."""
    return web.json_response({"status": "ok", "service": "tidtam"})


@routes.get("/readyz")
async def readyz(request: web.Request) -> web.Response:
    """The database answers within :data:`READY_WITHIN` seconds; a load balancer should route here only when
    this is 200 (503 otherwise, within those seconds even while the database hangs)."""
    if not await request.app[READINESS].ready():
        return json_error(503, "database_unavailable", "the database does not answer")
    return web.json_response({"status": "ready"})
