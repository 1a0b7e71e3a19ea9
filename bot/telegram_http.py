"""python-telegram-bot's HTTP requests made with aiohttp instead of httpx.

A Bot API call through httpx cost about 0.7 ms of CPU here against 0.13 ms through aiohttp for the same POST to
a local server, and it was most of what a Telegram turn spends outside its transaction (issue 20's profile:
httpx's ``request`` was 90 % of ``Bot._post``). The service already runs on aiohttp. Only the transport changes:
python-telegram-bot still encodes the parameters, reads the answer and maps Telegram's errors
(:class:`telegram.request.BaseRequest` does both around :meth:`AiohttpRequest.do_request`); a request that could
not be made raises :class:`~telegram.error.TimedOut` or :class:`~telegram.error.NetworkError` as with httpx, which
the sender retries.
"""

from __future__ import annotations

import logging

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = 5.0  # seconds, as python-telegram-bot's HTTPXRequest
POOL_TIMEOUT = 1.0
MEDIA_WRITE_TIMEOUT = 20.0


def _seconds(value: object, default: float | None) -> float | None:
    """A timeout given to a request, or the default when python-telegram-bot passed its "not given" marker."""
    return default if value is BaseRequest.DEFAULT_NONE or not isinstance(value, (int, float)) else float(value)


class AiohttpRequest(BaseRequest):
    """One aiohttp session with at most ``connections`` connections, opened by :meth:`initialize`."""

    def __init__(self, *, connections: int, read_timeout: float | None) -> None:
        self.connections = connections
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """Seconds to wait for Telegram's answer when a call names none."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again, after :meth:`shutdown`)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.connections),
                headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make the request; Telegram's status and body (python-telegram-bot reads them)."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        connect = _seconds(connect_timeout, CONNECT_TIMEOUT)
        pool = _seconds(pool_timeout, POOL_TIMEOUT)
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=connect, sock_read=_seconds(read_timeout, self._read_timeout),
            connect=None if connect is None or pool is None else connect + pool)
        try:
            async with self._session.request(method, url, data=_body(request_data), timeout=timeout) as response:
                body = await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
        # as httpx logged it (at DEBUG: the URL carries the bot token, which the log filter masks)
        log.debug("HTTP Request: %s %s %d", method, url, response.status)
        return response.status, body


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """The parameters as a form (what python-telegram-bot sends with httpx too), multipart when files go along."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData(quote_fields=False)  # a Thai file name as it is, as httpx sends it
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
