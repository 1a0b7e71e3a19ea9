"""JSON errors with a stable machine-readable code, the same shape on every endpoint."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_error(status: int, code: str, message: str) -> web.Response:
    """An error response: ``{"error": {"code": ..., "message": ...}}``."""
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


STATUS_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Under ``/api/``, every error is JSON with a stable code, even a 404 of an unknown path or a bug."""
    if not request.path.startswith("/api/"):
        return await handler(request)
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        return json_error(error.status, STATUS_CODES.get(error.status, "http_error"), error.reason)
    except Exception:  # a bug must not answer an API client with an HTML page (nor leak a traceback)
        log.exception("%s %s failed", request.method, request.path)
        return json_error(500, "internal_error", "the request failed; it has been logged")
