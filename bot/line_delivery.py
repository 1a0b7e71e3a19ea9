"""Everything the LINE channel asks of LINE, through line-bot-sdk's async client: the only I/O of the adapter.

Delivery answers with the event's reply token (free, single use, about a minute). When the token cannot be
used — a redelivered event, a turn that ran past :data:`~bot.line_limits.REPLY_WINDOW`, or LINE answering
"Invalid reply token" — it pushes instead (pushes cost message quota, so they are counted). Every logical
push carries its own ``X-Line-Retry-Key``, reused on each retry of that push, so a push that LINE accepted
but whose answer was lost is not delivered twice (LINE answers the retry with 409). 429 and 5xx answers and
network failures are retried with exponential backoff.

A 400 other than a spent reply token means LINE refused the messages themselves (a Flex it will not draw, an
action it rejects): nothing was delivered. Given the same turn as plain text (``fallback``, made by
:func:`bot.line_render.render_plain`), delivery sends that instead — by reply while the token is unused (a refused
request does not spend it), else by push — and logs LINE's error, so a refused answer is never silence.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

import aiohttp
from aiolimiter import AsyncLimiter
from linebot.v3.messaging import ApiException, ShowLoadingAnimationRequest

from bot.line_api import MULTICAST_PATH, PUSH_PATH, REPLY_PATH, LineJson
from bot.line_limits import (
    LOADING_SECONDS_MAX,
    LOADING_SECONDS_MIN,
    LOADING_SECONDS_STEP,
    MAX_MESSAGES_PER_REQUEST,
    MAX_MULTICAST_RECIPIENTS,
    REPLY_WINDOW,
)
from models.clock import Clock

log = logging.getLogger(__name__)
T = TypeVar("T")
Message = dict[str, Any]
SPENT_TOKEN = "invalid reply token"  # LINE's 400 message for a used or expired reply token
ACCEPTED_BEFORE = 409  # a retry of a request LINE already accepted under the same retry key
RETRY_AFTER = "Retry-After"
BAD_REQUEST = 400
REASON_DETAILS, REASON_LENGTH = 3, 300  # how much of LINE's error a log line keeps
DEFAULT_MIME = "application/octet-stream"


class DeliveryError(Exception):
    """LINE refused a message for good (``permanent``), or kept failing: nothing was delivered."""

    @property
    def permanent(self) -> bool:
        """Whether LINE refused the request itself (a 4xx other than 429): sending it again would not help."""
        cause = self.__cause__
        return isinstance(cause, ApiException) and cause.status is not None and 400 <= cause.status < 500 \
            and cause.status != 429


class MessagesRefused(DeliveryError):
    """LINE answered 400 (not a spent reply token): it refused what the request carried, and delivered none of it."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(f"LINE refused the {what}: {reason}")
        self.reason = reason  # LINE's status, message and first details, short enough for a log line


@dataclass(slots=True)
class LineStats:
    """What this process sent to LINE since it started; pushes and multicast recipients cost quota."""

    webhooks: int = 0
    events: int = 0
    replies: int = 0
    reply_messages: int = 0
    reply_fallbacks: int = 0  # replies that became pushes (token spent, expired, or the turn was slow)
    plain_fallbacks: int = 0  # turns sent again as plain text after LINE refused them (400)
    pushes: int = 0
    push_messages: int = 0
    push_retries: int = 0
    multicasts: int = 0
    multicast_recipients: int = 0
    loading: int = 0
    failures: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counters as JSON-ready numbers."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try: attempts per request, the first backoff (doubled each time) and its cap, timeouts."""

    attempts: int = 4
    backoff: float = 1.0
    backoff_cap: float = 30.0
    timeout: float = 20.0
    download_timeout: float = 60.0
    profile_timeout: float = 1.5  # a display name is a nicety: never wait longer for it

    def delay(self, attempt: int, headers: Any = None) -> float:
        """Seconds to wait before retry number ``attempt``: LINE's Retry-After when given, else backoff."""
        hinted = headers.get(RETRY_AFTER) if headers is not None else None
        if hinted is not None:
            try:
                return min(max(float(hinted), 0.0), self.backoff_cap)
            except ValueError:
                pass
        return min(self.backoff * 2.0 ** (attempt - 1), self.backoff_cap)


def _retryable(error: BaseException) -> bool:
    if isinstance(error, ApiException):
        return error.status == 429 or (error.status is not None and error.status >= 500)
    return isinstance(error, aiohttp.ClientError | TimeoutError)


def _spent_token(error: ApiException) -> bool:
    return error.status == 400 and SPENT_TOKEN in str(error.body or "").lower()


class LineSender:
    """Reply, push, multicast, loading animation, profile and content download, with retries and counts."""

    def __init__(self, api: Any, blob: Any, *, clock: Clock, stats: LineStats | None = None,
                 policy: RetryPolicy | None = None, reply_window: timedelta = REPLY_WINDOW,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, rate: float | None = None) -> None:
        self.api = api
        self.json = LineJson(api)  # reply, push and multicast: our dicts as they are, not the SDK's models
        self.blob = blob
        self.clock = clock
        self.stats = stats or LineStats()
        self.policy = policy or RetryPolicy()
        self.reply_window = reply_window
        self.sleep = sleep
        # pushes and multicasts a second (replies are free and not limited); None: as fast as LINE answers
        self.limiter = AsyncLimiter(rate, 1) if rate else None

    async def deliver(self, user_id: str, messages: Sequence[Message], *, reply_token: str | None,
                      occurred_at: datetime, redelivery: bool = False, retry_key: str | None = None,
                      fallback: Sequence[Message] = ()) -> str:
        """Send one turn's messages (at most five): by reply when the token is usable, else by push.

        Args:
            user_id: the LINE user.
            messages: the turn, rendered.
            reply_token: the event's token, if it came with one.
            occurred_at: when the event happened (a token is not tried past the reply window).
            redelivery: LINE delivered the event again, so its token may be spent.
            retry_key: names the turn: its pushes carry retry keys derived from it, so that sending the same
                turn again (after a crash) is delivered once.
            fallback: the same turn as plain text (``render_plain``), sent instead when LINE refuses
                ``messages`` with a 400: by reply while the token is unused, else by push.

        Returns ``"reply"``, ``"push"`` or ``"none"`` (nothing to send).

        Raises:
            DeliveryError: nothing could be delivered (:class:`MessagesRefused` when LINE refused what was sent
                and there was no fallback, or the fallback was refused too).
        """
        if not messages:
            return "none"
        fresh = self.clock() - occurred_at < self.reply_window
        if reply_token and not redelivery and fresh:
            try:
                if await self._reply(reply_token, messages):
                    return "reply"
            except MessagesRefused as refused:
                if not fallback:
                    raise
                self._refused("reply", user_id, refused)
                if await self._reply(reply_token, fallback):
                    return "reply"
                messages, fallback = fallback, ()
        if reply_token:
            self.stats.reply_fallbacks += 1
        await self.push(user_id, messages, retry_key=retry_key, fallback=fallback)
        return "push"

    async def push(self, user_id: str, messages: Sequence[Message], *, retry_key: str | None = None,
                   fallback: Sequence[Message] = ()) -> None:
        """Push messages to one user, five per request, each request with its own retry key (derived from
        ``retry_key`` when given, so that pushing the same again is delivered once).

        With a ``fallback`` (the same messages as plain text), a request LINE refuses with a 400 is followed by
        the fallback, pushed in place of what was not yet delivered.
        """
        for start in range(0, len(messages), MAX_MESSAGES_PER_REQUEST):
            batch = list(messages[start:start + MAX_MESSAGES_PER_REQUEST])
            key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{retry_key}/{start}")) if retry_key else None
            try:
                await self._keyed(PUSH_PATH, {"to": user_id, "messages": batch}, "push", key)
            except MessagesRefused as refused:
                if not fallback:
                    raise
                self._refused("push", user_id, refused)
                await self.push(user_id, fallback, retry_key=f"{retry_key}/plain" if retry_key else None)
                return
            self.stats.pushes += 1
            self.stats.push_messages += len(batch)

    async def multicast(self, user_ids: Sequence[str], messages: Sequence[Message]) -> None:
        """The same messages to many users, 500 per request, each request with its own retry key."""
        recipients = list(dict.fromkeys(user_ids))
        for start in range(0, len(recipients), MAX_MULTICAST_RECIPIENTS):
            group = recipients[start:start + MAX_MULTICAST_RECIPIENTS]
            for first in range(0, len(messages), MAX_MESSAGES_PER_REQUEST):
                batch = list(messages[first:first + MAX_MESSAGES_PER_REQUEST])
                await self._keyed(MULTICAST_PATH, {"to": group, "messages": batch}, "multicast")
                self.stats.multicasts += 1
                self.stats.multicast_recipients += len(group)

    async def show_loading(self, user_id: str, seconds: int) -> None:
        """Show the "typing" animation in the user's chat until our next message (best effort)."""
        seconds = min(max(seconds, LOADING_SECONDS_MIN), LOADING_SECONDS_MAX)
        seconds -= seconds % LOADING_SECONDS_STEP
        request = ShowLoadingAnimationRequest(chat_id=user_id, loading_seconds=seconds)
        try:
            await self.api.show_loading_animation(request, _request_timeout=self.policy.timeout)
        except (ApiException, aiohttp.ClientError, TimeoutError) as error:
            log.info("LINE loading animation for %s not shown: %s", user_id, _brief(error))
            return
        self.stats.loading += 1

    async def display_name(self, user_id: str) -> str:
        """The user's LINE display name, or "" when LINE does not answer quickly (it is only a nicety)."""
        patience = self.policy.profile_timeout
        try:
            profile = await asyncio.wait_for(self.api.get_profile(user_id, _request_timeout=patience), patience)
        except (ApiException, aiohttp.ClientError, TimeoutError) as error:
            log.info("LINE profile of %s not read: %s", user_id, _brief(error))
            return ""
        return str(profile.display_name or "")

    async def download(self, message_id: str) -> tuple[bytes, str]:
        """The content of an image or file the user sent, with its MIME type."""
        response = await self._retried(lambda: self.blob.get_message_content_with_http_info(
            message_id, _request_timeout=self.policy.download_timeout), "download")
        mime = str(response.headers.get("Content-Type", DEFAULT_MIME)).split(";", 1)[0].strip()
        return bytes(response.data or b""), mime or DEFAULT_MIME

    async def _reply(self, token: str, messages: Sequence[Message]) -> bool:
        """Reply with the token; False when it cannot be used (spent, expired, LINE unreachable)."""
        body = {"replyToken": token, "messages": list(messages)}
        try:
            await self._retried(lambda: self.json.post(REPLY_PATH, body, request_timeout=self.policy.timeout),
                                "reply")
        except ApiException as error:
            if _spent_token(error) or _retryable(error):
                log.info("LINE reply token not usable (%s): pushing instead", _brief(error))
                return False
            raise _refusal("reply", error) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            log.info("LINE reply failed (%s): pushing instead", _brief(error))
            return False
        self.stats.replies += 1
        self.stats.reply_messages += len(messages)
        return True

    async def _keyed(self, path: str, body: dict[str, Any], what: str, key: str | None = None) -> None:
        """One logical request under one retry key (``key``, or a new one), however many attempts it takes."""
        key = key or str(uuid.uuid4())
        if self.limiter is not None:
            await self.limiter.acquire()
        try:
            await self._retried(
                lambda: self.json.post(path, body, retry_key=key, request_timeout=self.policy.timeout), what)
        except ApiException as error:
            if error.status == ACCEPTED_BEFORE:
                log.info("LINE %s %s was accepted by an earlier attempt", what, key)
                return
            raise _refusal(what, error) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"LINE {what} failed: {_brief(error)}") from error

    def _refused(self, what: str, user_id: str, refused: MessagesRefused) -> None:
        """Log LINE's refusal of a turn's messages and count the plain-text version about to replace them."""
        self.stats.plain_fallbacks += 1
        log.warning("LINE refused the %s to %s (%s): sending it as plain text", what, user_id, refused.reason)

    async def _retried(self, call: Callable[[], Awaitable[T]], what: str) -> T:
        for attempt in range(1, self.policy.attempts + 1):
            try:
                return await call()
            except (ApiException, aiohttp.ClientError, TimeoutError) as error:
                if attempt == self.policy.attempts or not _retryable(error):
                    raise
                headers = error.headers if isinstance(error, ApiException) else None
                delay = self.policy.delay(attempt, headers)
                log.info("LINE %s failed (%s), retry %d in %.1fs", what, _brief(error), attempt, delay)
                if what in ("push", "multicast"):
                    self.stats.push_retries += 1
                await self.sleep(delay)
        raise AssertionError("unreachable")


def _brief(error: BaseException) -> str:
    if isinstance(error, ApiException):
        return f"{error.status} {str(error.body or error.reason or '')[:200]}"
    return f"{type(error).__name__}: {error}"[:200]


def _refusal(what: str, error: ApiException) -> DeliveryError:
    """The error for an answer LINE gave for good: :class:`MessagesRefused` for a 400, with LINE's reason."""
    if error.status != BAD_REQUEST:
        return DeliveryError(f"LINE refused the {what}: {_brief(error)}")
    return MessagesRefused(what, _reason(error))


def _reason(error: ApiException) -> str:
    """LINE's error in a line: its status, message and the first details (which name properties, not content)."""
    body = error.body.decode("utf-8", "replace") if isinstance(error.body, bytes) else str(error.body or "")
    try:
        payload = json.loads(body)
    except ValueError:
        return _brief(error)
    if not isinstance(payload, dict):
        return _brief(error)
    details = [detail for detail in payload.get("details") or [] if isinstance(detail, dict)][:REASON_DETAILS]
    parts = [str(payload.get("message", error.reason or ""))]
    parts += [": ".join(str(detail[key]) for key in ("property", "message") if detail.get(key)) for detail in details]
    return f"{error.status} {'; '.join(part for part in parts if part)}"[:REASON_LENGTH]
