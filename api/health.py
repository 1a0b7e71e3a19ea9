"""Liveness and readiness endpoints for load balancers and ``make run`` users."""

from __future__ import annotations

from aiohttp import web

from api.errors import json_error
from api.keys import DATABASE

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    """The process is up and serving."""
    return web.json_response({"status": "ok", "service": "tidtam"})


@routes.get("/readyz")
async def readyz(request: web.Request) -> web.Response:
    """The database answers; a load balancer should route here only when this is 200."""
    try:
        await request.app[DATABASE].connection().execute_query("SELECT 1")
    except Exception:  # any driver error means "not ready", whatever its type
        return json_error(503, "database_unavailable", "the database does not answer")
    return web.json_response({"status": "ready"})
