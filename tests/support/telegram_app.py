"""The real app with its Telegram channel, talking to the stand-in Bot API: polling or webhook, in this process.

``settle`` waits on conditions, never on time: in polling mode until the bot has asked for the updates after
the one sent (so it has queued it), in webhook mode until the delivery was answered; then until the channel's
queues are empty. ``screen_settle`` serves a bot in another process: it waits for the answer itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from api.app import create_app
from api.demo import seed_demo
from api.settings import Settings
from api.telegram_channel import TELEGRAM, WEBHOOK_PATH
from bot.telegram import TelegramChannel
from models.invites import issue_invite
from models.org import User
from tests.support.app import app_client
from tests.support.clock import SteppingClock
from tests.support.processes import free_port
from tests.support.telegram_standin import TelegramStandin
from tests.support.telegram_user import Settle, TelegramUser, live

SECRET = "webhook-secret_for-tests"
Json = dict[str, Any]


@dataclass
class TelegramRig:
    """The running app, its Telegram channel, the stand-in server and the test clock."""

    standin: TelegramStandin
    client: TestClient[Any, Any]
    channel: TelegramChannel
    clock: SteppingClock
    webhook: bool
    people: dict[str, User] = field(default_factory=dict)

    async def settle(self, update: Json, mark: int) -> None:
        """Wait until the bot has fully answered ``update``."""
        if not self.webhook:
            await self.standin.polled_past(update["update_id"])
        await self.channel.join()

    def user(self, user_id: int = 7001, first_name: str = "สุดา", last_name: str = "ศรีสุข") -> TelegramUser:
        """A Telegram account in this world."""
        return TelegramUser(self.standin, user_id, first_name, last_name, settle=self.settle)

    async def link(self, person: TelegramUser, name: str = "suda") -> TelegramUser:
        """Link the account to a demo person through an invite's deep link, as ``/start CODE`` arrives."""
        user = self.people[name]
        _, code = await issue_invite(role=user.role, user=user, now=self.clock())
        await person.say(f"/start {code}")
        assert "เชื่อมบัญชีเรียบร้อย" in person.text, person.transcript()
        return person


def telegram_settings(database_url: str, standin: TelegramStandin, webhook_url: str | None = None) -> Settings:
    """Settings of a service whose only chat channel is Telegram, at the stand-in."""
    return Settings(database_url=database_url, telegram_bot_token=standin.token,
                    telegram_api_base_url=standin.base_url, telegram_webhook_url=webhook_url,
                    telegram_webhook_secret=SECRET if webhook_url else None,
                    line_channel_secret=None, line_channel_access_token=None)


@asynccontextmanager
async def telegram_app(database_url: str, *, webhook: bool = False, demo: bool = True) -> AsyncIterator[TelegramRig]:
    """Start the stand-in and the app (polling, or webhook on a known port), seed the demo; stop both after."""
    standin = TelegramStandin()
    await standin.start()
    clock = SteppingClock()
    async with AsyncExitStack() as stack:
        stack.push_async_callback(standin.close)
        if webhook:
            port = free_port()
            settings = telegram_settings(database_url, standin, f"http://127.0.0.1:{port}{WEBHOOK_PATH}")
            client: TestClient[Any, Any] = TestClient(TestServer(create_app(settings, clock=clock), host="127.0.0.1",
                                                                 port=port))
            await client.start_server()
            stack.push_async_callback(client.close)
            await standin.wait_for(lambda: standin.webhook is not None)
        else:
            client = await stack.enter_async_context(app_client(telegram_settings(database_url, standin), clock=clock))
            await standin.wait_for(lambda: bool(standin.called("getUpdates")))
        rig = TelegramRig(standin, client, client.app[TELEGRAM], clock, webhook)
        if demo:
            rig.people = await seed_demo()
        yield rig


def screen_settle(standin: TelegramStandin) -> Settle:
    """For a bot in another process: an update is answered when a question shows (sent or redrawn) after it.

    A press must also have been acknowledged — which the bot does first, so that alone says nothing of the turn.
    """

    async def settle(update: Json, mark: int) -> None:
        query = update.get("callback_query")
        chat_id = (query["message"] if query is not None else update["message"])["chat"]["id"]

        def question_shown() -> bool:
            shown = set(standin.sent_since(mark, chat_id)) | set(standin.edited_since(mark, chat_id))
            return any(message["message_id"] in shown and live(message) for message in standin.messages(chat_id))

        await standin.wait_for(lambda: (query is None or query["id"] in standin.answered) and question_shown())

    return settle


def assert_within_limits(standin: TelegramStandin) -> None:
    """Every message the bot sent fits Telegram's limits, and every button press it got was answered."""
    for call in standin.calls:
        text = call.params.get("text") or call.params.get("caption") or ""
        assert len(text.encode("utf-16-le")) // 2 <= 4096, call.method
        markup = call.params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                assert 1 <= len(button["callback_data"].encode()) <= 64, button
    unanswered = set(standin.pressed) - set(standin.answered)
    assert not unanswered, f"button presses never answered: {sorted(unanswered)}"
