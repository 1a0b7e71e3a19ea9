"""A turn's replies as JSON and back, so that they can wait in the outbox and be sent by another process.

Every neutral type a turn can produce round-trips: buttons, cards, files (base64), and questions about the data
whose answer is computed only when the replies are sent (an export must not hold the turn's transaction). The
text is escaped to ASCII, so that any character a person typed survives any database.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from conversations.answering import PendingAnswer
from conversations.engine.context import Ask
from conversations.messages import Attachment, Card, CardSection, Choice, InputHint, Reply

Json = dict[str, Any]


def dump_replies(replies: list[Reply]) -> str:
    """The replies as a JSON text."""
    return json.dumps([_reply(reply) for reply in replies], ensure_ascii=True, separators=(",", ":"))


def load_replies(text: str) -> list[Reply]:
    """The replies :func:`dump_replies` wrote."""
    return [_load(item) for item in json.loads(text)]


def _reply(reply: Reply) -> Json:
    data: Json = {"text": reply.text, "key": reply.key}
    if reply.choices:
        data["choices"] = [[choice.token, choice.label, choice.selected] for choice in reply.choices]
    if reply.multi:
        data["multi"] = True
    if reply.hint is not InputHint.NONE:
        data["hint"] = reply.hint.value
    if reply.page:
        data["page"] = reply.page
    if reply.card is not None:
        data["card"] = {"title": reply.card.title, "footer": reply.card.footer,
                        "sections": [[section.title, [list(row) for row in section.rows]]
                                     for section in reply.card.sections]}
    if reply.attachment is not None:
        attachment = reply.attachment
        data["attachment"] = {"kind": attachment.kind, "filename": attachment.filename,
                              "mime_type": attachment.mime_type, "url": attachment.url,
                              "content": base64.b64encode(attachment.content).decode("ascii")}
    if isinstance(reply, PendingAnswer) and reply.ask is not None:
        data["ask"] = {"command": reply.ask.command, "argument": reply.ask.argument, "user_id": reply.user_id}
    return data


def _load(data: Json) -> Reply:
    fields: Json = {
        "text": data["text"], "key": data.get("key", ""),
        "choices": tuple(Choice(token, label, selected) for token, label, selected in data.get("choices", ())),
        "multi": bool(data.get("multi", False)), "hint": InputHint(data.get("hint", InputHint.NONE.value)),
        "page": int(data.get("page", 0)),
    }
    if "card" in data:
        card = data["card"]
        fields["card"] = Card(title=card["title"], footer=card["footer"], sections=tuple(
            CardSection(title, tuple((label, value) for label, value in rows)) for title, rows in card["sections"]))
    if "attachment" in data:
        attachment = data["attachment"]
        fields["attachment"] = Attachment(attachment["kind"], attachment["filename"],
                                          base64.b64decode(attachment["content"]), attachment["mime_type"],
                                          attachment["url"])
    if "ask" in data:
        ask = data["ask"]
        return PendingAnswer(**fields, ask=Ask(ask["command"], ask["argument"]), user_id=int(ask["user_id"]))
    return Reply(**fields)
