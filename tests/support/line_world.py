"""The real app with its LINE channel pointed at a stand-in Messaging API, the demo seeded, and LINE users."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient

from api.demo import seed_demo
from api.keys import LINE_CHANNEL
from api.line_channel import WEBHOOK_PATH
from api.settings import Settings
from bot.line import LineChannel
from models.api_tokens import issue_token
from models.enums import Role
from models.invites import issue_invite
from models.org import User
from tests.support.app import app_client
from tests.support.clock import SteppingClock
from tests.support.line_standin import LineStandin, line_standin
from tests.support.line_user import LineUser

SECRET = "0123456789abcdef0123456789abcdef"  # a channel secret has 32 hex digits
ACCESS_TOKEN = "stand-in-channel-access-token"


def line_settings(database_url: str, api_base_url: str, public_url: str | None = None) -> Settings:
    """Settings of a service whose only chat channel is LINE, talking to the stand-in."""
    return Settings(database_url=database_url, telegram_bot_token=None, telegram_webhook_url=None,
                    line_channel_secret=SECRET, line_channel_access_token=ACCESS_TOKEN,
                    line_api_base_url=api_base_url, tidtam_public_url=public_url)


@dataclass
class LineWorld:
    """The running app, the stand-in, the clock and the demo people."""

    client: TestClient[Any, Any]
    standin: LineStandin
    clock: SteppingClock
    people: dict[str, User]

    @property
    def channel(self) -> LineChannel:
        """The app's LINE channel."""
        return self.client.app[LINE_CHANNEL]

    def user(self, display_name: str = "", user_id: str | None = None) -> LineUser:
        """A new LINE user (not yet a friend of the official account)."""
        return LineUser(self.standin, secret=SECRET, clock=self.clock, webhook_url=str(self.client.make_url(
            WEBHOOK_PATH)), session=self.client.session, settle=self._settle, user_id=user_id,
            display_name=display_name)

    async def _settle(self, user_id: str, before: int) -> None:
        await self.channel.idle()  # in-process: wait until every accepted event has been handled

    async def linked(self, person: str, display_name: str = "") -> LineUser:
        """A LINE user who followed the account and linked it to a demo person with an invite code."""
        user = self.user(display_name)
        await user.follow()
        _, code = await issue_invite(role=Role.OWNER, user=self.people[person], now=self.clock())
        await user.say(code)
        assert "เชื่อมบัญชีเรียบร้อย" in user.text, user.text
        return user

    async def counts(self) -> dict[str, Any]:
        """The channel's counters, as the HTTP endpoint reports them (to an admin's token)."""
        _, token = await issue_token(role=Role.ADMIN, name="counts")
        response = await self.client.get("/api/v1/channels/line", headers={"Authorization": f"Bearer {token}"})
        assert response.status == 200
        return dict(await response.json())


@asynccontextmanager
async def line_world(database_url: str, *, public_url: str | None = None) -> AsyncIterator[LineWorld]:
    """Start the stand-in and the app (LINE configured), seed the demo, and stop both afterwards."""
    clock = SteppingClock()
    async with line_standin(ACCESS_TOKEN) as standin, \
            app_client(line_settings(database_url, standin.url, public_url), clock=clock) as client:
        people = await seed_demo()
        yield LineWorld(client, standin, clock, people)


async def open_m3_question(user: LineUser, label: str) -> None:
    """From a project's first question to one M3 question: the hub, the review, the section, its edit button."""
    await user.tap("สารบัญ")
    await user.tap("ตรวจทาน")
    await user.tap("M3")
    await user.tap(label)
