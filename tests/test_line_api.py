"""Reply, push and multicast go to LINE as our dicts, through the SDK's client but not its models (bot/line_api.py):
what the stand-in receives is exactly the JSON we rendered, with the SDK's auth and our retry keys, and LINE's error
answers still arrive as the SDK's ApiException, so they map as before (spent token, retry, 409, 400 refusal, 401).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, AsyncMessagingApiBlob, Configuration

from bot.line_delivery import DeliveryError, LineSender, MessagesRefused, RetryPolicy
from tests.support.line_standin import UUID, LineStandin, line_standin

pytestmark = pytest.mark.process  # the stand-in LINE serves on a port

TOKEN = "channel-token"
USER = "U" + "1" * 32
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHOICES = {"items": [{"type": "action", "action": {"type": "postback", "label": f"ตัวเลือก {number}",
                                                     "data": f"c={number}", "displayText": f"ตัวเลือก {number}"}}
                     for number in range(3)]}
TURN: list[dict[str, Any]] = [{"type": "text", "text": "บันทึกแล้ว ✅"},
                              {"type": "text", "text": "ความก้าวหน้า?", "quickReply": CHOICES}]
PLAIN = [{"type": "text", "text": "ความก้าวหน้า? พิมพ์ 1-3"}]


async def no_wait(_: float) -> None:
    return None


@asynccontextmanager
async def sender_to_standin(token: str = TOKEN) -> AsyncIterator[tuple[LineSender, LineStandin]]:
    """A sender wired as the app wires it (the SDK's client on the stand-in's host), without waiting to retry."""
    async with line_standin(TOKEN) as standin:
        client = AsyncApiClient(Configuration(access_token=token, host=standin.url))
        try:
            yield LineSender(AsyncMessagingApi(client), AsyncMessagingApiBlob(client), clock=lambda: NOW,
                             policy=RetryPolicy(attempts=3), sleep=no_wait), standin
        finally:
            await client.close()


async def test_a_reply_with_quick_replies_arrives_as_the_exact_json_rendered() -> None:
    async with sender_to_standin() as (sender, standin):
        token = standin.issue_reply_token(USER)
        assert await sender.deliver(USER, TURN, reply_token=token, occurred_at=NOW) == "reply"
        [call] = standin.calls
        assert (call.path, call.status, call.body) == ("/v2/bot/message/reply", 200,
                                                       {"replyToken": token, "messages": TURN})
        assert call.headers["Authorization"] == f"Bearer {TOKEN}"
        assert call.headers["Content-Type"] == "application/json" and "X-Line-Retry-Key" not in call.headers
        assert call.headers["User-Agent"].startswith("line-bot-sdk-python")  # the SDK client's own headers


async def test_a_push_and_a_multicast_carry_the_json_and_a_retry_key() -> None:
    async with sender_to_standin() as (sender, standin):
        await sender.push(USER, TURN, retry_key="line:event-1")
        await sender.multicast([USER, "U" + "2" * 32, USER], TURN[:1])
        push, multicast = standin.calls
        assert (push.path, push.body) == ("/v2/bot/message/push", {"to": USER, "messages": TURN})
        assert push.headers["X-Line-Retry-Key"] == str(uuid.uuid5(uuid.NAMESPACE_URL, "line:event-1/0"))
        assert (multicast.path, multicast.body) == ("/v2/bot/message/multicast",
                                                    {"to": [USER, "U" + "2" * 32], "messages": TURN[:1]})
        assert UUID.match(multicast.headers["X-Line-Retry-Key"]) and multicast.status == 200


async def test_a_spent_token_and_server_errors_still_end_in_one_push_under_one_key() -> None:
    async with sender_to_standin() as (sender, standin):
        standin.fail("push", 503)
        standin.fail("push", 500, after_accepting=True)  # delivered, answer lost: the retry is told 409
        via = await sender.deliver(USER, TURN, reply_token="spent", occurred_at=NOW, retry_key="line:e")
        assert via == "push"
        assert [(call.kind, call.status) for call in standin.calls] == [
            ("reply", 400), ("push", 503), ("push", 500), ("push", 409)]
        assert len({call.headers["X-Line-Retry-Key"] for call in standin.calls[1:]}) == 1
        assert [delivery.via for delivery in standin.deliveries_to(USER)] == ["push"]
        assert (sender.stats.pushes, sender.stats.push_retries, sender.stats.reply_fallbacks) == (1, 2, 1)


async def test_a_refused_reply_maps_to_lines_reason_and_the_plain_text_goes_by_the_same_token() -> None:
    async with sender_to_standin() as (sender, standin):
        standin.refuse(lambda message: "quickReply" in message)
        token = standin.issue_reply_token(USER)
        with pytest.raises(MessagesRefused) as refused:
            await sender.deliver(USER, TURN, reply_token=token, occurred_at=NOW)
        assert refused.value.reason == ("400 The request body has 1 error(s); "
                                        "messages[1]: The message is not supported here")
        assert refused.value.permanent
        assert await sender.deliver(USER, TURN, reply_token=token, occurred_at=NOW, fallback=PLAIN) == "reply"
        assert [delivery.messages for delivery in standin.deliveries_to(USER)] == [PLAIN]


async def test_a_wrong_access_token_is_a_permanent_failure_not_a_retry() -> None:
    async with sender_to_standin("not-the-token") as (sender, standin):
        with pytest.raises(DeliveryError) as failed:
            await sender.push(USER, TURN)
        assert failed.value.permanent and not isinstance(failed.value, MessagesRefused)
        assert [call.status for call in standin.calls] == [401]
