"""LINE's rules for the message objects of a reply, push or multicast, as the stand-in LINE enforces them: how many
messages, text and alt-text lengths counted in UTF-16 units as LINE counts them, a Flex bubble's size and its empty
texts, image URLs, quick-reply items and their actions.

Apart from :mod:`tests.support.line_standin`, which serves the API and answers 400 with these problems, so that the
rules (the subset Tidtam can break) read as one list, written down independently of the adapter's constants.
"""

from __future__ import annotations

import json
from typing import Any

# LINE's limits, written down independently of the adapter's constants, so that this is a real check.
LIMITS = {"messages": 5, "items": 13, "label": 20, "data": 300, "display": 300, "text": 5000, "alt": 1500,
          "bubble": 30_000, "recipients": 500, "url": 2000}


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def message_problems(messages: Any) -> list[str]:
    """What LINE would reject in a list of message objects (the subset of rules Tidtam can break)."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= LIMITS["messages"]:
        return [f"messages: 1 to {LIMITS['messages']} message objects"]
    problems: list[str] = []
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        if message.get("type") == "text":
            text = message.get("text")
            if not isinstance(text, str) or not text or _units(text) > LIMITS["text"]:
                problems.append(f"{where}.text: 1 to {LIMITS['text']} characters")
        elif message.get("type") == "flex":
            alt = message.get("altText")
            if not isinstance(alt, str) or not alt or _units(alt) > LIMITS["alt"]:
                problems.append(f"{where}.altText: 1 to {LIMITS['alt']} characters")
            size = len(json.dumps(message.get("contents"), ensure_ascii=False, separators=(",", ":")).encode())
            if size > LIMITS["bubble"]:
                problems.append(f"{where}.contents: at most {LIMITS['bubble']} bytes")
            problems.extend(f"{where}.contents: {text!r} is empty" for text in _flex_texts(message.get("contents"))
                            if not text)
        elif message.get("type") == "image":
            for name in ("originalContentUrl", "previewImageUrl"):
                url = message.get(name)
                if not isinstance(url, str) or not url.startswith("https://") or len(url) > LIMITS["url"]:
                    problems.append(f"{where}.{name}: an HTTPS URL of at most {LIMITS['url']} characters")
        else:
            problems.append(f"{where}.type: not supported by the stand-in")
        problems.extend(_quick_reply_problems(message.get("quickReply"), where))
    return problems


def _quick_reply_problems(quick_reply: Any, where: str) -> list[str]:
    if quick_reply is None:
        return []
    items = quick_reply.get("items")
    if not isinstance(items, list) or not 1 <= len(items) <= LIMITS["items"]:
        return [f"{where}.quickReply.items: 1 to {LIMITS['items']} items"]
    problems = []
    for index, item in enumerate(items):
        action = item.get("action", {})
        spot = f"{where}.quickReply.items[{index}].action"
        label = action.get("label")
        if not isinstance(label, str) or not label or _units(label) > LIMITS["label"]:
            problems.append(f"{spot}.label: 1 to {LIMITS['label']} characters, not {label!r}")
        if action.get("type") == "message":  # a quick reply that sends text, as if typed
            text = action.get("text")
            if not isinstance(text, str) or not text or _units(text) > LIMITS["display"]:
                problems.append(f"{spot}.text: 1 to {LIMITS['display']} characters")
            continue
        if action.get("type") not in ("postback", "datetimepicker"):
            problems.append(f"{spot}.type: unexpected {action.get('type')!r}")
        data = action.get("data")
        if not isinstance(data, str) or not data or _units(data) > LIMITS["data"]:
            problems.append(f"{spot}.data: 1 to {LIMITS['data']} characters")
        if action.get("type") == "postback":
            shown = action.get("displayText")  # required for quick-reply postbacks
            if not isinstance(shown, str) or not shown or _units(shown) > LIMITS["display"]:
                problems.append(f"{spot}.displayText: 1 to {LIMITS['display']} characters")
        if action.get("type") == "datetimepicker" and action.get("mode") not in ("date", "time", "datetime"):
            problems.append(f"{spot}.mode: date, time or datetime")
    return problems


def _flex_texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node.get("text", "")] if node.get("type") == "text" else []
        return own + [text for value in node.values() for text in _flex_texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in _flex_texts(value)]
    return []
