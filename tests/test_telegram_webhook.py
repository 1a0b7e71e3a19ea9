"""End to end over the webhook: Telegram (the stand-in) posts each update to ``POST /webhook/telegram``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Update

from api.telegram_channel import WEBHOOK_PATH
from conversations.messages import Inbound, Reply
from conversations.service.inbox import Claimed
from conversations.service.turn_seen import TurnSeen
from models.enums import ItemStatus
from models.inbox import InboxEvent
from models.project import Project
from tests.support.scenario import register_project_a
from tests.support.telegram_app import SECRET, TelegramRig, assert_within_limits, telegram_app
from tests.support.telegram_standin import SECRET_HEADER
from tests.support.telegram_user import buttons


@pytest.fixture
async def rig(empty_database_url: str) -> AsyncIterator[TelegramRig]:
    """The app with its webhook registered at the stand-in, with the demo office seeded."""
    async with telegram_app(empty_database_url, webhook=True) as running:
        yield running


def gate(rig: TelegramRig) -> tuple[asyncio.Event, asyncio.Event]:
    """Hold every turn until the returned ``release`` is set; ``entered`` is set when one is waiting."""
    service = rig.channel.service
    handle = service.handle_claimed
    release, entered = asyncio.Event(), asyncio.Event()

    async def held(item: Claimed, inbound: Inbound, seen: TurnSeen | None = None) -> list[Reply] | None:
        entered.set()
        await release.wait()
        return await handle(item, inbound, seen)

    service.handle_claimed = held  # type: ignore[method-assign]
    return release, entered


async def test_project_a_is_registered_and_submitted_over_the_webhook(rig: TelegramRig) -> None:
    url, secret = rig.standin.webhook or ("", "")
    assert url.endswith(WEBHOOK_PATH) and secret == SECRET
    registered = rig.standin.called("setWebhook")[0].params
    assert registered["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    suda = await rig.link(rig.user())
    await register_project_a(suda)  # type: ignore[arg-type]
    await suda.tap("📤 ส่งให้ผู้อำนวยการ")
    assert "ส่งโครงการ CMI1-2570-003 ให้ผู้อำนวยการแล้ว" in suda.text
    assert (await Project.get(code="CMI1-2570-003")).status is ItemStatus.SUBMITTED
    assert not rig.standin.called("getUpdates") and not rig.standin.called("deleteWebhook")
    assert_within_limits(rig.standin)


async def test_unsigned_wrongly_signed_and_malformed_deliveries_are_refused(rig: TelegramRig) -> None:
    suda = rig.user()
    update = suda.message_update(text="/start")
    body = json.dumps(update)
    cases = [({}, body, 401), ({SECRET_HEADER: ""}, body, 401), ({SECRET_HEADER: "guess"}, body, 403),
             ({SECRET_HEADER: SECRET + "x"}, body, 403), ({SECRET_HEADER: SECRET}, "{not json", 400),
             ({SECRET_HEADER: SECRET}, json.dumps({"hello": "world"}), 400)]
    for headers, data, status in cases:
        response = await rig.client.post(WEBHOOK_PATH, data=data, headers={"Content-Type": "application/json",
                                                                         **headers})
        assert response.status == status, (headers, data)
    await rig.channel.join()
    assert not rig.standin.called("sendMessage")  # nothing refused was processed
    response = await rig.client.post(WEBHOOK_PATH, data=body, headers={SECRET_HEADER: SECRET})
    assert response.status == 200
    await rig.channel.join()
    assert rig.standin.called("sendMessage", chat_id=suda.id)  # the greeting of an unlinked account


async def test_the_webhook_is_set_with_its_secret_and_one_connection(rig: TelegramRig) -> None:
    [registered] = rig.standin.called("setWebhook")
    assert registered.params["secret_token"] == SECRET
    assert int(registered.params["max_connections"]) == 1  # so that one user's updates cannot overtake each other


async def test_a_secret_header_that_is_not_utf8_is_refused_as_wrong(rig: TelegramRig) -> None:
    body = json.dumps(rig.user().message_update(text="/start")).encode()
    server = rig.client.server
    reader, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(b"POST " + WEBHOOK_PATH.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 + SECRET_HEADER.encode() + b": \xff\xfe" + SECRET.encode() + b"\r\n"
                 + b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode()
                 + b"\r\nConnection: close\r\n\r\n" + body)
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    assert status_line.split()[1] == b"403"  # a wrong secret, not a server error


async def test_a_signed_update_is_answered_200_before_its_turn_runs(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    release, entered = gate(rig)
    update = suda.message_update(text="วิธีใช้")
    mark = len(rig.standin.calls)
    assert await rig.standin.deliver(update) == [200]  # while the turn has not even run
    await entered.wait()
    assert not rig.standin.sent_since(mark, suda.id)
    release.set()
    await rig.channel.join()
    assert rig.standin.sent_since(mark, suda.id)


async def test_a_redelivered_update_is_answered_once(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    update = suda.message_update(text="วิธีใช้")
    mark = len(rig.standin.calls)
    assert await rig.standin.deliver(update, update) == [200, 200]
    await rig.channel.join()
    suda.mark = mark
    assert suda.last[0]["text"].split("\n")[0] == "❓ วิธีใช้"
    assert len(suda.last) == 1  # help with the menu's buttons, once


async def test_updates_queued_at_shutdown_are_finished_first(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    release, entered = gate(rig)
    update = suda.message_update(text="วิธีใช้")
    mark = len(rig.standin.calls)
    assert await rig.standin.deliver(update) == [200]
    await entered.wait()
    stopping = asyncio.create_task(rig.client.close())
    await rig.channel.worker.closing.wait()
    release.set()
    await stopping
    assert rig.standin.sent_since(mark, suda.id)  # answered before the bot and the database closed


async def test_a_press_is_acknowledged_in_the_webhooks_answer_once_stored(rig: TelegramRig) -> None:
    """The Bot API lets the webhook's answer carry one call: the press's acknowledgement goes there, so the bot
    makes no answerCallbackQuery request of its own, and every press is still answered exactly once."""
    suda = await rig.link(rig.user())
    await suda.say("เมนู")
    await suda.tap("ลงทะเบียนโครงการใหม่")
    pressed = rig.standin.pressed[-1]
    answers = rig.standin.called("answerCallbackQuery")
    assert [call.params["callback_query_id"] for call in answers] == [pressed]
    assert all(call.in_reply for call in answers)
    assert_within_limits(rig.standin)


async def test_a_press_not_stored_is_not_acknowledged(rig: TelegramRig) -> None:
    """A 503 (the update could not be stored) carries nothing: Telegram delivers it again, answered then."""
    suda = await rig.link(rig.user())
    await suda.say("เมนู")
    menu = suda.screen
    data = next(data for text, data in buttons(menu) if "ลงทะเบียนโครงการใหม่" in text)
    update = suda.press_update(menu, data)
    worker = rig.channel.worker
    await worker.stop()  # a stopping worker stores nothing: 503
    assert await rig.standin.deliver(update) == [503]
    assert not rig.standin.called("answerCallbackQuery")


async def test_an_update_is_stored_as_it_came(rig: TelegramRig) -> None:
    """The inbox keeps the update's JSON as Telegram sent it, not written out again from python-telegram-bot's
    objects, and the turn reads it back from there."""
    suda = rig.user()
    update = suda.message_update(text="สวัสดี")
    await suda.send(update)
    stored = await InboxEvent.get(event_id=str(update["update_id"]))
    assert json.loads(stored.payload) == update
    assert suda.last, "the turn read the stored update and answered it"


async def test_an_update_is_read_once_from_its_delivery_to_its_answer(rig: TelegramRig,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The webhook reads the update to check it; its turn, in the same process, takes that reading."""
    suda = await rig.link(rig.user())
    await suda.say("เมนู")
    read: list[int] = []
    de_json = Update.de_json.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Update], data: dict[str, Any], bot: Any = None) -> Update:
        read.append(data["update_id"])
        return de_json(cls, data, bot)  # type: ignore[no-any-return]

    monkeypatch.setattr(Update, "de_json", classmethod(counted))
    await suda.say("วิธีใช้")
    await suda.tap(buttons(suda.screen)[0][0])
    assert suda.text, suda.transcript()
    assert sorted(read) == sorted({*read}) and len(read) == 2, read
