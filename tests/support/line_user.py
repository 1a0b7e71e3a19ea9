"""A LINE user for end-to-end tests: plays LINE's part, posting signed webhook events to the real app,
and reads what the bot sent from the stand-in Messaging API.

``say`` and ``tap`` have the shape of :class:`tests.support.transcript.Chat`, so the scenarios that drive a
transcript chat or the terminal drive LINE too. ``tap`` presses a quick-reply button as a person would: by
what its label shows (cut to 20 characters on LINE, so a label ending in "…" matches when its visible part
leads into, or contains, the wanted words), following the "more" button through the pages of a long list.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import aiohttp

from api.line_channel import SIGNATURE_HEADER
from tests.support.line_standin import LineStandin, sign

Json = dict[str, Any]
BOT_ID = "U0000000000000000000000000000b0t"
ELLIPSIS = "…"
TICKS = ("☑ ", "☐ ")
MORE = "more:"
MIN_OVERLAP = 6  # characters of a cut label that must lead into the wanted words


def new_user_id() -> str:
    """A LINE user id: "U" and 32 hex digits."""
    return f"U{uuid.uuid4().hex}"


def new_event_id() -> str:
    """A webhook event id (LINE uses 26-character ULIDs)."""
    return uuid.uuid4().hex.upper()[:26]


class LineUser:
    """One person chatting with the bot on LINE."""

    def __init__(self, standin: LineStandin, *, secret: str, clock: Callable[[], datetime], webhook_url: str,
                 session: aiohttp.ClientSession, settle: Callable[[str, int], Awaitable[None]],
                 user_id: str | None = None, display_name: str = "") -> None:
        """``settle(user_id, deliveries_before)`` returns once the app has answered what was just posted."""
        self.standin = standin
        self.webhook_url = webhook_url
        self.session = session
        self.settle = settle
        self.secret = secret
        self.clock = clock
        self.user_id = user_id or new_user_id()
        self.display_name = display_name
        if display_name:
            standin.profiles[self.user_id] = display_name
        self.last: list[Json] = []
        self.screen: Json | None = None  # the newest message that came with quick replies
        self.shown: list[str] = []  # what the chat showed as this user's own messages
        self.tapped: list[tuple[str, str]] = []  # (label on the button, text the chat then showed)

    # --- what the bot said ----------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """Everything the bot said since the last action (Flex messages by their alt text)."""
        return "\n".join(message.get("text") or message.get("altText", "") for message in self.last)

    def items(self) -> list[Json]:
        """The quick-reply items on screen."""
        assert self.screen is not None, "the bot has shown no buttons"
        return list(self.screen["quickReply"]["items"])

    def labels(self) -> list[str]:
        """Labels of the quick-reply buttons on screen, as LINE shows them."""
        return [item["action"]["label"] for item in self.items()]

    # --- what the user does ---------------------------------------------------------------------------

    async def say(self, text: str) -> list[Json]:
        """Type a message."""
        self.shown.append(text)
        return await self.send(self.event("message", message={
            "type": "text", "id": new_event_id(), "quoteToken": uuid.uuid4().hex, "text": text}))

    async def tap(self, label: str) -> list[Json]:
        """Press the quick-reply button showing ``label`` (exact, else containing it, else cut before its end)."""
        asked: set[str] = set()
        while True:
            found = self.find(label)
            if found is not None:
                shown = found["action"]["displayText"]
                assert label.strip() in shown, f"tapped {shown!r} for {label!r}"  # the full label, shown in chat
                return await self.press(found)
            more = [item for item in self.items() if item["action"].get("data", "").startswith(MORE)]
            assert more, f"no button {label!r} among {self.labels()}"
            assert more[0]["action"]["data"] not in asked, f"no button {label!r} on any page"
            asked.add(more[0]["action"]["data"])
            await self.press(more[0])

    async def press(self, item: Json) -> list[Json]:
        """Press one quick-reply item (a postback button, or one that sends its text as if typed)."""
        action = item["action"]
        if action["type"] == "message":
            return await self.say(action["text"])
        assert action["type"] == "postback", action
        self.shown.append(action["displayText"])
        self.tapped.append((action["label"], action["displayText"]))
        return await self.send(self.event("postback", postback={"data": action["data"]}))

    async def tap_menu(self, label: str) -> list[Json]:
        """Tap the area labelled ``label`` of the rich menu this user sees (theirs, else the default)."""
        menu = self.standin.menus.of_user(self.user_id)
        assert menu is not None, "no rich menu is shown to this user"
        actions = menu.area_actions()
        assert label in actions, f"no {label!r} on the menu {menu.name}: {sorted(actions)}"
        return await self.press({"type": "action", "action": actions[label]})

    async def pick_date(self, day: str) -> list[Json]:
        """Pick a day (``2026-10-01``) with the date-picker button on screen."""
        picker = next(item["action"] for item in self.items() if item["action"]["type"] == "datetimepicker")
        return await self.send(self.event("postback", postback={"data": picker["data"], "params": {"date": day}}))

    async def follow(self) -> list[Json]:
        """Add the official account as a friend (or unblock it)."""
        return await self.send(self.event("follow", follow={"isUnblocked": False}))

    async def unfollow(self) -> list[Json]:
        """Block the official account (LINE gives no reply token for this)."""
        return await self.send(self.event("unfollow", reply=False))

    async def send_image(self, content: bytes, mime_type: str = "image/jpeg") -> list[Json]:
        """Send a photo (its content is then downloadable from the stand-in)."""
        message_id = str(uuid.uuid4().int)[:18]
        self.standin.contents[message_id] = (content, mime_type)
        return await self.send(self.event("message", message={
            "type": "image", "id": message_id, "quoteToken": uuid.uuid4().hex,
            "contentProvider": {"type": "line"}}))

    async def send_file(self, filename: str, content: bytes, mime_type: str = "application/pdf",
                        size: int | None = None) -> list[Json]:
        """Send a file (``size`` is what LINE announces, the real size unless given)."""
        message_id = str(uuid.uuid4().int)[:18]
        self.standin.contents[message_id] = (content, mime_type)
        return await self.send(self.event("message", message={
            "type": "file", "id": message_id, "fileName": filename,
            "fileSize": len(content) if size is None else size}))

    async def send_sticker(self) -> list[Json]:
        """Send a sticker."""
        return await self.send(self.event("message", message={
            "type": "sticker", "id": new_event_id(), "quoteToken": uuid.uuid4().hex, "packageId": "446",
            "stickerId": "1988", "stickerResourceType": "STATIC"}))

    # --- webhooks -------------------------------------------------------------------------------------

    def event(self, kind: str, *, reply: bool = True, redelivery: bool = False, at: datetime | None = None,
              **fields: Any) -> Json:
        """A webhook event from this user, with a fresh reply token issued by the stand-in."""
        event: Json = {
            "type": kind, "mode": "active", "timestamp": int((at or self.clock()).timestamp() * 1000),
            "source": {"type": "user", "userId": self.user_id}, "webhookEventId": new_event_id(),
            "deliveryContext": {"isRedelivery": redelivery}, **fields,
        }
        if reply:
            event["replyToken"] = self.standin.issue_reply_token(self.user_id)
        return event

    def body(self, *events: Json) -> bytes:
        """A webhook body as LINE sends it (a lone surrogate, which UTF-8 cannot carry, as a JSON escape)."""
        payload = {"destination": BOT_ID, "events": list(events)}
        try:
            return json.dumps(payload, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            return json.dumps(payload).encode()

    async def post(self, body: bytes, signature: str | None = "") -> int:
        """POST a webhook body (signed with the channel secret unless another signature, or None, is given)."""
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if signature is not None:
            headers[SIGNATURE_HEADER] = signature or sign(self.secret, body)
        async with self.session.post(self.webhook_url, data=body, headers=headers) as response:
            await response.read()
            return response.status

    async def send(self, *events: Json, signature: str | None = "") -> list[Json]:
        """Post events, wait until the app has handled them, and collect what reached this chat."""
        before = len(self.standin.deliveries_to(self.user_id))
        status = await self.post(self.body(*events), signature)
        assert status == 200, f"webhook answered {status}"
        await self.settle(self.user_id, before)
        self.last = [message for delivery in self.standin.deliveries_to(self.user_id)[before:]
                     for message in delivery.messages]
        with_buttons = [message for message in self.last if "quickReply" in message]
        if with_buttons:
            self.screen = with_buttons[-1]
        return self.last

    def find(self, wanted: str) -> Json | None:
        """The button on screen for ``wanted``, by what its label shows; None when it is not on this page."""
        buttons = [item for item in self.items()
                   if item["action"]["type"] == "postback" and not item["action"]["data"].startswith(MORE)]
        shown = [(item, _bare(item["action"]["label"])) for item in buttons]
        exact = [item for item, label in shown if label == wanted]
        contained = [item for item, label in shown if wanted in label.rstrip(ELLIPSIS)]
        cut = [item for item, label in shown if label.endswith(ELLIPSIS) and _leads_into(label[:-1], wanted)]
        found = exact or contained or cut
        assert len(found) <= 1 or exact, f"button {wanted!r} is ambiguous among {self.labels()}"
        return found[0] if found else None


def _bare(label: str) -> str:
    return label[len(TICKS[0]):] if label.startswith(TICKS) else label


def _leads_into(visible: str, wanted: str) -> bool:
    """Whether the visible part of a cut label ends with the start of ``wanted`` (the rest was cut off)."""
    visible = visible.rstrip()
    for start in range(len(visible)):
        tail = visible[start:].lstrip()
        if len(tail) >= min(len(wanted), MIN_OVERLAP) and wanted.startswith(tail):
            return True
    return False
