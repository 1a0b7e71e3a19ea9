"""Wiring of the Telegram channel into the app: the bot's lifetime, polling or the webhook route.

With ``TELEGRAM_BOT_TOKEN`` set, the bot starts with the app. Without ``TELEGRAM_WEBHOOK_URL`` it long-polls
getUpdates in a background task; with it, it registers the webhook (with ``TELEGRAM_WEBHOOK_SECRET``) and
``POST /webhook/telegram`` takes deliveries: checked, stored in the inbox and answered 200 once stored (the turn
runs after), 503 when it could not be stored in time, so that Telegram delivers it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from api.keys import CLOCK, INBOX, SERVICE, SETTINGS
from bot.telegram import TelegramChannel
from bot.telegram_limits import WEBHOOK_SECRET_HEADER
from bot.telegram_send import build_bot
from bot.telegram_webhook import Signature, check_secret, read_update, reply_with
from models.fiscal import local_day

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/webhook/telegram"
TELEGRAM = web.AppKey("telegram_channel", TelegramChannel)
TELEGRAM_TASK: web.AppKey[asyncio.Task[None]] = web.AppKey("telegram_task")


def install(app: web.Application) -> None:
    """Attach the Telegram channel (polling or webhook) when a bot token is configured."""
    settings = app[SETTINGS]
    if not settings.telegram_enabled:
        return
    app.cleanup_ctx.append(_telegram)
    if settings.telegram_webhook_url:
        app.router.add_post(WEBHOOK_PATH, webhook)


async def _telegram(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    assert settings.telegram_bot_token is not None  # install() checked
    token = settings.telegram_bot_token.get_secret_value()  # masked in the logs: see api/log_setup.py
    bot = build_bot(token, settings.telegram_api_base_url, rate=settings.tidtam_telegram_rate)
    clock = app[CLOCK]
    channel = TelegramChannel(bot, app[SERVICE], app[INBOX], today=lambda: local_day(clock()))
    app[TELEGRAM] = channel
    if settings.telegram_webhook_url and settings.telegram_webhook_secret:
        runner = channel.run_webhook(settings.telegram_webhook_url, settings.telegram_webhook_secret.get_secret_value())
        log.info("telegram: webhook mode, deliveries at %s", WEBHOOK_PATH)
    else:
        runner = channel.run_polling()
        log.info("telegram: long polling")
    task = asyncio.create_task(runner, name="telegram-channel")
    task.add_done_callback(_stopped)
    app[TELEGRAM_TASK] = task
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await bot.shutdown()


def _stopped(task: asyncio.Task[None]) -> None:
    """The channel's task retries every failure itself; should anything escape it, say so loudly."""
    if not task.cancelled() and task.exception() is not None:
        log.error("telegram channel stopped", exc_info=task.exception())


async def webhook(request: web.Request) -> web.Response:
    """A delivery from Telegram: 401 unsigned, 403 wrongly signed, 400 unreadable, else stored in the inbox and
    answered 200 once it is (its turn runs after), 503 when it could not be stored in time (the database is away,
    or the service is stopping): Telegram delivers it again, and a copy stored after all is dropped then.
    """
    secret = request.app[SETTINGS].telegram_webhook_secret
    signature = check_secret(request.headers.get(WEBHOOK_SECRET_HEADER),
                             secret.get_secret_value() if secret else "")
    if signature is not Signature.VALID:
        log.warning("telegram webhook: %s signature from %s refused", signature, request.remote)
        return web.Response(status=401 if signature is Signature.MISSING else 403)
    channel = request.app[TELEGRAM]
    read = read_update(await request.read(), channel.bot)
    if read is None:
        return web.Response(status=400)
    update, payload = read
    if not await channel.accept([update], [payload]):
        return web.Response(status=503)
    reply = reply_with(update)  # a press is acknowledged in the answer: one Bot API call less a press
    return web.json_response(reply) if reply is not None else web.Response(status=200)
