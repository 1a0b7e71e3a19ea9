"""Serving the app on aiohttp's HTTP server, whose answer to a request it cannot even parse is our JSON error.

aiohttp answers a request line it cannot parse (raw UTF-8 in a URL, as ``curl '…?q=การศึกษา'`` sends it, or a
URL longer than 8,190 bytes) with a plain-text 400 before any middleware runs, and logs it with a traceback at
ERROR. Here the connection's error handler answers such a request with ``bad_parameter`` (the URL) or
``bad_request`` (anything else) as JSON, and logs one line at INFO. Everything else is aiohttp's, but for the
access log's line of each webhook delivery that was stored (:class:`AccessLog`).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Callable

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError, InvalidURLError, LineTooLong
from aiohttp.web_log import AccessLogger
from aiohttp.web_protocol import RequestHandler

from api import line_channel, telegram_channel
from api.errors import json_error

log = logging.getLogger(__name__)
SHUTDOWN_TIMEOUT = 60.0  # seconds open connections get to finish when the service stops (as web.run_app)
KEEPALIVE_TIMEOUT = 75.0  # seconds an idle keep-alive connection stays open (as web.run_app)
NOT_ASCII = ("the URL must be ASCII: percent-encode anything else as UTF-8, e.g. "
             "curl -G --data-urlencode 'q=…' http://…/api/v1/plans")


def malformed_answer(error: HttpProcessingError) -> web.Response:
    """The JSON answer to a request aiohttp's parser refused."""
    if isinstance(error, InvalidURLError):
        response = json_error(400, "bad_parameter", NOT_ASCII)
    elif isinstance(error, LineTooLong) and bytes(error.args[0] or b"").startswith((b"/", b"http")):
        response = json_error(400, "bad_parameter", f"the URL is longer than {error.args[1]} bytes")
    else:
        response = json_error(400, "bad_request", "the request is not valid HTTP/1.1")
    response.force_close()
    return response


class _Connection(RequestHandler):
    """aiohttp's connection, but for the answer to a request its parser refused."""

    def handle_error(self, request: web.BaseRequest, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        """A refused request gets JSON and one line in the log; every other error is aiohttp's to answer."""
        if status != 400 or not isinstance(exc, HttpProcessingError) or request.writer.output_size > 0:
            return super().handle_error(request, status, exc, message)
        log.info("malformed request from %s refused: %s", request.remote, (str(exc.message).splitlines() or [""])[0])
        return malformed_answer(exc)


class _Server(web.Server):
    """aiohttp's server, making :class:`_Connection` connections (what ``web.Server.__call__`` does otherwise)."""

    def __call__(self) -> RequestHandler:
        return _Connection(self, loop=self._loop, **self._kwargs)


class AppRunner(web.AppRunner):
    """aiohttp's app runner whose server answers unparseable requests with JSON; tests serve the app with it too."""

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()  # the app starts here, and aiohttp configures its server
        server.__class__ = _Server  # the same server in every respect but the class of its connections
        return server


class AccessLog(AccessLogger):
    """aiohttp's access log without the line of a webhook delivery that was stored (answered 2xx) — one a chat
    message, each event kept by the inbox with the time it came, and its line (formatted, masked, written) cost
    about a quarter of the delivery's own handling. A refusal (4xx, 503) and every other request are logged as
    before; at DEBUG, the stored deliveries too (as httpx's line a request)."""

    QUIET = frozenset({line_channel.WEBHOOK_PATH, telegram_channel.WEBHOOK_PATH})

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        if response.status < 300 and request.path in self.QUIET and not self.logger.isEnabledFor(logging.DEBUG):
            return
        super().log(request, response, time)


def settle_heap() -> None:
    """Move everything the service built while starting (about 330,000 objects: modules, the catalog, the SDKs'
    models) out of the garbage collector's sight, as CPython's ``gc.freeze`` documents for long-lived processes.

    Without it every full collection walks them all again: 300–580 ms each on this 2-core machine, several of them
    while serving turns, each a stall of every chat at once (``bench/turns.py``'s p99). What is created after
    this is collected as before.
    """
    gc.collect()
    gc.freeze()


async def serve(app: web.Application, host: str, port: int, *, access_log: logging.Logger | None,
                print: Callable[[str], None]) -> None:
    """Serve ``app`` on ``host:port`` until SIGINT or SIGTERM, then stop it (cleanup contexts included): what
    ``web.run_app`` does, with :class:`AppRunner`."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    runner = AppRunner(app, access_log=access_log, access_log_class=AccessLog, shutdown_timeout=SHUTDOWN_TIMEOUT,
                       keepalive_timeout=KEEPALIVE_TIMEOUT)
    await runner.setup()
    settle_heap()  # before the port opens: the collection it takes must not stall the first webhooks
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        print(f"======== Running on {site.name} ========\n(Press CTRL+C to quit)")
        await stopping.wait()
    finally:
        await runner.cleanup()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
