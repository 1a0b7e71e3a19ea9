"""JSON errors with a stable machine-readable code, the same shape on every endpoint."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from models.db import is_outage

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_error(status: int, code: str, message: str) -> web.Response:
    """An error response: ``{"error": {"code": ..., "message": ...}}``."""
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


STATUS_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
JSON_PATHS = ("/api/", "/files/")  # the webhooks answer their platforms in their own way


def database_unavailable() -> web.Response:
    """The answer to a request that met a database outage (see ``models.db.is_outage``): 503, to be tried again."""
    return json_error(503, "database_unavailable", "the database cannot be reached now; try again shortly")


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Under ``/api/`` and ``/files/``, every error is JSON with a stable code, even a 404 of an unknown path or a
    bug; a database outage is a 503 ``database_unavailable``, never a 500."""
    if not request.path.startswith(JSON_PATHS):
        return await handler(request)
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        return json_error(error.status, STATUS_CODES.get(error.status, "http_error"), error.reason)
    except Exception as error:  # a bug must not answer an API client with an HTML page (nor leak a traceback)
        if is_outage(error):
            log.warning("%s %s: the database is unavailable (%s: %s)", request.method, request.path,
                        type(error).__name__, error)
            return database_unavailable()
        log.exception("%s %s failed", request.method, request.path)
        return json_error(500, "internal_error", "the request failed; it has been logged")
