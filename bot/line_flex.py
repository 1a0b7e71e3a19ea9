"""A neutral :class:`~conversations.messages.Card` (the review card) as one LINE Flex bubble, pure.

The bubble has the card's title as header, one block per section (its title, then label/value rows) and
the footer (code and status) at the bottom. LINE rejects empty text components, so blank cells become a
dash; a card too large for one bubble is not drawn (the caller sends the plain text instead).
"""

from __future__ import annotations

import json
from typing import Any

from bot.line_limits import MAX_BUBBLE_BYTES
from conversations.messages import Card, CardSection

Json = dict[str, Any]
BLANK = "-"
MUTED = "#8C8C8C"


def bubble(card: Card) -> Json:
    """The card as a Flex bubble (``contents`` of a Flex message)."""
    body: list[Json] = []
    for index, section in enumerate(card.sections):
        if index:
            body.append({"type": "separator", "margin": "lg"})
        body.extend(_section(section))
    result: Json = {
        "type": "bubble",
        "size": "giga",
        "header": {"type": "box", "layout": "vertical", "contents": [
            _text(card.title, weight="bold", size="md", wrap=True),
        ]},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body or [_text(BLANK)]},
    }
    if card.footer:
        result["footer"] = {"type": "box", "layout": "vertical", "contents": [
            _text(card.footer, size="xs", color=MUTED, wrap=True)]}
    return result


def with_buttons(text: str, actions: list[Json]) -> Json:
    """A message above the question (a notice) as a bubble whose buttons stay on it: LINE shows quick replies
    on the newest message only, so a notice's own buttons must be part of the message itself."""
    return {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "contents": [_text(text, size="sm", wrap=True)]},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "button", "style": "link", "height": "sm", "action": action} for action in actions]},
    }


def fits(contents: Json) -> bool:
    """Whether a bubble is within LINE's size limit for one bubble's JSON."""
    return len(json.dumps(contents, ensure_ascii=False, separators=(",", ":")).encode()) <= MAX_BUBBLE_BYTES


def _section(section: CardSection) -> list[Json]:
    parts = [_text(section.title, weight="bold", size="sm", wrap=True, margin="lg")]
    for label, value in section.rows:
        if value:
            parts.append({"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
                _text(label, size="xs", color=MUTED, wrap=True, flex=2),
                _text(value, size="xs", wrap=True, flex=3),
            ]})
        else:
            parts.append(_text(label, size="xs", wrap=True))
    return parts


def _text(text: str, **style: Any) -> Json:
    return {"type": "text", "text": text.strip() or BLANK, **style}
