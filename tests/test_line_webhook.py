"""The LINE webhook end to end: signatures checked before anything, duplicates and redeliveries answered
once, follow and unfollow, photos, stickers and the date picker — real app, real SDK, stand-in LINE.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from conversations.messages import FILE_TOO_LARGE, FILE_UNAVAILABLE, Inbound, Reply
from conversations.service.inbox import Claimed
from models.enums import Platform, Role
from models.inbox import InboxEvent
from models.invites import issue_invite
from models.org import ChatAccount
from models.project import Project
from tests.support.line_standin import sign
from tests.support.line_world import SECRET, LineWorld, line_world, open_m3_question
from tests.support.scenario import start_project

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


async def test_the_signature_is_checked_before_anything_is_parsed_or_done(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        user = world.user("Somsri")
        body = user.body(user.event("message", message={"type": "text", "id": "1", "quoteToken": "q",
                                                         "text": "สวัสดี"}))
        assert await user.post(body, signature=None) == 400  # no X-Line-Signature at all
        assert await user.post(body, signature="not-base64-at-all") == 400
        assert await user.post(body, signature=sign("another-channel-secret", body)) == 400
        assert await user.post(body + b" ", signature=sign(SECRET, body)) == 400  # the body was changed
        assert await user.post(b"{not json", signature=sign(SECRET, b"{not json")) == 400  # signed, but garbage
        response = await world.client.post("/webhook/line", data=body, headers={"X-Line-Signature": "x"})
        assert (await response.json())["error"]["code"] == "bad_signature"
        await world.channel.idle()
        assert world.standin.calls == []  # nothing reached the service
        assert await ChatAccount.filter(platform=Platform.LINE).count() == 0

        verification = json.dumps({"destination": "U0", "events": []}).encode()  # LINE's "Verify" button
        assert await user.post(verification) == 200
        assert (await world.counts())["events"] == 0


async def test_a_replayed_body_is_a_duplicate_event_and_is_answered_once(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        user = world.user()
        body = user.body(user.event("message", message={"type": "text", "id": "1", "quoteToken": "q",
                                                         "text": "สวัสดีค่ะ"}))
        for _ in range(3):  # an attacker (or a proxy) posts the same signed body again
            assert await user.post(body) == 200
        await world.channel.idle()
        assert len(world.standin.deliveries_to(user.user_id)) == 1
        assert await InboxEvent.filter(platform=Platform.LINE).count() == 1
        assert len(world.standin.calls_of("reply")) == 1  # the replays did not even try the spent token


async def test_a_redelivered_event_is_answered_once_and_by_push_when_it_was_never_answered(
        empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda = await world.linked("suda")
        first = suda.event("message", message={"type": "text", "id": "1", "quoteToken": "q", "text": "เมนู"})
        await suda.send(first)
        again = first | {"deliveryContext": {"isRedelivery": True}, "replyToken": "spent"}
        assert await suda.send(again) == []  # LINE thought our 200 was lost: the service drops the duplicate

        missed = suda.event("message", redelivery=True, at=world.clock() - timedelta(minutes=3),
                            message={"type": "text", "id": "2", "quoteToken": "q", "text": "โครงการของฉัน"})
        replies_before = len(world.standin.calls_of("reply"))
        await suda.send(missed)  # delivered late: the first attempt never reached us
        assert "CMI1-2570-001" in suda.text or "โครงการ" in suda.text
        assert len(world.standin.calls_of("reply")) == replies_before  # a redelivery's token is not tried
        [push] = world.standin.calls_of("push")
        assert push.body["to"] == suda.user_id and len(push.headers["X-Line-Retry-Key"]) == 36
        counts = await world.counts()
        assert counts["pushes"] == 1 and counts["reply_fallbacks"] == 1


async def test_follow_greets_and_tells_how_to_link_unfollow_deactivates(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        user = world.user(display_name="ครูสมศรี")
        await user.follow()
        assert "รหัสเชิญ" in user.text and "quickReply" not in user.last[-1]
        account = await ChatAccount.get(platform=Platform.LINE, external_id=user.user_id)
        assert account.active and account.display_name == "ครูสมศรี" and account.user_id is None
        assert [call.kind for call in world.standin.calls] == ["profile", "reply"]

        assert await user.unfollow() == []  # no reply token, nothing to say
        await account.refresh_from_db()
        assert not account.active

        await user.follow()  # unblocked: active again, asked for the code (not welcomed as new)
        await account.refresh_from_db()
        assert account.active and user.text.startswith("กรุณาพิมพ์รหัสเชิญ")
        assert len(world.standin.calls_of("profile")) == 1  # the display name was read once


async def test_events_of_one_user_run_in_order_and_other_users_alongside(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        _, code = await issue_invite(role=Role.OWNER, user=world.people["weera"], now=world.clock())
        user, other = world.user(), world.user()
        events = [user.event("follow", follow={"isUnblocked": False}),
                  other.event("follow", follow={"isUnblocked": False}),
                  user.event("message", message={"type": "text", "id": "1", "quoteToken": "q", "text": code}),
                  user.event("message", message={"type": "text", "id": "2", "quoteToken": "q", "text": "วิธีใช้"})]
        await user.send(*events)  # one webhook, as LINE batches events
        texts = [message["text"] for message in user.last]
        assert "รหัสเชิญ" in texts[0] and "เชื่อมบัญชีเรียบร้อย" in texts[1] and "วิธีใช้" in "".join(texts[2:])
        [greeting] = world.standin.deliveries_to(other.user_id)
        assert "รหัสเชิญ" in greeting.messages[0]["text"]


async def test_a_photo_reaches_the_service_as_an_attachment(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda = await world.linked("suda")
        seen = spy(world)
        await suda.send_image(PNG, "image/png")
        [photo] = [inbound for inbound in seen if inbound.attachment is not None]
        assert photo.attachment is not None and photo.text is None and photo.platform is Platform.LINE
        assert (photo.attachment.kind, photo.attachment.mime_type, photo.attachment.content) == (
            "image", "image/png", PNG)
        assert photo.attachment.filename.endswith(".png")
        [download] = world.standin.calls_of("content")
        assert download.path.endswith("/content")
        assert suda.last and "quickReply" in suda.last[-1]  # the engine answered and repeated its question

        await suda.send_file("ใบสำคัญรับเงิน.pdf", b"%PDF-1.7 ...")
        document = seen[-1].attachment
        assert document is not None and (document.kind, document.filename, document.mime_type, document.content) == (
            "document", "ใบสำคัญรับเงิน.pdf", "application/pdf", b"%PDF-1.7 ...")
        await suda.send_file("วิดีโอ.mp4", b"x", "video/mp4", size=300 * 1024 * 1024)  # announced too big
        assert seen[-1].attachment is None and seen[-1].unsupported == FILE_TOO_LARGE
        assert "ใหญ่เกินไป" in suda.text and "10 MB" in suda.text  # said why, in Thai
        assert len(world.standin.calls_of("content")) == 2  # the big one was never downloaded

        await suda.send_sticker()
        assert "สติกเกอร์" in suda.text and seen[-1].unsupported == "sticker"

        gone = suda.event("message", message={"type": "image", "id": "404404", "quoteToken": "q",
                                              "contentProvider": {"type": "line"}})
        await suda.send(gone)  # the content is no longer on LINE's servers
        assert seen[-1].attachment is None and seen[-1].unsupported == FILE_UNAVAILABLE
        assert "รับไฟล์นี้ไม่สำเร็จ" in suda.text and "quickReply" in suda.last[-1]  # explained, question again


async def test_a_date_question_takes_a_day_from_the_date_picker(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda = await world.linked("suda")
        await start_project(suda)  # type: ignore[arg-type]
        await open_m3_question(suda, "วันเริ่ม")
        picker = suda.items()[0]["action"]
        assert picker["type"] == "datetimepicker" and picker["mode"] == "date" and picker["data"].endswith(".@")
        await suda.pick_date("2026-10-01")
        assert "1 ต.ค. 2569" in suda.text
        project = await Project.get(code="CMI1-2570-003")
        assert project.start_date == date(2026, 10, 1)
        stale = await suda.send(suda.event("postback", postback={"data": picker["data"],
                                                                 "params": {"date": "2027-01-01"}}))
        assert "ผ่านไปแล้ว" in "\n".join(message.get("text", "") for message in stale)  # an old picker: moved on
        await project.refresh_from_db()
        assert project.start_date == date(2026, 10, 1)


async def test_the_counts_are_served_as_json(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        user = world.user()
        await user.say("สวัสดี")
        counts = await world.counts()
        assert counts["channel"] == "line" and counts["since"] == world.clock().isoformat()
        assert (counts["webhooks"], counts["events"], counts["replies"], counts["reply_messages"]) == (1, 1, 1, 1)
        assert counts["pushes"] == 0


async def test_work_in_progress_finishes_before_the_app_stops(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        user = world.user()
        status = await user.post(user.body(user.event("message", message={
            "type": "text", "id": "1", "quoteToken": "q", "text": "สวัสดี"})))
        assert status == 200
        standin = world.standin
    assert len(standin.deliveries_to(user.user_id)) == 1  # the app waited for the turn on the way out


def spy(world: LineWorld) -> list[Inbound]:
    """Record what the channel hands to the (real) service."""
    seen: list[Inbound] = []
    service = world.channel.service
    handle = service.handle_claimed

    async def recording(item: Claimed, inbound: Inbound) -> list[Reply] | None:
        seen.append(inbound)
        return await handle(item, inbound)

    service.handle_claimed = recording  # type: ignore[method-assign]
    return seen



async def test_an_event_is_stored_as_it_came_and_answered_from_that(empty_database_url: str) -> None:
    """The inbox keeps the event's JSON as LINE sent it (not written out again from the SDK's model, which
    drops what it does not know, such as a field LINE added later), and the turn reads it back from there."""
    async with line_world(empty_database_url) as world:
        user = world.user()
        event = user.event("message", message={"type": "text", "id": "1", "quoteToken": "q", "text": "สวัสดีค่ะ"})
        event["futureField"] = {"added": "later"}
        assert await user.post(user.body(event)) == 200
        await world.channel.idle()
        stored = await InboxEvent.get(platform=Platform.LINE)
        assert json.loads(stored.payload) == json.loads(user.body(event))["events"][0]
        assert len(world.standin.deliveries_to(user.user_id)) == 1
