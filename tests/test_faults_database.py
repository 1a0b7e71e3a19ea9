"""The database away, with the real app, both SDKs and both stand-ins: nothing acknowledged is lost.

PostgreSQL goes away for real behind a TCP forwarder the test controls: its connections are reset, then for
``TIDTAM_TEST_OUTAGE_SECONDS`` (default 8; the issue's scenario is 90) new connections open and nothing answers.
On SQLite another connection holds the file's write lock for as long. Twenty LINE and Telegram events come in
around it: some just before (stored, their turns cut off), the rest during it. Every event answered 200 is stored
and handled exactly once after the database returns, and its answer arrives; every event answered 503 was not
stored, and is delivered again by the test as the platforms do, then handled once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from api.app import create_app
from api.demo import seed_demo
from api.keys import INBOX
from api.settings import Settings
from api.telegram_channel import WEBHOOK_PATH as TELEGRAM_PATH
from models.db import is_postgres
from models.enums import InboxStatus, Platform, Role
from models.inbox import InboxEvent
from models.org import ChatAccount, Office, User
from models.runtime import ConversationSession
from tests.support.clock import SteppingClock
from tests.support.faults import line_owners, sqlite_locked, tcp_cut
from tests.support.line_standin import LineStandin, line_standin
from tests.support.line_user import LineUser
from tests.support.line_world import ACCESS_TOKEN
from tests.support.line_world import SECRET as LINE_SECRET
from tests.support.processes import free_port
from tests.support.telegram_app import SECRET as TELEGRAM_SECRET
from tests.support.telegram_standin import SECRET_HEADER, TelegramStandin

OUTAGE_SECONDS = float(os.environ.get("TIDTAM_TEST_OUTAGE_SECONDS", "8"))
PER_PLATFORM = 10
BEFORE = 2  # events per platform posted just before the outage begins
NAME = "โครงการช่วงฐานข้อมูลล่ม"
Json = dict[str, Any]


@dataclass
class Poster:
    """One person on one platform: posts their event as the platform would, and reads what the bot said."""

    platform: Platform
    post: Callable[[Json], Awaitable[int]]
    said: Callable[[], list[str]]
    event: Json
    ref: str

    @property
    def event_id(self) -> str:
        """The platform's id of the event, as the inbox keys it."""
        return str(self.event["webhookEventId"] if self.platform is Platform.LINE else self.event["update_id"])


@dataclass
class Both:
    """The app with LINE and Telegram (webhook) configured, at their stand-ins."""

    client: TestClient[Any, Any]
    line: LineStandin
    telegram: TelegramStandin

    async def idle(self) -> None:
        """Every stored event handled and answered."""
        async with asyncio.timeout(120):
            await self.client.app[INBOX].idle()


@asynccontextmanager
async def both_platforms(database_url: str) -> AsyncIterator[Both]:
    """Start both stand-ins and the app between them, seed the demo; stop everything after."""
    telegram = TelegramStandin()
    await telegram.start()
    async with AsyncExitStack() as stack:
        stack.push_async_callback(telegram.close)
        line = await stack.enter_async_context(line_standin(ACCESS_TOKEN))
        port = free_port()
        settings = Settings(database_url=database_url, line_channel_secret=LINE_SECRET,
                            line_channel_access_token=ACCESS_TOKEN, line_api_base_url=line.url,
                            telegram_bot_token=telegram.token, telegram_api_base_url=telegram.base_url,
                            telegram_webhook_url=f"http://127.0.0.1:{port}{TELEGRAM_PATH}",
                            telegram_webhook_secret=TELEGRAM_SECRET, tidtam_reminders=False)
        client: TestClient[Any, Any] = TestClient(TestServer(create_app(settings, clock=SteppingClock()),
                                                             host="127.0.0.1", port=port))
        await client.start_server()
        stack.push_async_callback(client.close)
        await telegram.wait_for(lambda: telegram.webhook is not None)
        await seed_demo()
        yield Both(client, line, telegram)


async def posters(world: Both, session: aiohttp.ClientSession) -> list[Poster]:
    """Ten linked owners on each platform, each at the question of a new project's name, and their answers."""
    office = await Office.get(code="CMI1")
    people: list[Poster] = []
    line_url = str(world.client.make_url("/webhook/line"))

    async def nothing(user_id: str, before: int) -> None:
        return None

    for number, (line_id, _) in enumerate(await line_owners(office, PER_PLATFORM)):
        user = LineUser(world.line, secret=LINE_SECRET, clock=SteppingClock(), webhook_url=line_url,
                        session=session, settle=nothing, user_id=line_id)
        await user.post(user.body(user.event("message", message={"type": "text", "id": "0", "quoteToken": "q",
                                                                  "text": "/new"})))
        event = user.event("message", message={"type": "text", "id": "1", "quoteToken": "q",
                                               "text": f"{NAME} LINE {number}"})
        people.append(Poster(Platform.LINE, lambda event, user=user: user.post(user.body(event)),
                             lambda user=user: _line_texts(world.line, user.user_id), event, line_id))
    url, secret = world.telegram.webhook or ("", "")
    for number in range(PER_PLATFORM):
        chat_id = 9100 + number
        person = await User.create(name=f"ครูเทเลแกรม {number}", role=Role.OWNER, office=office)
        await ChatAccount.create(platform=Platform.TELEGRAM, external_id=str(chat_id), user=person)
        sender = {"id": chat_id, "is_bot": False, "first_name": "ครู"}
        chat = {"id": chat_id, "type": "private", "first_name": "ครู"}

        def update(text: str, chat: Json = chat, sender: Json = sender) -> Json:
            return {"update_id": world.telegram.next_update_id(),
                    "message": world.telegram.user_message(chat, sender, text=text)}

        async def deliver(body: Json) -> int:
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with session.post(url, json=body, headers={SECRET_HEADER: secret},
                                        timeout=aiohttp.ClientTimeout(total=30)) as response:
                    return response.status
            return 0

        await deliver(update("/new"))
        people.append(Poster(Platform.TELEGRAM, deliver,
                             lambda chat_id=chat_id: [call.params["text"] for call in
                                                      world.telegram.called("sendMessage", chat_id=chat_id)],
                             update(f"{NAME} Telegram {number}"), str(chat_id)))
    await world.idle()
    return people


def _line_texts(standin: LineStandin, user_id: str) -> list[str]:
    return [message.get("text", "") for delivery in standin.deliveries_to(user_id) for message in delivery.messages]


async def the_outage_loses_nothing(world: Both, outage: AbstractAsyncContextManager[None]) -> None:
    """Post around the outage, deliver again what was refused, and check every answer was handled once."""
    async with aiohttp.ClientSession() as session:
        people = await posters(world, session)
        first = [person for platform in Platform for person in
                 [p for p in people if p.platform is platform][:BEFORE]]
        rest = [person for person in people if person not in first]
        statuses: dict[str, int] = {}
        world.line.hold("reply", "push")  # the LINE ones are still answering when the outage begins
        for person in first:  # stored; their turns run into the outage
            statuses[person.ref] = await person.post(person.event)
        await asyncio.wait_for(world.line.holding.wait(), 30)
        async with outage:
            world.line.release()
            during = await asyncio.gather(*(person.post(person.event) for person in rest))
            statuses |= {person.ref: status for person, status in zip(rest, during, strict=True)}
            await asyncio.sleep(OUTAGE_SECONDS)
        stored = set(await InboxEvent.all().values_list("chat_ref", "event_id"))
        for person in people:
            assert statuses[person.ref] in (200, 503), statuses
            if statuses[person.ref] == 200:  # acknowledged: it must be in the inbox
                assert (person.ref, person.event_id) in stored, person.ref
        assert sum(status == 503 for status in statuses.values()) >= len(rest) // 2  # the outage was real
        for person in people:  # the platforms deliver again what was refused
            if statuses[person.ref] != 200:
                again = person.event | ({"deliveryContext": {"isRedelivery": True}}
                                        if person.platform is Platform.LINE else {})
                for _ in range(40):
                    if await person.post(again) == 200:
                        break
                    await asyncio.sleep(0.5)
                else:
                    raise AssertionError(f"{person.ref}: refused 40 times after the outage")
        await world.idle()
        for person in people:
            name = _name_of(person.event)
            acks = [text for text in person.said() if f"รับทราบ: {name}" in text]
            assert len(acks) == 1, (person.ref, person.said()[-3:])  # answered, once
            session_state = await ConversationSession.get(chat_account__platform=person.platform,
                                                          chat_account__external_id=person.ref)
            assert name in json.dumps(session_state.state, ensure_ascii=False)
        assert set(await InboxEvent.all().values_list("status", flat=True)) == {InboxStatus.DONE}
        assert await InboxEvent.all().count() == 2 * len(people)  # "/new" and the name, each stored once


def _name_of(event: Json) -> str:
    message = event["message"]
    return str(message["text"])


@pytest.fixture
def postgres_url(empty_database_url: str) -> str:
    """The test database, when it is PostgreSQL."""
    if not is_postgres(empty_database_url):
        pytest.skip("a database server to cut off needs PostgreSQL (DATABASE_URL)")
    return empty_database_url


@pytest.fixture
def sqlite_url(empty_database_url: str) -> str:
    """The test database, when it is SQLite."""
    if is_postgres(empty_database_url):
        pytest.skip("the file lock is SQLite's")
    return empty_database_url


async def test_events_around_a_postgres_that_resets_and_then_hangs_are_each_handled_once(postgres_url: str) -> None:
    async with tcp_cut(postgres_url) as link, both_platforms(link.url_through(postgres_url)) as world:

        @asynccontextmanager
        async def hanging() -> AsyncIterator[None]:
            link.hang()  # connections reset; new ones open and hear nothing
            try:
                yield
            finally:
                link.restore()

        await the_outage_loses_nothing(world, hanging())


async def test_events_around_a_locked_sqlite_file_are_each_handled_once(sqlite_url: str) -> None:
    async with both_platforms(sqlite_url) as world:

        @asynccontextmanager
        async def locked() -> AsyncIterator[None]:
            async with sqlite_locked(sqlite_url):  # a stuck writer (or a backup) holds the file
                yield

        await the_outage_loses_nothing(world, locked())
