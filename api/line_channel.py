"""Wiring of the LINE channel into the app: its SDK client and background work as one cleanup context,
the signed webhook ``POST /webhook/line`` and the delivery counters ``GET /api/v1/channels/line`` (admins' tokens).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from aiohttp import web
from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, AsyncMessagingApiBlob, Configuration

from api import files
from api.data_api import admin_only, authenticated
from api.errors import json_error
from api.keys import CLOCK, INBOX, LINE_CHANNEL, SERVICE, SETTINGS
from bot.line import InvalidSignature, LineChannel, MalformedWebhook
from bot.line_delivery import LineSender
from bot.line_menus import RichMenus
from conversations.service import accounts
from models.enums import Platform

WEBHOOK_PATH = "/webhook/line"
COUNTS_PATH = "/api/v1/channels/line"
SIGNATURE_HEADER = "X-Line-Signature"


def install(app: web.Application) -> None:
    """Attach the LINE webhook and its counters when channel credentials are configured."""
    settings = app[SETTINGS]
    if settings.line_channel_secret is None or settings.line_channel_access_token is None:
        return
    host = settings.line_api_base_url.rstrip("/") if settings.line_api_base_url else None
    app.cleanup_ctx.append(_line(settings.line_channel_secret.get_secret_value(),
                                 settings.line_channel_access_token.get_secret_value(), host,
                                 settings.tidtam_line_rate))
    app.router.add_post(WEBHOOK_PATH, webhook)
    app.router.add_get(COUNTS_PATH, authenticated(admin_only(counts)))


def _line(secret: str, access_token: str, host: str | None, rate: float
          ) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(app: web.Application) -> AsyncIterator[None]:
        """The SDK client (LINE's hosts, or ``host`` for both API and content), the channel on it, and its rich
        menus (set up in the background).

        The client closes after the inbox worker stopped (its cleanup runs first), so events in progress finish.
        """
        client = AsyncApiClient(Configuration(access_token=access_token, host=host))
        sender = LineSender(AsyncMessagingApi(client), AsyncMessagingApiBlob(client), clock=app[CLOCK], rate=rate)
        public = app[SETTINGS].tidtam_public_url
        menus = RichMenus(AsyncMessagingApi(client), AsyncMessagingApiBlob(client), clock=app[CLOCK])
        channel = LineChannel(secret=secret, service=app[SERVICE], worker=app[INBOX], sender=sender,
                              deactivate=deactivate, publish=files.publisher(public, app[CLOCK]) if public else None,
                              menus=menus)
        app[LINE_CHANNEL] = channel
        menus.start()  # in the background; LINE refusing is logged, never stops the service
        try:
            yield
        finally:
            await menus.stop()
            await client.close()

    return context


async def deactivate(user_id: str) -> None:
    """The user blocked or unfollowed the official account: their chat account becomes inactive."""
    await accounts.deactivate(Platform.LINE, user_id)


async def webhook(request: web.Request) -> web.Response:
    """Verify the signature before anything else, store the events in the inbox, and answer once they are.

    ``{"status": "ok"}`` once every event is stored (its turn runs after), 503 when they could not be stored in
    time (the database is away, or the service is stopping), so that LINE delivers them again; a copy that was
    stored after all is then dropped as a duplicate.
    """
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not signature:
        return json_error(400, "missing_signature", f"the {SIGNATURE_HEADER} header is required")
    channel = request.app[LINE_CHANNEL]
    body = await request.read()
    try:
        events = channel.parse(body, signature)
    except InvalidSignature:
        return json_error(400, "bad_signature", "the signature does not match the body")
    except MalformedWebhook:
        return json_error(400, "malformed_body", "the body is not a LINE webhook payload")
    if not await channel.accept(events):  # the events as they came, stored as they are
        return json_error(503, "not_stored", "the events could not be stored now; LINE will redeliver")
    return web.json_response({"status": "ok"})


async def counts(request: web.Request) -> web.Response:
    """What this process received from and sent to LINE since it started (pushes cost quota); admins only."""
    channel = request.app[LINE_CHANNEL]
    return web.json_response({"channel": "line", "since": channel.started_at.isoformat(),
                              **channel.stats.as_dict()})
