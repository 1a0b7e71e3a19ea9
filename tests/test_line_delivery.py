"""Delivery over LINE end to end: reply first, push when the token cannot be used, retries that never
deliver twice, multicast in groups of 500, the loading animation, and long lists paged across quick replies.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.line_delivery import RetryPolicy
from conversations.messages import Reply
from models.project import Project
from tests.support.line_standin import UUID
from tests.support.line_world import line_world, open_m3_question
from tests.support.scenario import start_project

HELLO = {"type": "text", "id": "1", "quoteToken": "q", "text": "สวัสดีค่ะ"}


def test_backoff_doubles_up_to_a_cap_unless_line_says_when() -> None:
    policy = RetryPolicy(backoff=1.0, backoff_cap=30.0)
    assert [policy.delay(attempt) for attempt in (1, 2, 3, 6, 9)] == [1.0, 2.0, 4.0, 30.0, 30.0]
    assert policy.delay(1, {"Retry-After": "7"}) == 7.0
    assert policy.delay(2, {"Retry-After": "soon"}) == 2.0 and policy.delay(1, {"Retry-After": "999"}) == 30.0


async def test_an_expired_reply_token_falls_back_to_one_push_with_a_retry_key(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        user = world.user()
        world.standin.token_lifetime = -1  # every token has expired by the time the bot answers
        await user.say("สวัสดีค่ะ")
        [reply] = world.standin.calls_of("reply")
        assert (reply.status, reply.error) == (400, "Invalid reply token")
        [push] = world.standin.calls_of("push")
        assert push.status == 200 and UUID.match(push.headers["X-Line-Retry-Key"])
        assert [delivery.via for delivery in world.standin.deliveries_to(user.user_id)] == ["push"]
        assert "รหัสเชิญ" in user.text
        counts = await world.counts()
        assert (counts["replies"], counts["reply_fallbacks"], counts["pushes"], counts["push_messages"]) == (
            0, 1, 1, 1)


@pytest.mark.parametrize(("age", "via"), [(timedelta(seconds=55), "push"), (timedelta(seconds=40), "reply")])
async def test_a_turn_past_the_reply_window_is_pushed_without_trying_the_token(
        empty_database_url: str, age: timedelta, via: str) -> None:
    async with line_world(empty_database_url) as world:
        user = world.user()
        await user.send(user.event("message", at=world.clock() - age, message=HELLO))
        assert [delivery.via for delivery in world.standin.deliveries_to(user.user_id)] == [via]
        assert len(world.standin.calls_of("reply")) == (via == "reply")


async def test_rate_limits_and_server_errors_are_retried_under_the_same_retry_key(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        user = world.user()
        world.standin.token_lifetime = -1
        world.standin.fail("push", 429)
        world.standin.fail("push", 503)
        await user.say("สวัสดีค่ะ")
        pushes = world.standin.calls_of("push")
        assert [call.status for call in pushes] == [429, 503, 200]
        assert len({call.headers["X-Line-Retry-Key"] for call in pushes}) == 1  # one logical push
        assert len(world.standin.deliveries_to(user.user_id)) == 1
        counts = await world.counts()
        assert (counts["pushes"], counts["push_retries"], counts["failures"]) == (1, 2, 0)


async def test_a_push_accepted_but_unanswered_is_not_delivered_twice(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        user = world.user()
        world.standin.token_lifetime = -1
        world.standin.fail("push", 500, after_accepting=True)  # LINE delivered it, then the answer was lost
        await user.say("สวัสดีค่ะ")
        assert [call.status for call in world.standin.calls_of("push")] == [500, 409]
        assert len(world.standin.deliveries_to(user.user_id)) == 1
        counts = await world.counts()
        assert (counts["pushes"], counts["failures"]) == (1, 0)


async def test_a_reply_that_fails_for_a_moment_is_retried_with_its_token(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        user = world.user()
        world.standin.fail("reply", 500)
        await user.say("สวัสดีค่ะ")
        assert [call.status for call in world.standin.calls_of("reply")] == [500, 200]
        assert world.standin.calls_of("push") == []


async def test_a_refused_push_is_given_up_and_one_that_fails_for_a_while_is_sent_later(
        empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        world.channel.sender.policy = RetryPolicy(attempts=2, backoff=0.0)
        world.channel.worker.options = replace(world.channel.worker.options, first_retry=0.05)
        user = world.user()
        world.standin.token_lifetime = -1
        world.standin.fail("push", 400, times=2)  # LINE will not take it, nor its plain version: no retry
        await user.say("สวัสดีค่ะ")
        assert user.last == [] and (await world.counts())["failures"] == 1
        world.standin.fail("push", 502, times=5)  # LINE is down for a while: the inbox sends it again later
        await user.say("สวัสดีค่ะ")
        assert user.text.startswith("กรุณาพิมพ์รหัสเชิญ") and (await world.counts())["failures"] == 3  # 1 + 2 tries
        assert [call.status for call in world.standin.calls_of("push")] == [400, 400] + [502] * 5 + [200]
        keys = {call.headers["X-Line-Retry-Key"] for call in world.standin.calls_of("push")[2:]}
        assert len(keys) == 1  # every try of that turn's push under one retry key: delivered once
        world.standin.faults.clear()
        world.standin.token_lifetime = 60
        await user.say("ขอเข้าใช้งาน")
        assert user.text.startswith("กรุณาพิมพ์รหัสเชิญ")


async def test_multicast_goes_out_500_recipients_at_a_time_each_with_its_own_key(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        recipients = [f"U{n:032x}" for n in range(1_200)]
        world.standin.fail("multicast", 500, after_accepting=True)
        await world.channel.multicast(recipients, [Reply(text="📣 เปิดรอบรายงานไตรมาส 1 แล้วค่ะ")])
        calls = world.standin.calls_of("multicast")
        assert [(call.status, len(call.body["to"])) for call in calls] == [(500, 500), (409, 500), (200, 500),
                                                                             (200, 200)]
        keys = [call.headers["X-Line-Retry-Key"] for call in calls]
        assert keys[0] == keys[1] and len(set(keys)) == 3
        assert sorted(delivery.user_id for delivery in world.standin.deliveries) == recipients  # each once
        counts = await world.counts()
        assert (counts["multicasts"], counts["multicast_recipients"]) == (3, 1_200)


async def test_a_slow_turn_shows_the_loading_animation_before_the_answer(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        world.channel.options = replace(world.channel.options, loading_after=0.0)  # every turn counts as slow
        user = world.user("Somchai")
        await user.follow()
        assert world.standin.calls_of("loading") == []  # nobody is waiting for an answer to a follow
        await user.say("สวัสดีค่ะ")
        assert [call.kind for call in world.standin.calls][-2:] == ["loading", "reply"]
        assert world.standin.calls_of("loading")[0].body == {"chatId": user.user_id, "loadingSeconds": 20}
        assert (await world.counts())["loading"] == 1


async def test_the_77_provinces_are_paged_a_tick_keeps_its_page_and_an_old_page_has_moved_on(
        empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda = await world.linked("suda")
        await start_project(suda)  # type: ignore[arg-type]
        await open_m3_question(suda, "จังหวัด")
        first = suda.labels()
        assert len(first) == 13 and "☑ เชียงใหม่" in first and "ดูเพิ่ม ▶ 2/8" in first
        old_more = next(item for item in suda.items() if item["action"]["label"] == "ดูเพิ่ม ▶ 2/8")

        await suda.tap("ลำพูน")  # on a later page: the driver follows "more" like a person would
        assert "☑ ลำพูน" in suda.labels()  # drawn again with the tick, on the same page
        assert "ดูเพิ่ม ▶ 2/8" not in suda.labels()
        pages_asked = [text for text in suda.shown if text.startswith("ดูเพิ่ม")]
        assert len(pages_asked) >= 2
        await suda.tap("เสร็จ")  # "done" is on every page
        project = await Project.get(code="CMI1-2570-003")
        assert sorted(project.provinces) == ["ลำพูน", "เชียงใหม่"]

        await suda.press(old_more)  # a page of a screen that has moved on
        assert "ผ่านไปแล้ว" in suda.text and "quickReply" in suda.last[-1]
        assert world.standin.rejected == []
