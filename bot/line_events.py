"""LINE webhook events (the JSON of the webhook, as LINE sends it) as what the channel must do, pure.

Only one-on-one chats are served: an event from a group or a multi-person chat is ignored, because a
project's details must not be discussed in front of others. Text, postbacks and follows become an
:class:`~conversations.messages.Inbound` for the service; an image or a file names the content to
download first; stickers, locations, audio and video reach the engine as ``unsupported`` (it answers
politely and repeats the question); an unfollow deactivates the chat account; everything else (join,
leave, beacon, unsend, a message of a kind line-bot-sdk does not know…) is ignored.

The few fields needed are read from the JSON itself rather than from line-bot-sdk's webhook models: building
those (pydantic) cost about 0.1 ms an event, in the webhook and again in the worker, for fields we never read.
The names are the Messaging API's, as the SDK's models map them; tests/test_line_events.py checks each event it
reads against the SDK's models too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from bot.line_postback import read_postback
from conversations.button_data import pressed_screen
from conversations.messages import Inbound
from models.enums import Platform

Json = Mapping[str, Any]
LINE_CONTENT = "line"  # content the user sent through LINE, downloadable from the blob API
UNSUPPORTED_MESSAGES = frozenset({"sticker", "location", "audio", "video"})
KNOWN_MESSAGES = UNSUPPORTED_MESSAGES | {"text", "image", "file"}  # the SDK's; it makes any other an unknown event


class Action(StrEnum):
    """What the channel does with an event."""

    TURN = "turn"  # run the inbound through the service and send the replies
    PAGE = "page"  # draw another page of the live screen's choices
    DEACTIVATE = "deactivate"  # the user blocked or unfollowed the account


@dataclass(frozen=True, slots=True)
class Content:
    """A file or image the user sent, to download before the turn."""

    message_id: str
    kind: str  # "image" or "document", as :class:`~conversations.messages.Attachment` names them
    filename: str
    size: int | None = None  # as LINE announced it (files only)


@dataclass(frozen=True, slots=True)
class LineEvent:
    """One webhook event, decided: who, what to do, and how the answer may be delivered."""

    action: Action
    user_id: str
    event_id: str
    occurred_at: datetime
    inbound: Inbound
    reply_token: str | None = None
    redelivery: bool = False
    interactive: bool = False  # the user is waiting for an answer (a message or a button)
    content: Content | None = None
    page: int = 0  # the quick-reply page the button was on, or the page asked for
    screen: str | None = None  # the screen whose page was asked for (PAGE), or of the pressed button


def normalize(event: Json) -> LineEvent | None:
    """The event (one of the webhook's ``events``, as JSON) as a :class:`LineEvent`, or None when there is
    nothing to do for it.

    Raises:
        KeyError, TypeError, ValueError: a field the event's kind requires is missing or not of its type.
    """
    source = event.get("source")
    if not isinstance(source, Mapping) or source.get("type") != "user" or not source.get("userId"):
        return None
    kind = event.get("type")
    if kind not in ("follow", "unfollow", "postback", "message"):
        return None
    if kind == "message" and event["message"]["type"] not in KNOWN_MESSAGES:
        return None
    user_id = str(source["userId"])
    event_id = str(event["webhookEventId"])
    base: dict[str, Any] = {
        "user_id": user_id, "event_id": event_id, "occurred_at": _moment(event["timestamp"]),
        "reply_token": event.get("replyToken") or None,
        "redelivery": bool(event["deliveryContext"]["isRedelivery"]),
    }
    empty = Inbound(Platform.LINE, user_id, event_id=event_id)
    if kind == "unfollow":
        return LineEvent(Action.DEACTIVATE, inbound=empty, **base)
    if kind == "follow":
        return LineEvent(Action.TURN, inbound=empty, **base)  # the service greets, or shows the live screen
    if kind == "postback":
        postback = read_postback(str(event["postback"]["data"]), event["postback"].get("params"))
        if postback.command is not None:  # a menu button: its command, as if typed
            command = Inbound(Platform.LINE, user_id, event_id=event_id, text=postback.command)
            return LineEvent(Action.TURN, inbound=command, interactive=True, **base)
        if postback.is_page_request:
            return LineEvent(Action.PAGE, inbound=empty, interactive=True, page=postback.page,
                             screen=postback.more_of, **base)
        pressed = Inbound(Platform.LINE, user_id, event_id=event_id, button=postback.button)
        return LineEvent(Action.TURN, inbound=pressed, interactive=True, page=postback.page,
                         screen=pressed_screen(postback.button or ""), **base)
    return _message(event["message"], empty, base)


def _message(message: Json, empty: Inbound, base: dict[str, Any]) -> LineEvent:
    kind = str(message["type"])
    if kind == "text":
        typed = Inbound(Platform.LINE, empty.user_ref, event_id=empty.event_id, text=str(message["text"]))
        return LineEvent(Action.TURN, inbound=typed, interactive=True, **base)
    content: Content | None = None
    if kind == "image" and message["contentProvider"]["type"] == LINE_CONTENT:
        content = Content(str(message["id"]), "image", f"{message['id']}.jpg")
    elif kind == "file":
        content = Content(str(message["id"]), "document", str(message["fileName"]), int(message["fileSize"]))
    if content is not None:
        return LineEvent(Action.TURN, inbound=empty, interactive=True, content=content, **base)
    unsupported = Inbound(Platform.LINE, empty.user_ref, event_id=empty.event_id, unsupported=kind)
    return LineEvent(Action.TURN, inbound=unsupported, interactive=True, **base)


def _moment(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
