"""Webhook faults at volume, on the real app with the real SDKs and the stand-in platforms: a thousand duplicated
and redelivered events posted at once, each processed once; 429 storms on the replies to turns, retried and
neither lost nor repeated; malformed and oversized bodies refused with a clean 4xx, the service carrying on.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter
from typing import Any

import aiohttp

from api.line_channel import SIGNATURE_HEADER
from api.telegram_channel import WEBHOOK_PATH as TELEGRAM_PATH
from models.enums import Platform, Role
from models.inbox import InboxEvent
from models.org import ChatAccount, Office, User
from models.runtime import ConversationSession
from tests.support.faults import line_owners
from tests.support.line_standin import sign
from tests.support.line_user import LineUser
from tests.support.line_world import SECRET, LineWorld, line_world
from tests.support.telegram_app import SECRET as TELEGRAM_SECRET
from tests.support.telegram_app import TelegramRig, telegram_app
from tests.support.telegram_standin import SECRET_HEADER

Json = dict[str, Any]
SEED = 9009
USERS = 100
COPIES = 10  # each event posted this many times: 1,000 posts
AT_ONCE = 50  # posts in flight together
NAME_PROMPT = "ชื่อโครงการ"


async def _line_users(world: LineWorld, count: int) -> list[LineUser]:
    office = await Office.get(code="CMI1")
    return [world.user(user_id=line_id) for line_id, _ in await line_owners(office, count)]


async def _all_at_once(posts: list[Any], at_once: int = AT_ONCE) -> list[Any]:
    slots = asyncio.Semaphore(at_once)

    async def one(post: Any) -> Any:
        async with slots:
            return await post

    return await asyncio.gather(*(one(post) for post in posts))


async def test_a_thousand_duplicated_and_redelivered_line_events_are_each_processed_once(
        empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        users = await _line_users(world, USERS)
        rng = random.Random(SEED)
        posts = []
        for user in users:
            event = user.event("message", message={"type": "text", "id": user.user_id[-8:], "quoteToken": "q",
                                                   "text": "/new"})
            for copy in range(COPIES):  # the same body replayed, or LINE's redelivery of the same event
                again = event if copy % 2 == 0 else event | {"deliveryContext": {"isRedelivery": True}}
                posts.append(user.post(user.body(again)))
        rng.shuffle(posts)
        statuses = await _all_at_once(posts)
        await world.channel.idle()
        assert Counter(statuses) == {200: USERS * COPIES}
        assert await InboxEvent.filter(platform=Platform.LINE).count() == USERS
        for user in users:
            [delivery] = world.standin.deliveries_to(user.user_id)  # one answer, whichever copy won
            assert NAME_PROMPT in delivery.messages[-1]["text"]
        sessions = await ConversationSession.filter(chat_account__platform=Platform.LINE)
        assert len(sessions) == USERS and {session.row_version for session in sessions} == {1}  # one turn each
        assert world.standin.rejected == []
        assert (await world.counts())["failures"] == 0


async def _telegram_users(rig: TelegramRig, count: int) -> list[int]:
    office = await Office.get(code="CMI1")
    ids = []
    for number in range(count):
        user = await User.create(name=f"เจ้าของ {number:03d}", role=Role.OWNER, office=office)
        await ChatAccount.create(platform=Platform.TELEGRAM, external_id=str(8000 + number), user=user)
        ids.append(8000 + number)
    return ids


async def test_a_thousand_duplicated_telegram_updates_are_each_processed_once(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url, webhook=True) as rig:
        ids = await _telegram_users(rig, USERS)
        url, secret = rig.standin.webhook or ("", "")
        rng = random.Random(SEED)
        bodies = []
        for chat_id in ids:
            sender = {"id": chat_id, "is_bot": False, "first_name": f"ครู{chat_id}"}
            chat = {"id": chat_id, "type": "private", "first_name": f"ครู{chat_id}"}
            message = rig.standin.user_message(chat, sender, text="/new",
                                               entities=[{"type": "bot_command", "offset": 0, "length": 4}])
            update = {"update_id": rig.standin.next_update_id(), "message": message}
            bodies.extend([json.dumps(update)] * COPIES)  # Telegram delivering one update again and again
        rng.shuffle(bodies)
        async with aiohttp.ClientSession() as session:

            async def deliver(body: str) -> int:
                async with session.post(url, data=body, headers={SECRET_HEADER: secret,
                                                                 "Content-Type": "application/json"}) as response:
                    return response.status

            statuses = await _all_at_once([deliver(body) for body in bodies])
        await rig.channel.join()
        assert Counter(statuses) == {200: USERS * COPIES}
        assert await InboxEvent.filter(platform=Platform.TELEGRAM).count() == USERS
        for chat_id in ids:
            sent = rig.standin.called("sendMessage", chat_id=chat_id)
            assert len(sent) == 1 and NAME_PROMPT in sent[0].params["text"], [call.params for call in sent]


# --- 429 storms --------------------------------------------------------------------------------------------------


async def test_replies_to_turns_under_a_line_429_storm_arrive_once_each(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        users = await _line_users(world, 20)
        # A storm of a few seconds: every reply of the first rounds is refused, each retried after LINE's
        # Retry-After, up to the sender's fourth attempt (a longer storm turns a reply into a push).
        world.standin.fail("reply", 429, times=50, retry_after="1")
        for round_text in ("/new", "โครงการทดสอบพายุ"):
            statuses = await _all_at_once([user.post(user.body(user.event("message", message={
                "type": "text", "id": "1", "quoteToken": "q", "text": round_text}))) for user in users])
            assert set(statuses) == {200}
            await world.channel.idle()
        for user in users:
            deliveries = world.standin.deliveries_to(user.user_id)
            texts = [message.get("text", "") for delivery in deliveries for message in delivery.messages]
            assert len(deliveries) == 2, texts  # each turn answered once: no loss, no repeat
            assert sum("รับทราบ: โครงการทดสอบพายุ" in text for text in texts) == 1
        assert sum(call.status == 429 for call in world.standin.calls) == 50  # the storm really happened
        assert world.standin.calls_of("push") == []  # retried as replies, within the sender's attempts
        assert (await world.counts())["failures"] == 0


async def test_replies_to_turns_under_a_telegram_429_storm_arrive_once_each(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url, webhook=True) as rig:
        ids = await _telegram_users(rig, 10)
        rig.standin.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, times=15)
        url, secret = rig.standin.webhook or ("", "")
        async with aiohttp.ClientSession() as session:

            async def say(chat_id: int, text: str) -> int:
                sender = {"id": chat_id, "is_bot": False, "first_name": "ครู"}
                chat = {"id": chat_id, "type": "private", "first_name": "ครู"}
                update = {"update_id": rig.standin.next_update_id(),
                          "message": rig.standin.user_message(chat, sender, text=text)}
                async with session.post(url, json=update, headers={SECRET_HEADER: secret}) as response:
                    return response.status

            for text in ("/new", "โครงการทดสอบพายุ"):
                assert set(await asyncio.gather(*(say(chat_id, text) for chat_id in ids))) == {200}
                await rig.channel.join()
        refused = [call for call in rig.standin.calls if call.method == "sendMessage" and call.status == 429]
        assert len(refused) == 15
        for chat_id in ids:
            texts = [call.params["text"] for call in rig.standin.called("sendMessage", chat_id=chat_id)]
            assert sum(NAME_PROMPT in text for text in texts) == 1, texts
            assert sum("รับทราบ: โครงการทดสอบพายุ" in text for text in texts) == 1, texts


# --- malformed and oversized bodies ------------------------------------------------------------------------------

DEEP = b"[" * 200_000 + b"]" * 200_000  # valid-looking nesting that blows a recursive parser's stack
LINE_BODIES: list[bytes] = [
    b"", b"null", b"[]", b"42", b'"events"', b"{}", b'{"events": null}', b'{"events": "many"}',
    b'{"events": [null]}', b'{"events": [42]}', b'{"events": [{}]}', b'{"events": [{"type": "message"}]}',
    b'{"destination": "U0", "events": [{"type": "message", "source": {"type": "user"}, "timestamp": "soon"}]}',
    b'{"destination": "U0", "events": [{"type": "message", "mode": "active", "timestamp": 1,'
    b' "source": {"type": "user", "userId": "U1"}, "webhookEventId": "E1",'
    b' "deliveryContext": {"isRedelivery": false}, "message": {"type": "text"}}]}',
    b'{"destination": "U0", "events": [{"type": "postback", "mode": "active", "timestamp": 1,'
    b' "source": {"type": "user", "userId": "U2"}, "webhookEventId": "E2", "replyToken": "r",'
    b' "deliveryContext": {"isRedelivery": false}, "postback": {}}]}',
    "{\"events\": [\"\udcff\"]}".encode("utf-8", "surrogatepass"), b"\xff\xfe{}", DEEP,
]
TELEGRAM_BODIES: list[bytes] = [
    b"", b"null", b"[]", b"42", b"{}", b'{"update_id": "1"}', b'{"update_id": 1.5}', b'{"update_id": null}',
    b'{"update_id": 1, "message": 42}', b'{"update_id": 2, "message": {}}',
    b'{"update_id": 3, "message": {"message_id": 1, "date": 0, "chat": {"id": 5}}}',
    b'{"update_id": 4, "callback_query": {"id": "q"}}',
    b'{"update_id": 5, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},'
    b' "from": {"id": "five"}, "text": 7}}',
    b'{"update_id": 6, "my_chat_member": {}}', b"\xff\xfe{}", DEEP,
]


async def test_malformed_line_bodies_get_a_clean_4xx_and_the_service_carries_on(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        for body in LINE_BODIES:
            response = await world.client.post("/webhook/line", data=body,
                                               headers={SIGNATURE_HEADER: sign(SECRET, body)})
            assert response.status in (200, 400), (body[:80], response.status, await response.text())
            if response.status == 400:
                assert (await response.json())["error"]["code"] in ("malformed_body", "bad_signature")
        await world.channel.idle()
        assert (await world.counts())["failures"] == 0 or world.standin.calls == []
        suda = await world.linked("suda")  # a good request right after: answered as ever
        await suda.say("เมนู")
        assert suda.labels()


async def test_malformed_telegram_bodies_get_a_clean_4xx_and_the_service_carries_on(
        empty_database_url: str) -> None:
    async with telegram_app(empty_database_url, webhook=True) as rig:
        for body in TELEGRAM_BODIES:
            response = await rig.client.post(TELEGRAM_PATH, data=body, headers={SECRET_HEADER: TELEGRAM_SECRET})
            assert response.status in (200, 400), (body[:80], response.status, await response.text())
        await rig.channel.join()
        suda = await rig.link(rig.user())
        await suda.say("เมนู")
        assert suda.labels()


HUGE = b'{"events": ["' + b"x" * (10 * 1024 * 1024) + b'"]}'  # 10 MB


async def test_an_oversized_line_body_is_refused_413_and_the_service_carries_on(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        response = await world.client.post("/webhook/line", data=HUGE, headers={SIGNATURE_HEADER: sign(SECRET, HUGE)})
        assert response.status == 413
        suda = await world.linked("suda")
        await suda.say("เมนู")
        assert suda.labels()


async def test_an_oversized_telegram_body_is_refused_413_and_the_service_carries_on(
        empty_database_url: str) -> None:
    huge = HUGE
    async with telegram_app(empty_database_url, webhook=True) as rig:
        response = await rig.client.post(TELEGRAM_PATH, data=huge, headers={SECRET_HEADER: TELEGRAM_SECRET})
        assert response.status == 413
        suda = await rig.link(rig.user())
        await suda.say("เมนู")
        assert suda.labels()
