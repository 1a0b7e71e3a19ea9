"""A reply LINE refuses is never silence: the app's LINE sender, through the real SDK to a stand-in that refuses
Flex messages (or quick replies) with a 400, sends the same turn as plain text instead — by reply while the token
is unused, else by push — and logs LINE's reason. And a card's alt text, which a lock screen shows, is a short
summary without contact details."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from api.keys import REMINDERS, SERVICE
from bot.line_render import render, render_plain
from conversations.copy import render as copy
from conversations.messages import Inbound, Reply
from models.enums import DeliveryStatus, Platform
from models.report import WindowException
from models.runtime import ReminderDelivery
from tests.support.line_user import LineUser
from tests.support.line_world import LineWorld, line_world
from tests.support.reminders import bangkok
from tests.support.scenario import PROJECT_A

Json = dict[str, Any]
TYPE_ONE = copy("channel.typed_choices")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"\d{2,3}-\d{3}-\d{3,4}|\+66")


def is_flex(message: Json) -> bool:
    return message.get("type") == "flex"


async def review_of_a_new_draft(world: LineWorld) -> tuple[LineUser, list[Reply]]:
    """Suda on LINE with a new draft, and the replies of her asking for its review card (a Flex on LINE)."""
    suda = await world.linked("suda")
    await suda.say("/new")
    await suda.say(PROJECT_A)
    await suda.tap("ปีงบประมาณ 2570")
    replies = await world.client.app[SERVICE].handle(Inbound(Platform.LINE, suda.user_id, text="/review"))
    assert any(reply.card is not None for reply in replies)
    return suda, replies


def texts(user: LineUser, since: int) -> list[Json]:
    return [message for delivery in user.standin.deliveries_to(user.user_id)[since:] for message in delivery.messages]


async def test_a_refused_reply_is_sent_again_as_plain_text_with_its_token(
        empty_database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    async with line_world(empty_database_url) as world:
        suda, replies = await review_of_a_new_draft(world)
        world.standin.refuse(is_flex)
        before = len(world.standin.deliveries_to(suda.user_id))
        with caplog.at_level(logging.WARNING, logger="bot.line_delivery"):
            via = await world.channel.sender.deliver(
                suda.user_id, render(replies), reply_token=world.standin.issue_reply_token(suda.user_id),
                occurred_at=world.clock(), fallback=render_plain(replies))
        assert via == "reply"
        [refused] = world.standin.refused
        assert refused.kind == "reply" and any(is_flex(message) for message in refused.body["messages"])
        [delivery] = world.standin.deliveries_to(suda.user_id)[before:]
        assert delivery.via == "reply" and {message["type"] for message in delivery.messages} == {"text"}
        said = "\n".join(message["text"] for message in delivery.messages)
        assert f"• ชื่อโครงการ: {PROJECT_A}" in said  # the card, written out
        assert TYPE_ONE in said and "• 📑 สารบัญ" in said  # its buttons, as lines to type
        assert not any("quickReply" in message for message in delivery.messages)
        counts = await world.counts()
        assert (counts["plain_fallbacks"], counts["failures"]) == (1, 0)
        assert counts["reply_fallbacks"] == 0  # the refusal did not spend the token: no push was needed
        logged = [record.getMessage() for record in caplog.records if "refused the reply" in record.getMessage()]
        assert logged and "messages[0]" in logged[0] and "The request body has 1 error(s)" in logged[0]

        await suda.say("สารบัญ")  # typing a listed label carries the conversation on
        assert "M1" in suda.text and "M5" in suda.text
        assert world.standin.rejected == []


async def test_a_refused_reply_whose_token_is_spent_is_pushed_as_plain_text(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda, replies = await review_of_a_new_draft(world)
        world.standin.refuse(is_flex)
        token = world.standin.issue_reply_token(suda.user_id)
        world.standin.expire_reply_tokens()
        before = len(world.standin.deliveries_to(suda.user_id))
        via = await world.channel.sender.deliver(suda.user_id, render(replies), reply_token=token,
                                                 occurred_at=world.clock(), fallback=render_plain(replies))
        assert via == "push"
        assert [(call.status, call.error) for call in world.standin.calls_of("reply")][-2:] == [
            (400, "The request body has 1 error(s)"), (400, "Invalid reply token")]
        [delivery] = world.standin.deliveries_to(suda.user_id)[before:]
        assert delivery.via == "push" and {message["type"] for message in delivery.messages} == {"text"}
        assert f"• ชื่อโครงการ: {PROJECT_A}" in "\n".join(message["text"] for message in delivery.messages)
        counts = await world.counts()
        assert (counts["plain_fallbacks"], counts["reply_fallbacks"], counts["pushes"]) == (1, 1, 1)


async def test_a_refused_push_is_pushed_again_as_plain_text(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda, replies = await review_of_a_new_draft(world)
        world.standin.refuse(is_flex)
        before = len(world.standin.deliveries_to(suda.user_id))
        await world.channel.sender.push(suda.user_id, render(replies), fallback=render_plain(replies))
        pushes = world.standin.calls_of("push")
        assert [call.status for call in pushes] == [400, 200]
        assert pushes[0].headers["X-Line-Retry-Key"] != pushes[1].headers["X-Line-Retry-Key"]  # another request
        [delivery] = world.standin.deliveries_to(suda.user_id)[before:]
        assert {message["type"] for message in delivery.messages} == {"text"}
        assert TYPE_ONE in delivery.messages[-1]["text"]


async def test_without_a_plain_version_a_refusal_is_still_an_error(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda, replies = await review_of_a_new_draft(world)
        world.standin.refuse(is_flex)
        with pytest.raises(Exception, match="refused the push: 400 The request body has 1 error"):
            await world.channel.sender.push(suda.user_id, render(replies))
        world.standin.refuse(lambda message: True)  # the plain version refused too: that is an error
        with pytest.raises(Exception, match="refused the push"):
            await world.channel.sender.push(suda.user_id, render(replies), fallback=render_plain(replies))


async def test_a_reminder_line_refuses_reaches_the_person_as_plain_text(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        await WindowException.all().delete()
        suda = await world.linked("suda", "สุดา")
        world.standin.refuse(lambda message: "quickReply" in message)  # the reminder's button
        world.clock.set(bangkok(2027, 1, 4, 9))
        assert (await world.client.app[REMINDERS].run_once()).sent == 1
        [refused] = world.standin.refused
        assert refused.kind == "push"
        [pushed] = [delivery for delivery in world.standin.deliveries_to(suda.user_id) if delivery.via == "push"]
        assert "เปิดรับรายงานผลไตรมาส Q1/2570" in pushed.messages[-1]["text"]
        assert "quickReply" not in pushed.messages[-1]
        row = await ReminderDelivery.get(recipient=world.people["suda"])
        assert row.status is DeliveryStatus.SENT


async def test_the_review_card_of_a_whole_project_is_summed_up_without_contact_details(
        empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda = await world.linked("suda")
        await suda.say("โครงการของฉัน")
        await suda.tap("1. โครงการยกระดับ")  # project A of the demo: every section, contacts and budgets
        [card] = [message for message in suda.last if is_flex(message)]
        alt = card["altText"]
        assert len(alt.encode("utf-16-le")) // 2 <= 400
        assert alt.startswith("📋 โครงการยกระดับความสามารถด้านการอ่านออกเขียนได้")
        assert "CMI1-2570-001" in alt and copy("status.approved") in alt and alt.endswith(copy("channel.card_open"))
        assert not EMAIL.search(alt) and not PHONE.search(alt), alt
        bubble = str(card["contents"])
        assert EMAIL.search(bubble) and PHONE.search(bubble)  # the card itself still holds them
