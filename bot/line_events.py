"""LINE webhook events (as line-bot-sdk parses them) as what the channel must do, pure.

Only one-on-one chats are served: an event from a group or a multi-person chat is ignored, because a
project's details must not be discussed in front of others. Text, postbacks and follows become an
:class:`~conversations.messages.Inbound` for the service; an image or a file names the content to
download first; stickers, locations, audio and video reach the engine as ``unsupported`` (it answers
politely and repeats the question); an unfollow deactivates the chat account; everything else (join,
leave, beacon, unsend…) is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from linebot.v3.webhooks import (
    AudioMessageContent,
    FileMessageContent,
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
    VideoMessageContent,
)

from bot.line_postback import read_postback
from conversations.button_data import pressed_screen
from conversations.messages import Inbound
from models.enums import Platform

LINE_CONTENT = "line"  # content the user sent through LINE, downloadable from the blob API
UNSUPPORTED_MESSAGES: tuple[tuple[type[Any], str], ...] = (
    (StickerMessageContent, "sticker"), (LocationMessageContent, "location"),
    (AudioMessageContent, "audio"), (VideoMessageContent, "video"),
)


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


def normalize(event: Any) -> LineEvent | None:
    """The event as a :class:`LineEvent`, or None when there is nothing to do for it."""
    source = getattr(event, "source", None)
    if not isinstance(source, UserSource) or not source.user_id:
        return None
    user_id = str(source.user_id)
    event_id = str(event.webhook_event_id)
    base: dict[str, Any] = {
        "user_id": user_id, "event_id": event_id, "occurred_at": _moment(event.timestamp),
        "reply_token": getattr(event, "reply_token", None) or None,
        "redelivery": bool(event.delivery_context.is_redelivery),
    }
    empty = Inbound(Platform.LINE, user_id, event_id=event_id)
    if isinstance(event, UnfollowEvent):
        return LineEvent(Action.DEACTIVATE, inbound=empty, **base)
    if isinstance(event, FollowEvent):
        return LineEvent(Action.TURN, inbound=empty, **base)  # the service greets, or shows the live screen
    if isinstance(event, PostbackEvent):
        postback = read_postback(str(event.postback.data), event.postback.params)
        if postback.command is not None:  # a menu button: its command, as if typed
            command = Inbound(Platform.LINE, user_id, event_id=event_id, text=postback.command)
            return LineEvent(Action.TURN, inbound=command, interactive=True, **base)
        if postback.is_page_request:
            return LineEvent(Action.PAGE, inbound=empty, interactive=True, page=postback.page,
                             screen=postback.more_of, **base)
        pressed = Inbound(Platform.LINE, user_id, event_id=event_id, button=postback.button)
        return LineEvent(Action.TURN, inbound=pressed, interactive=True, page=postback.page,
                         screen=pressed_screen(postback.button or ""), **base)
    if isinstance(event, MessageEvent):
        return _message(event, empty, base)
    return None


def _message(event: Any, empty: Inbound, base: dict[str, Any]) -> LineEvent:
    message = event.message
    if isinstance(message, TextMessageContent):
        typed = Inbound(Platform.LINE, empty.user_ref, event_id=empty.event_id, text=str(message.text))
        return LineEvent(Action.TURN, inbound=typed, interactive=True, **base)
    content: Content | None = None
    if isinstance(message, ImageMessageContent) and message.content_provider.type == LINE_CONTENT:
        content = Content(str(message.id), "image", f"{message.id}.jpg")
    elif isinstance(message, FileMessageContent):
        content = Content(str(message.id), "document", str(message.file_name), int(message.file_size))
    if content is not None:
        return LineEvent(Action.TURN, inbound=empty, interactive=True, content=content, **base)
    kind = next((name for cls, name in UNSUPPORTED_MESSAGES if isinstance(message, cls)), str(message.type))
    unsupported = Inbound(Platform.LINE, empty.user_ref, event_id=empty.event_id, unsupported=kind)
    return LineEvent(Action.TURN, inbound=unsupported, interactive=True, **base)


def _moment(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
