"""A turn's replies as JSON and back, so that they can wait in the inbox and be sent by another process.

Every field of every neutral type a turn produces round-trips (written field by field from the dataclasses, so a
field added later is carried too): buttons, cards, files (base64), and questions about the data whose answer is
computed only when the replies are sent (an export must not hold the turn's transaction). The text is escaped to
ASCII, so that any character survives any database.
"""

from __future__ import annotations

import base64
import json
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from conversations.button_data import role_of
from conversations.engine.effect_types import Ask, PendingAnswer
from conversations.messages import (
    Attachment,
    Card,
    CardSection,
    Choice,
    ChoiceRole,
    Copyable,
    InputHint,
    Reply,
    ReplyKind,
)

Json = dict[str, Any]
BYTES = "base64"
# Replies stored before ``Reply.kind`` existed (waiting in the inbox across an upgrade) get theirs from the copy key.
KIND_OF_KEY = {"input.stale": ReplyKind.STALE, "link": ReplyKind.LINKED, "remind.digest": ReplyKind.DIGEST,
               "remind.admin_weekly": ReplyKind.SUMMARY}
GONE = ("pending", "page")  # not fields of a reply: the codec's own mark, and the LINE page replies once carried


def dump_replies(replies: list[Reply]) -> str:
    """The replies as a JSON text."""
    return json.dumps([_dump(reply) | ({"pending": True} if isinstance(reply, PendingAnswer) else {})
                       for reply in replies], ensure_ascii=True, separators=(",", ":"))


def load_replies(text: str) -> list[Reply]:
    """The replies :func:`dump_replies` wrote."""
    return [_reply(item) for item in json.loads(text)]


def _dump(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return {BYTES: base64.b64encode(value).decode("ascii")}
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: _dump(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, tuple | list):
        return [_dump(item) for item in value]
    return value


def _reply(data: Json) -> Reply:
    values = {key: value for key, value in data.items() if key not in GONE} | {
        "choices": tuple(_choice(choice) for choice in data["choices"]),
        "hint": InputHint(data["hint"]),
        "kind": ReplyKind(data["kind"]) if "kind" in data else KIND_OF_KEY.get(data.get("key", ""), ReplyKind.MESSAGE),
        "card": _card(data["card"]) if data["card"] is not None else None,
        "attachment": _attachment(data["attachment"]) if data["attachment"] is not None else None,
        "copies": tuple(Copyable(**copy) for copy in data.get("copies", ())),
    }
    if data.get("pending"):
        ask = values.pop("ask")
        if ask is not None and ask.get("attachment") is not None:
            ask = ask | {"attachment": _attachment(ask["attachment"])}
        return PendingAnswer(**values, ask=Ask(**ask) if ask is not None else None)
    return Reply(**values)


def _choice(data: Json) -> Choice:
    role = ChoiceRole(data["role"]) if "role" in data else role_of(data["token"])
    return Choice(**(data | {"role": role}))


def _card(data: Json) -> Card:
    sections = tuple(CardSection(section["title"], tuple((label, value) for label, value in section["rows"]))
                     for section in data["sections"])
    return Card(**(data | {"sections": sections}))


def _attachment(data: Json) -> Attachment:
    return Attachment(**(data | {"content": base64.b64decode(data["content"][BYTES])}))
