"""Normalizing LINE webhook events (their JSON, each also checked against line-bot-sdk's models) into what the
channel does, table-driven."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from linebot.v3.webhooks import Event

from bot.line_events import Action, Content, LineEvent, normalize
from bot.line_postback import button_data
from conversations.messages import Inbound
from models.enums import Platform

USER = "U4af4980629f7d3a8e3fca5c1d5b7a2b1"
WHEN = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def event(kind: str, *, source: dict[str, Any] | None = None, redelivery: bool = False, token: bool = True,
          **fields: Any) -> Any:
    """A webhook event as LINE sends it (JSON), which the SDK's models take as the kind it names."""
    data: dict[str, Any] = {
        "type": kind, "mode": "active", "timestamp": int(WHEN.timestamp() * 1000),
        "source": source or {"type": "user", "userId": USER}, "webhookEventId": "01HZX3K0V5T6Y7Z8A9B0C1D2E3",
        "deliveryContext": {"isRedelivery": redelivery}, **fields,
    }
    if token:
        data["replyToken"] = "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"
    parsed = Event.from_dict(data)  # raises when the JSON is not a valid event
    assert parsed is not None and parsed.type == kind
    return data


def inbound(**fields: Any) -> Inbound:
    return Inbound(Platform.LINE, USER, event_id="01HZX3K0V5T6Y7Z8A9B0C1D2E3", **fields)


def turn(**fields: Any) -> LineEvent:
    values: dict[str, Any] = {"user_id": USER, "event_id": "01HZX3K0V5T6Y7Z8A9B0C1D2E3", "occurred_at": WHEN,
                              "reply_token": "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA", "interactive": True}
    values |= fields
    values.setdefault("inbound", inbound())
    return LineEvent(values.pop("action", Action.TURN), **values)


TEXT = {"type": "text", "id": "468789577898262530", "quoteToken": "q3Plxr4AgKd", "text": "1 ต.ค. 2569"}
IMAGE = {"type": "image", "id": "354718705033693861", "quoteToken": "yHAz4Ua2wx7",
         "contentProvider": {"type": "line"}}


@pytest.mark.parametrize(("raw", "expected"), [
    pytest.param(event("message", message=TEXT), turn(inbound=inbound(text="1 ต.ค. 2569")), id="text"),
    pytest.param(event("postback", postback={"data": "c.+3"}), turn(inbound=inbound(button="c.+3"), screen="c"),
                 id="a button"),
    pytest.param(event("postback", postback={"data": "pg:3:c.+30"}),
                 turn(inbound=inbound(button="c.+30"), page=3, screen="c"), id="a button on page 4"),
    pytest.param(event("postback", postback={"data": "more:c:2"}), turn(action=Action.PAGE, page=2, screen="c"),
                 id="the more button"),
    pytest.param(event("postback", postback={"data": "7.@", "params": {"date": "2026-10-01"}}),
                 turn(inbound=inbound(button="7.@2026-10-01"), screen="7"), id="a date from the picker"),
    pytest.param(event("follow", follow={"isUnblocked": False}), turn(interactive=False), id="follow"),
    pytest.param(event("unfollow", token=False),
                 turn(action=Action.DEACTIVATE, interactive=False, reply_token=None), id="unfollow"),
    pytest.param(event("message", message=IMAGE),
                 turn(content=Content("354718705033693861", "image", "354718705033693861.jpg")), id="a photo"),
    pytest.param(event("message", message=IMAGE | {"contentProvider": {
        "type": "external", "originalContentUrl": "https://example.com/a.jpg"}}),
                 turn(inbound=inbound(unsupported="image")), id="a photo we cannot download"),
    pytest.param(event("message", message={"type": "file", "id": "325708", "fileName": "ใบเสร็จ.pdf",
                                           "fileSize": 2138}),
                 turn(content=Content("325708", "document", "ใบเสร็จ.pdf", 2138)), id="a file"),
    pytest.param(event("message", message={"type": "sticker", "id": "1", "quoteToken": "q", "packageId": "446",
                                           "stickerId": "1988", "stickerResourceType": "STATIC"}),
                 turn(inbound=inbound(unsupported="sticker")), id="a sticker"),
    pytest.param(event("message", message={"type": "location", "id": "2", "latitude": 18.79,
                                           "longitude": 98.98}),
                 turn(inbound=inbound(unsupported="location")), id="a location"),
    pytest.param(event("message", message=TEXT, redelivery=True),
                 turn(inbound=inbound(text="1 ต.ค. 2569"), redelivery=True), id="a redelivered message"),
])
def test_events_become_what_the_channel_does(raw: Any, expected: LineEvent) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw", [
    pytest.param(event("message", message=TEXT, source={"type": "group", "groupId": "Ca56f94637c",
                                                         "userId": USER}), id="a message in a group"),
    pytest.param(event("message", message=TEXT, source={"type": "room", "roomId": "Ra8dbf4673c",
                                                         "userId": USER}), id="a message in a room"),
    pytest.param(event("join", source={"type": "group", "groupId": "Ca56f94637c"}), id="join"),
    pytest.param(event("leave", token=False, source={"type": "group", "groupId": "Ca56f94637c"}), id="leave"),
    pytest.param(event("beacon", beacon={"hwid": "d41d8cd98f", "type": "enter"}), id="beacon"),
    pytest.param(event("unsend", token=False, unsend={"messageId": "325708"}), id="unsend"),
    pytest.param(event("message", message=TEXT, source={"type": "user"}), id="a user without an id"),
    pytest.param(event("follow", follow={"isUnblocked": False}, source={"type": "group", "groupId": "Ca56f94637c"}),
                 id="a follow from a group"),
])
def test_events_we_do_not_serve_are_ignored(raw: Any) -> None:
    assert normalize(raw) is None


def test_a_message_of_a_kind_the_sdk_does_not_know_is_ignored_as_the_sdk_would() -> None:
    data = event("message", message=TEXT) | {"message": {"type": "poll", "id": "9", "quoteToken": "q"}}
    with pytest.raises(ValueError, match="MessageContent failed to lookup discriminator"):
        Event.from_dict(data)  # WebhookParser then makes it an UnknownEvent, without a user source
    assert normalize(data) is None


def test_an_event_missing_what_its_kind_requires_is_an_error_not_a_turn() -> None:
    data = event("message", message=TEXT)
    del data["webhookEventId"]
    with pytest.raises(KeyError):
        normalize(data)


def test_postback_data_longer_than_line_takes_is_refused_where_it_is_made() -> None:
    assert button_data("1a.v", 2) == "pg:2:1a.v"
    with pytest.raises(ValueError, match="300"):
        button_data("1a." + "v" * 300)
