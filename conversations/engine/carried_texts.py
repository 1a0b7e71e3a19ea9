"""Last quarter's texts offered to a same-for-all list asked as one text for every item (a report's contribution
to each linked plan): one tap ("↩️ เหมือนไตรมาสก่อน") gives every item its own text of last quarter.

Answered item by item, each item's question offers its own last text as any carried answer does
(``Question.carried``); asked once for all, the first item's last text alone would be wrong for the others, so
the texts are listed per item (once when they are all the same) and taken each to its own item. An item that
had no text last quarter is then asked on its own.
"""

from __future__ import annotations

from typing import Any

from conversations.copy import render
from conversations.flows.flow import Group
from conversations.formatting import shorten

SHOWN_LIMIT = 300  # a long text of last quarter is shown shortened; the tap takes it whole


def last_texts(group: Group, items: list[dict[str, Any]]) -> dict[int, str]:
    """Last quarter's text of each unanswered item that had one, by the item's index."""
    question = group.questions[0]
    if not question.carried:
        return {}
    return {index: str(item[question.carried]) for index, item in enumerate(items)
            if item.get(question.carried) and question.key not in item}


def hint(group: Group, items: list[dict[str, Any]]) -> str:
    """The texts of last quarter under the one-text question ("" when there are none): the one text when every
    plan had the same, else each plan's, with what the tap does for the plans without one."""
    texts = last_texts(group, items)
    if not texts:
        return ""
    if len(texts) == len(items) and len(set(texts.values())) == 1:
        return render("hint.last_quarter", value=shorten(next(iter(texts.values())), SHOWN_LIMIT))
    listing = "\n".join(f"{index + 1}. {items[index].get('code', '')}: {shorten(text, SHOWN_LIMIT)}"
                        for index, text in texts.items())
    rest = len(items) - len(texts)
    return render("hint.last_quarter_each", items=listing,
                  rest=render("hint.last_quarter_rest", count=rest) if rest else "")


def take(group: Group, items: list[dict[str, Any]], on_screen: dict[str, Any], index: int) -> int:
    """Give every unanswered item with a text of last quarter that text (the item on screen, a copy of the item
    ``index``, too); return how many took one."""
    question = group.questions[0]
    texts = last_texts(group, items)
    for position, text in texts.items():
        items[position][question.key] = text
        if position == index:
            on_screen[question.key] = text
    return len(texts)
