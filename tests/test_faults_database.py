"""The database away for a moment, with the real app, SDKs and stand-ins: a turn that cannot be stored is
rolled back whole and its webhook answered 503 so that the platform delivers it again, which is then processed
once. PostgreSQL goes away for real (a TCP forwarder between the app and the server is cut); on SQLite another
connection holds the file's write lock.
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from models.db import is_postgres
from models.enums import Platform
from models.org import Office
from models.project import Project
from models.runtime import ConversationSession, ProcessedEvent
from tests.support.faults import line_owners, sqlite_locked, tcp_cut
from tests.support.line_user import LineUser
from tests.support.line_world import line_world
from tests.support.telegram_app import telegram_app
from tests.support.telegram_standin import SECRET_HEADER
from tests.test_faults_webhooks import NAME_PROMPT, _telegram_users

SORRY = "ขออภัยค่ะ ระบบบันทึกข้อมูลไม่ได้ชั่วคราว"
NAME = "โครงการที่ส่งตอนฐานข้อมูลล่ม"


def _text(user: LineUser, text: str) -> dict[str, object]:
    return user.event("message", message={"type": "text", "id": "1", "quoteToken": "q", "text": text})


async def _session_text(platform: Platform, external_id: str) -> str:
    session = await ConversationSession.get(chat_account__platform=platform, chat_account__external_id=external_id)
    return json.dumps(session.state, ensure_ascii=False)


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


async def test_line_webhook_is_answered_503_while_postgres_is_cut_off_then_the_redelivery_is_processed_once(
        postgres_url: str) -> None:
    async with tcp_cut(postgres_url) as link, line_world(link.url_through(postgres_url)) as world:
        [(line_id, _)] = await line_owners(await Office.get(code="CMI1"), 1)
        user = world.user(user_id=line_id)
        await user.send(_text(user, "/new"))
        assert NAME_PROMPT in user.text
        event = _text(user, NAME)
        link.cut()
        assert await user.post(user.body(event)) == 503  # LINE will deliver it again
        await world.channel.idle()
        link.restore()
        assert await ProcessedEvent.filter(platform=Platform.LINE).count() == 1  # only "/new": nothing half-written
        assert NAME not in await _session_text(Platform.LINE, line_id)
        redelivered = event | {"deliveryContext": {"isRedelivery": True}}
        await user.send(redelivered)
        assert f"รับทราบ: {NAME}" in user.text
        assert await user.post(user.body(redelivered)) == 200  # and once only
        await world.channel.idle()
        assert await ProcessedEvent.filter(platform=Platform.LINE).count() == 2
        texts = [message.get("text", "") for delivery in world.standin.deliveries_to(line_id)
                 for message in delivery.messages]
        assert sum(f"รับทราบ: {NAME}" in text for text in texts) == 1
        assert sum(SORRY in text for text in texts) == 1  # the failed attempt apologised (redelivery is optional)


async def test_telegram_webhook_is_answered_503_while_postgres_is_cut_off_then_the_redelivery_is_processed_once(
        postgres_url: str) -> None:
    async with tcp_cut(postgres_url) as link, telegram_app(link.url_through(postgres_url), webhook=True) as rig:
        [chat_id] = await _telegram_users(rig, 1)
        url, secret = rig.standin.webhook or ("", "")
        sender = {"id": chat_id, "is_bot": False, "first_name": "ครู"}
        chat = {"id": chat_id, "type": "private", "first_name": "ครู"}

        async def deliver(update: dict[str, object]) -> int:
            async with aiohttp.ClientSession() as session, session.post(url, json=update,
                                                                        headers={SECRET_HEADER: secret}) as response:
                return response.status

        start = {"update_id": rig.standin.next_update_id(), "message": rig.standin.user_message(chat, sender,
                                                                                                text="/new")}
        assert await deliver(start) == 200
        update = {"update_id": rig.standin.next_update_id(),
                  "message": rig.standin.user_message(chat, sender, text=NAME)}
        link.cut()
        assert await deliver(update) == 503
        await rig.channel.join()
        link.restore()
        assert await ProcessedEvent.filter(platform=Platform.TELEGRAM).count() == 1
        assert NAME not in await _session_text(Platform.TELEGRAM, str(chat_id))
        assert [await deliver(update), await deliver(update)] == [200, 200]  # Telegram's retries
        await rig.channel.join()
        assert NAME in await _session_text(Platform.TELEGRAM, str(chat_id))
        texts = [call.params["text"] for call in rig.standin.called("sendMessage", chat_id=chat_id)]
        assert sum(f"รับทราบ: {NAME}" in text for text in texts) == 1, texts
        assert not any(SORRY in text for text in texts)  # Telegram always delivers again: no "send it again"
        assert await ProcessedEvent.filter(platform=Platform.TELEGRAM).count() == 2


async def test_line_webhook_is_answered_503_while_the_sqlite_file_is_locked_then_the_redelivery_is_processed_once(
        sqlite_url: str) -> None:
    async with line_world(sqlite_url) as world:
        owners = await line_owners(await Office.get(code="CMI1"), 5)
        users = [world.user(user_id=line_id) for line_id, _ in owners]
        events = []
        for number, user in enumerate(users):
            await user.send(_text(user, "/new"))
            await user.send(_text(user, f"{NAME} {number}"))
            events.append(_text(user, "2570"))  # the answer that creates the draft project
        before = [await _session_text(Platform.LINE, user.user_id) for user in users]
        with sqlite_locked(sqlite_url):  # a stuck writer (or a backup) holds the file
            statuses = await asyncio.gather(*(user.post(user.body(event)) for user, event in zip(users, events,
                                                                                                 strict=True)))
            await world.channel.idle()
        assert statuses == [503] * len(users)  # LINE will deliver them again
        assert [await _session_text(Platform.LINE, user.user_id) for user in users] == before  # nothing half-written
        assert not await Project.filter(name__startswith=NAME).exists()
        assert await ProcessedEvent.filter(platform=Platform.LINE).count() == 2 * len(users)
        for user, event in zip(users, events, strict=True):
            redelivered = event | {"deliveryContext": {"isRedelivery": True}}
            await user.send(redelivered)
            assert "สร้างโครงการแล้ว" in user.text
            assert await user.post(user.body(redelivered)) == 200  # once only
        await world.channel.idle()
        assert await Project.filter(name__startswith=NAME).count() == len(users)
        assert await ProcessedEvent.filter(platform=Platform.LINE).count() == 3 * len(users)
        for user in users:
            texts = [message.get("text", "") for delivery in world.standin.deliveries_to(user.user_id)
                     for message in delivery.messages]
            assert sum("สร้างโครงการแล้ว" in text for text in texts) == 1
